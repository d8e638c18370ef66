import type { ChannelSpec } from '#domain/model/channel-spec';
import type { Template, TemplateShot } from '#domain/model/template';

const FADE_SECONDS = 0.5;
const MIN_SHOT_SECONDS = 1.5;

function adDuration(template: Template, channel: ChannelSpec): number {
  return clamp(Math.min(channel.duration.target, template.maxSeconds ?? Infinity), channel.duration.min, channel.duration.max);
}

export interface TimedShot {
  /** Index in the template (stable across channels, so family siblings share seeds and renders). */
  templateIndex: number;
  shot: TemplateShot;
  start: number;
  length: number;
  fade: number;
}

/** The shots a channel keeps and their frame timing. */
export function timedShots(template: Template, channel: ChannelSpec): TimedShot[] {
  const duration = adDuration(template, channel);
  const kept = fitShots(template.shots, duration);
  const frames = timeline(
    kept.map((i) => template.shots[i]),
    duration,
    channel.fps,
  );
  return kept.map((templateIndex, i) => ({ templateIndex, shot: template.shots[templateIndex], ...frames[i] }));
}

/** Drops optional shots, lowest priority first, until every shot can last at least MIN_SHOT_SECONDS; returns template indices. */
function fitShots(shots: readonly TemplateShot[], duration: number): number[] {
  const kept = shots.map((_, i) => i);
  while (kept.length > 1 && duration / kept.length < MIN_SHOT_SECONDS) {
    const droppable = kept.filter((i) => shots[i].optional).sort((a, b) => shots[a].priority - shots[b].priority || b - a)[0];
    if (droppable === undefined) break;
    kept.splice(kept.indexOf(droppable), 1);
  }
  return kept;
}

/** Splits the ad's frames between shots by weight; incoming fades overlap the previous shot. */
function timeline(shots: readonly TemplateShot[], duration: number, fps: number) {
  const total = Math.round(duration * fps);
  const fades = shots.map((s, i) => (i > 0 && s.transition !== 'cut' ? Math.round(FADE_SECONDS * fps) : 0));
  const available = total + fades.reduce((a, b) => a + b, 0);
  const lengths = apportion(
    available,
    shots.map((s) => s.weight),
  );
  let cursor = 0;
  return shots.map((_, i) => {
    const start = i === 0 ? 0 : cursor - fades[i];
    cursor = start + lengths[i];
    return { start, length: lengths[i], fade: fades[i] };
  });
}

/** Largest-remainder split of `total` integer units in proportion to `weights`. */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const floors = exact.map(Math.floor);
  let left = total - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) if (left-- > 0) floors[i] += 1;
  return floors;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
/** Seconds rounded to the millisecond, as storyboards store them. */
export const round3 = (x: number) => Math.round(x * 1000) / 1000;
