import { z } from 'zod';
import { CameraMove, Focus, OverlaySlot, ShotRole } from './template.ts';
import { DEFAULT_OUTPUT_KIND, OutputKind, outputKind } from './output-kinds.ts';

export const Box = z.object({ x: z.number().int(), y: z.number().int(), w: z.number().int().positive(), h: z.number().int().positive() });
export type Box = z.infer<typeof Box>;

export const StoryboardShot = z.object({
  index: z.number().int().nonnegative(),
  role: ShotRole,
  /** Seconds from the start of the ad; shots overlap by their incoming fade. */
  start: z.number().nonnegative(),
  duration: z.number().positive(),
  fadeIn: z.number().nonnegative(),
  /**
   * The same timing in whole frames at the storyboard's fps, as the planner split the ad: the assembler
   * encodes these (the seconds above are them divided by fps, rounded to the millisecond, for reading).
   */
  startFrame: z.number().int().nonnegative(),
  frames: z.number().int().positive(),
  fadeFrames: z.number().int().nonnegative(),
  /** How the shot comes in during its `fadeIn` overlap; absent: a crossfade. */
  transition: z.enum(['slide', 'push', 'zoom']).optional(),
  /** The move the assembler applies; a procedural plate is a still, so this (not the render) decides it. */
  camera: CameraMove,
  renderHash: z.string(),
  seed: z.number().int().nonnegative(),
});
export type StoryboardShot = z.infer<typeof StoryboardShot>;

export const Overlay = z.object({
  slot: OverlaySlot,
  /** The copy, already fitted: '\n' separates the lines the planner measured (at most 3). */
  text: z.string().min(1),
  box: Box,
  fontPx: z.number().int().positive(),
  /**
   * Font id of `#media/fonts` FONTS (`inter`, `noto-sans-jp`) whose metrics measured the text: the first
   * font that has every glyph. Absent means `inter` (storyboards from before planner@2).
   */
  font: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .optional(),
  color: z.string(),
  /** Box fill behind the text, for contrast; absent means none. */
  background: z.string().optional(),
  /** A part of `text` drawn struck through and dimmed: the compare-at price beside the new one. */
  strikethrough: z.string().min(1).optional(),
  /** `pill`: a button (the CTA), fully rounded ends and a soft shadow; absent: a rounded box. */
  shape: z.enum(['box', 'pill']).optional(),
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
});
export type Overlay = z.infer<typeof Overlay>;

/** The still of an image channel (a banner): gradient background, the product photo fitted inside `productBox`. */
export const StoryboardStill = z.object({
  /** Asset key of the product photo; absent for typographic banners (no usable image). */
  imageKey: z.string().optional(),
  /** Where the photo goes (fit 'contain', centred on `focus`); absent when the layout leaves no room. */
  productBox: Box.optional(),
  focus: Focus,
  /** Gradient from → to (brand primary and secondary). */
  background: z.tuple([z.string(), z.string()]),
});
export type StoryboardStill = z.infer<typeof StoryboardStill>;

/** The storyboard as stored from planner@4 on; `Storyboard` also reads older ones (seconds only). */
const StoryboardFields = z
  .object({
    schemaVersion: z.literal(1),
    /** `image` storyboards (banners) have no shots, duration 0 and a `still`; absent means video. */
    kind: OutputKind.default(DEFAULT_OUTPUT_KIND),
    hash: z.string(),
    plannerVersion: z.string(),
    sku: z.string(),
    productHash: z.string(),
    campaignId: z.string(),
    templateId: z.string(),
    templateVersion: z.number().int(),
    channel: z.string(),
    channelVersion: z.number().int(),
    width: z.number().int(),
    height: z.number().int(),
    fps: z.number(),
    duration: z.number().nonnegative(),
    /** The ad's length in whole frames at `fps` (0 for an image storyboard): the shots end exactly on it. */
    frames: z.number().int().nonnegative(),
    seed: z.number().int().nonnegative(),
    /** Creative generation (a refresh bumps it); absent means 0. */
    generation: z.number().int().positive().optional(),
    shots: z.array(StoryboardShot),
    overlays: z.array(Overlay),
    still: StoryboardStill.optional(),
    audio: z.object({ kind: z.literal('silent') }),
  })
  .superRefine((s, ctx) => {
    if (outputKind(s.kind).plan === 'shots' && (s.shots.length === 0 || s.duration <= 0))
      ctx.addIssue({ code: 'custom', path: ['shots'], message: 'a video storyboard needs at least one shot and a positive duration' });
    if (outputKind(s.kind).plan === 'still' && !s.still) ctx.addIssue({ code: 'custom', path: ['still'], message: 'an image storyboard needs its still' });
    s.shots.forEach((shot, i) => {
      if (shot.startFrame + shot.frames > s.frames)
        ctx.addIssue({ code: 'custom', path: ['shots', i, 'frames'], message: `shot ${shot.index} ends after the storyboard's last frame (${s.frames})` });
    });
  });

/**
 * Storyboards from before planner@4 time their shots in seconds only: the frame fields are derived from
 * them here exactly as the assembler used to derive them (rounded at the storyboard's fps, clamped to
 * the ad), so a stored storyboard still reads and encodes as it did. Newer storyboards pass unchanged.
 */
function withFrameTiming(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const board = raw as Record<string, unknown>;
  const { fps, duration, shots } = board;
  if (typeof fps !== 'number' || typeof duration !== 'number' || !Array.isArray(shots)) return raw;
  const total = typeof board.frames === 'number' ? board.frames : duration > 0 ? Math.max(1, Math.round(duration * fps)) : 0;
  const timed = shots.map((shot: unknown) => {
    if (typeof shot !== 'object' || shot === null || 'frames' in shot) return shot;
    const { start, duration: length, fadeIn } = shot as Record<string, unknown>;
    if (typeof start !== 'number' || typeof length !== 'number' || typeof fadeIn !== 'number') return shot;
    const startFrame = Math.min(total - 1, Math.round(start * fps));
    const endFrame = Math.min(total, Math.round((start + length) * fps));
    return { ...shot, startFrame, frames: Math.max(1, endFrame - startFrame), fadeFrames: Math.round(fadeIn * fps) };
  });
  return { ...board, frames: total, shots: timed };
}

export const Storyboard = z.preprocess(withFrameTiming, StoryboardFields);
export type Storyboard = z.infer<typeof Storyboard>;
