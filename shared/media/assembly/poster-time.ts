import type { Storyboard } from '#domain/model/storyboard';
import { OVERLAY_FADE } from './overlay-graph.ts';
import { MAX_ENTRY_SECONDS } from '#media/text-motion';

/** Picks the poster moment: inside the hero (else first) shot, where the most overlays are fully faded in. */
export function posterTime(storyboard: Storyboard, duration: number): number {
  const shot = storyboard.shots.find((s) => s.role === 'hero') ?? storyboard.shots[0];
  const from = shot.start + shot.fadeIn;
  // Stop before the next shot starts fading in, so the poster never shows two shots blended.
  const next = storyboard.shots.filter((s) => s.start > shot.start).reduce<number>((t, s) => Math.min(t, s.start), Infinity);
  const to = Math.max(from, Math.min(duration, shot.start + shot.duration, next));
  const middle = (from + to) / 2;
  let best = middle;
  let bestScore = -1;
  for (let k = 0; k <= 20; k++) {
    const t = from + ((to - from) * k) / 20;
    const visible = storyboard.overlays.filter(
      (o) => t >= o.start + Math.max(OVERLAY_FADE, Math.min(MAX_ENTRY_SECONDS, (o.end - o.start) / 3)) && t <= o.end - OVERLAY_FADE,
    ).length;
    if (visible > bestScore || (visible === bestScore && Math.abs(t - middle) < Math.abs(best - middle))) {
      best = t;
      bestScore = visible;
    }
  }
  return Math.max(0, Math.min(best, duration - 1 / storyboard.fps));
}
