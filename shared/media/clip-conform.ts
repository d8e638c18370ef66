import { CONFORM_LIMITS } from './quality-check.ts';

export interface ConformInput {
  /** The placement's frame size and rate. */
  width: number;
  height: number;
  fps: number;
  /** Frames the shot lasts in this placement, and the part [from, from + count) wanted here. */
  shotFrames: number;
  from: number;
  count: number;
  /** The clip as probed at the gate; absent for clips from before that (then no retime). */
  media?: { duration: number; fps: number };
  /** tpad exists in this ffmpeg: a clip still short after the retime holds its last frame. */
  canPad: boolean;
}

/** How much a clip is slowed to cover its shot: 1 when long enough, at most CONFORM_LIMITS.maxSlowdown. */
export function slowdownFor(shotSeconds: number, clipSeconds: number | undefined): number {
  if (!clipSeconds || clipSeconds >= shotSeconds) return 1;
  return Math.min(CONFORM_LIMITS.maxSlowdown, shotSeconds / clipSeconds);
}

/**
 * The filter chain that conforms one generative clip to one placement inside the assembler's single pass
 * (no intermediate encode): timestamps from 0, slowed ≤ 1.25× when short, scaled and centre-cropped to
 * the placement from the one clip, resampled to the placement's rate with `fps` (24 → 30 repeats every
 * fourth frame, 16 → 30 nearly every frame, at even intervals: no bunched stutter), trimmed to the shot.
 */
export function conformClipFilters(c: ConformInput): string[] {
  const speed = slowdownFor(c.shotFrames / c.fps, c.media?.duration);
  return [
    speed > 1 ? `setpts=${num(speed)}*(PTS-STARTPTS)` : 'setpts=PTS-STARTPTS',
    // Scale before resampling: the scaler runs on the clip's own (fewer) frames.
    `scale=${c.width}:${c.height}:force_original_aspect_ratio=increase`,
    `crop=${c.width}:${c.height}`,
    'setsar=1',
    `fps=${c.fps}`,
    ...(c.canPad ? [`tpad=stop_mode=clone:stop_duration=${num(c.shotFrames / c.fps)}`] : []),
    `trim=start_frame=${c.from}:end_frame=${c.from + c.count}`,
    'setpts=PTS-STARTPTS',
    'format=yuv420p',
  ];
}

const num = (n: number) => String(Math.round(n * 1e6) / 1e6);
