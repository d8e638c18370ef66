import type { Storyboard } from '#domain/model/storyboard';
import { num } from './filter-numbers.ts';

/** How far the outgoing shot zooms on during a zoom transition, and how zoomed in the incoming one starts. */
export const ZOOM_THROUGH = 0.35;
export const ZOOM_IN_SETTLE = 0.2;

/** Smoothstep of a 0→1 progress expression. */
export const ease = (p: string) => `(${p}*${p}*(3-2*${p}))`;

/** The transition a storyboard shot comes in with (absent: a crossfade). */
export function transitionOf(storyboard: Storyboard, index: number): 'fade' | 'slide' | 'push' | 'zoom' {
  return storyboard.shots.find((s) => s.index === index)?.transition ?? 'fade';
}

/**
 * One transition over the `frames` where the outgoing tail and the incoming head overlap (both start at
 * t = 0), built from filters this 2018 ffmpeg has (no xfade): fade and zoom blend with an alpha fade
 * (zoom's movement is in the two zoompans), slide moves the incoming shot over the outgoing one with an
 * overlay x expression, push puts the two side by side and moves a crop window across them.
 */
export function transitionFilter(
  kind: 'fade' | 'slide' | 'push' | 'zoom',
  outgoing: string,
  incoming: string,
  out: string,
  frames: number,
  W: number,
  H: number,
  fps: number,
): string {
  // Progress reaches 1 on the last overlapping frame.
  const p = `min(1,(n+1)/${frames})`;
  switch (kind) {
    case 'slide':
      return `${outgoing}${incoming}overlay=x='${W}*(1-${ease(p)})':y=0:eof_action=pass:format=yuv420,format=yuv420p${out};`;
    case 'push':
      return `${outgoing}${incoming}hstack=inputs=2,crop=${W}:${H}:'${W}*${ease(p)}':0,format=yuv420p${out};`;
    case 'fade':
    case 'zoom': {
      const label = `${incoming.slice(0, -1)}f]`;
      return (
        `${incoming}format=yuva420p,fade=t=in:st=0:d=${num(frames / fps)}:alpha=1${label};\n` +
        `${outgoing}${label}overlay=eof_action=pass:format=yuv420,format=yuv420p${out};`
      );
    }
  }
}
