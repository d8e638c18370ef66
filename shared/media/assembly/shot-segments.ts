import type { Storyboard } from '#domain/model/storyboard';
import type { Timeline } from './assembly-timeline.ts';
import { cameraExpressions, parallaxExpressions, SUPERSAMPLE } from './camera-moves.ts';
import { conformClipFilters } from '#media/clip-conform';
import { even, num } from './filter-numbers.ts';
import type { FilterGraph } from './filter-graph-builder.ts';
import type { ShotSource } from './shot-source.ts';
import { ease, transitionFilter, transitionOf, ZOOM_IN_SETTLE, ZOOM_THROUGH } from './transitions.ts';

/** What the shot part of the graph reads: the storyboard, its frame timing, the output size and each shot's source. */
export interface ShotContext {
  storyboard: Storyboard;
  timeline: Timeline;
  width: number;
  height: number;
  fps: number;
  bySource: Map<number, ShotSource>;
  canPadClips: boolean;
}

/**
 * Adds frames [from, from + count) of shot i as stream `label`: yuv420p, timestamps from 0. A plate
 * segment is its own zoompan over the (single-frame) plate input continuing the move at `from`, so
 * segments never buffer each other's frames; a clip is decoded, fitted and trimmed.
 */
export function addShotSegment(
  graph: FilterGraph,
  ctx: ShotContext,
  i: number,
  from: number,
  count: number,
  label: string,
  zoomBy?: (progress: string) => string,
): void {
  const { storyboard, timeline, bySource, width: W, height: H, fps } = ctx;
  const { inputs, lines } = graph;
  const input = graph.input;
  const shot = timeline.shots[i];
  const source = bySource.get(shot.index)!;
  const detail = storyboard.shots.find((s) => s.index === shot.index)?.role === 'detail';
  if (source.kind === 'plate') {
    // Forced image2 with no pattern: a '%' in a folder name must not turn the path into a sequence.
    inputs.push('-f', 'image2', '-pattern_type', 'none', '-i', source.path);
    // Zooming from a supersampled plate shrinks zoompan's whole-pixel steps, which is what makes slow moves jitter.
    const sw = even(W * SUPERSAMPLE);
    const sh = even(H * SUPERSAMPLE);
    const prep = (format: string) => [`scale=${sw}:${sh}:force_original_aspect_ratio=increase`, `crop=${sw}:${sh}`, 'setsar=1', `format=${format}`];
    const zoompan = (e: { z: string; x: string; y: string }) => `zoompan=z='${e.z}':x='${e.x}':y='${e.y}':d=${count}:s=${W}x${H}:fps=${fps}`;
    if (source.camera === 'parallax' && source.productPath) {
      const e = parallaxExpressions(shot.frames, fps, W, { detail, offset: from });
      inputs.push('-f', 'image2', '-pattern_type', 'none', '-i', source.productPath);
      lines.push(`[${input}:v]${[...prep('yuv420p'), zoompan(e.background), 'setsar=1'].join(',')}[${label}b];`);
      lines.push(`[${input + 1}:v]${[...prep('yuva420p'), zoompan(e.product), 'setsar=1'].join(',')}[${label}p];`);
      lines.push(`[${label}b][${label}p]overlay=x='${e.overlayX}':y=0:format=yuv420,trim=end_frame=${count},setpts=PTS-STARTPTS,format=yuv420p[${label}];`);
      graph.input += 2;
      return;
    }
    const move = cameraExpressions(source.camera, shot.frames, { detail, offset: from });
    // A zoom transition scales the move's own zoom (progress 0→1 over this segment): no extra pass over the frame.
    const e = zoomBy ? { ...move, z: `(${move.z})*(${zoomBy(`(on/${Math.max(1, count - 1)})`)})` } : move;
    lines.push(
      `[${input}:v]${[...prep('yuv420p'), zoompan(e), 'setsar=1', `trim=end_frame=${count}`, 'setpts=PTS-STARTPTS', 'format=yuv420p'].join(',')}[${label}];`,
    );
  } else {
    inputs.push('-i', source.path);
    // Retime, scale/crop and fps conversion of a model's clip: shared/media/clip-conform.ts.
    const chain = conformClipFilters({ width: W, height: H, fps, shotFrames: shot.frames, from, count, media: source.media, canPad: ctx.canPadClips });
    lines.push(`[${input}:v]${chain.join(',')}[${label}];`);
  }
  graph.input += 1;
}

/**
 * Shots that tile the ad exactly: each shot's solo part concatenated, blended only inside the transitions,
 * instead of alpha-blending every shot over a black base for its whole length. The result is the base.
 */
export function addTiledShots(graph: FilterGraph, ctx: ShotContext, tiles: Array<{ head: number; body: number; tail: number }>): void {
  const { storyboard, timeline, bySource, width: W, height: H, fps } = ctx;
  const segment = (i: number, from: number, count: number, label: string, zoomBy?: (progress: string) => string) =>
    addShotSegment(graph, ctx, i, from, count, label, zoomBy);
  const parts: string[] = [];
  const isPlate = (i: number) => {
    const source = bySource.get(timeline.shots[i].index);
    return source?.kind === 'plate' && !(source.camera === 'parallax' && source.productPath);
  };
  // A zoom needs both sides to be zoompan plates; with a clip on either side it falls back to a crossfade.
  const kindOf = (i: number) => {
    const kind = transitionOf(storyboard, timeline.shots[i].index);
    return kind === 'zoom' && !(isPlate(i) && isPlate(i - 1)) ? 'fade' : kind;
  };
  timeline.shots.forEach((_, i) => {
    const t = tiles[i];
    if (t.head > 0) {
      const kind = kindOf(i);
      // The incoming shot settles from a little zoomed in while the outgoing one zooms on into it.
      segment(i, 0, t.head, `zh${i}`, kind === 'zoom' ? (p) => `1+${ZOOM_IN_SETTLE}*(1-${ease(p)})` : undefined);
      graph.lines.push(transitionFilter(kind, `[zu${i - 1}]`, `[zh${i}]`, `[zx${i}]`, t.head, W, H, fps));
      parts.push(`[zx${i}]`);
    }
    segment(i, t.head, t.body, `zm${i}`);
    parts.push(`[zm${i}]`);
    const next = timeline.shots[i + 1] ? kindOf(i + 1) : 'fade';
    if (t.tail > 0) segment(i, t.head + t.body, t.tail, `zu${i}`, next === 'zoom' ? (p) => `1+${ZOOM_THROUGH}*${ease(p)}` : undefined);
  });
  graph.lines.push(`${parts.join('')}concat=n=${parts.length}:v=1:a=0,format=yuv420p[base];`);
  graph.base = '[base]';
}

/** Any timing: every shot laid over the base at its start, its incoming fade an alpha fade. */
export function addLayeredShots(graph: FilterGraph, ctx: ShotContext): void {
  const { fps } = ctx;
  ctx.timeline.shots.forEach((shot, i) => {
    addShotSegment(graph, ctx, i, 0, shot.frames, `r${i}`);
    const tail = [
      shot.fadeFrames > 0 ? `format=yuva420p,fade=t=in:st=0:d=${num(shot.fadeFrames / fps)}:alpha=1` : 'format=yuv420p',
      `setpts=PTS-STARTPTS+${num(shot.startFrame / fps)}/TB`,
    ].join(',');
    graph.lines.push(`[r${i}]${tail}[s${i}];`);
    graph.layer(`[s${i}]`, 'overlay=eof_action=pass');
  });
}
