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

export const Storyboard = z
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
  });
export type Storyboard = z.infer<typeof Storyboard>;
