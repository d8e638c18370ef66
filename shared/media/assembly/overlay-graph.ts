import type { Storyboard } from '#domain/model/storyboard';
import type { Timeline } from './assembly-timeline.ts';
import { num } from './filter-numbers.ts';
import type { FilterGraph } from './filter-graph-builder.ts';
import type { MotionStrip } from '#media/text-motion';

/** Seconds a text overlay (or the logo) fades in and out. */
export const OVERLAY_FADE = 0.3;

/** The shape of an overlay's entry strip, as planAssembly needs it (the pixels are in the overlay's file). */
export type StripInfo = Pick<MotionStrip, 'tileW' | 'tileH' | 'tiles' | 'offsetX' | 'offsetY'>;

/**
 * Lays every text overlay over the base in storyboard order: a PNG that fades in and out, or an entry strip
 * (one tile per frame of its entry) that exits with a fade drifting up unless it stays to the end.
 */
export function addTextOverlays(
  graph: FilterGraph,
  storyboard: Storyboard,
  timeline: Timeline,
  overlayPaths: string[],
  overlayStrips: Array<StripInfo | undefined> | undefined,
): void {
  const { fps, inputs, lines } = graph;
  storyboard.overlays.forEach((overlay, i) => {
    const t = timeline.overlays[i];
    const strip = overlayStrips?.[i];
    const fade = Math.min(OVERLAY_FADE, t.duration / 3);
    const label = `[t${i}]`;
    if (!strip) {
      const repeated = graph.still(overlayPaths[i], t.duration);
      lines.push(
        `[${graph.input}:v]${repeated},fade=t=in:st=0:d=${num(fade)}:alpha=1,` +
          `fade=t=out:st=${num(t.duration - fade)}:d=${num(fade)}:alpha=1,setpts=PTS-STARTPTS+${num(t.start)}/TB${label};`,
      );
      graph.layer(label, `overlay=x=${overlay.box.x}:y=${overlay.box.y}:eof_action=pass`);
      graph.input += 1;
      return;
    }
    // The entry is a strip of tiles drawn beforehand: crop shows tile min(n, last) of the one decoded frame.
    inputs.push('-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${strip.tileW}x${strip.tileH * strip.tiles}`, '-i', overlayPaths[i]);
    const frames = Math.max(1, Math.round(t.duration * fps));
    // Text still on screen when the ad ends stays (the end card holds); earlier text fades out drifting up.
    const exits = t.start + t.duration < timeline.duration - 1 / fps;
    const exitAt = t.start + t.duration - fade;
    lines.push(
      `[${graph.input}:v]format=yuva420p,loop=loop=${frames - 1}:size=1:start=0,setpts=N/${fps}/TB,` +
        `crop=${strip.tileW}:${strip.tileH}:0:'${strip.tileH}*min(n,${strip.tiles - 1})'` +
        `${exits ? `,fade=t=out:st=${num(t.duration - fade)}:d=${num(fade)}:alpha=1` : ''},setpts=PTS-STARTPTS+${num(t.start)}/TB${label};`,
    );
    const x = overlay.box.x + strip.offsetX;
    const y0 = overlay.box.y + strip.offsetY;
    const drift = Math.round(overlay.box.h * 0.25);
    const y = exits ? `'${y0}-${drift}*pow(max(0,min(1,(t-${num(exitAt)})/${num(fade)})),2)'` : String(y0);
    graph.layer(label, `overlay=x=${x}:y=${y}:eof_action=pass`);
    graph.input += 1;
  });
}
