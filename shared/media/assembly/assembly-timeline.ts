import type { Storyboard } from '#domain/model/storyboard';

/** Everything about timing, in whole output frames so shots, fades and the total line up exactly. */
export interface Timeline {
  fps: number;
  totalFrames: number;
  duration: number;
  shots: Array<{ index: number; startFrame: number; frames: number; fadeFrames: number }>;
  overlays: Array<{ start: number; duration: number }>;
}

/** The storyboard's frame timing as the planner made it (whole frames at its fps), and its overlays' seconds clamped to the ad. */
export function planTimeline(storyboard: Storyboard): Timeline {
  const { fps, frames: totalFrames } = storyboard;
  const shots = storyboard.shots.map((shot) => ({ index: shot.index, startFrame: shot.startFrame, frames: shot.frames, fadeFrames: shot.fadeFrames }));
  const duration = totalFrames / fps;
  const overlays = storyboard.overlays.map((o) => {
    const start = Math.min(o.start, duration);
    return { start, duration: Math.max(1 / fps, Math.min(o.end, duration) - start) };
  });
  return { fps, totalFrames, duration, shots, overlays };
}

/**
 * When the shots tile the ad exactly (each incoming fade overlaps only the previous shot's last frames,
 * the last shot ends with the ad), the frame counts of each shot's fade-in head, solo body and
 * faded-under tail; else undefined (the general overlay chain handles any timing).
 */
export function tiling(timeline: Timeline, clipsMayRunShort: boolean): Array<{ head: number; body: number; tail: number }> | undefined {
  if (clipsMayRunShort) return undefined;
  const shots = timeline.shots;
  if (shots.length === 0 || shots[0].startFrame !== 0) return undefined;
  const fade = shots.map((s, i) => (i === 0 ? 0 : s.fadeFrames));
  const out: Array<{ head: number; body: number; tail: number }> = [];
  for (let i = 0; i < shots.length; i++) {
    const end = shots[i].startFrame + shots[i].frames;
    const next = shots[i + 1];
    if (i > 0 && shots[i].startFrame <= shots[i - 1].startFrame) return undefined;
    const tail = next ? fade[i + 1] : 0;
    // The next shot must start exactly where this one's tail begins, and the last shot must end with the ad.
    if (next ? end - tail !== next.startFrame : end !== timeline.totalFrames) return undefined;
    const body = shots[i].frames - fade[i] - tail;
    if (body < 1) return undefined;
    out.push({ head: fade[i], body, tail });
  }
  return out;
}
