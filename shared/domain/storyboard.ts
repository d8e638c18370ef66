import { z } from 'zod';
import { CameraMove, OverlaySlot, ShotRole } from './template.ts';

export const Box = z.object({ x: z.number().int(), y: z.number().int(), w: z.number().int().positive(), h: z.number().int().positive() });
export type Box = z.infer<typeof Box>;

export const StoryboardShot = z.object({
  index: z.number().int().nonnegative(),
  role: ShotRole,
  /** Seconds from the start of the ad; shots overlap by their incoming fade. */
  start: z.number().nonnegative(),
  duration: z.number().positive(),
  fadeIn: z.number().nonnegative(),
  camera: CameraMove,
  renderHash: z.string(),
  seed: z.number().int().nonnegative(),
});
export type StoryboardShot = z.infer<typeof StoryboardShot>;

export const Overlay = z.object({
  slot: OverlaySlot,
  text: z.string().min(1),
  box: Box,
  fontPx: z.number().int().positive(),
  color: z.string(),
  /** Box fill behind the text, for contrast; absent means none. */
  background: z.string().optional(),
  start: z.number().nonnegative(),
  end: z.number().positive(),
});
export type Overlay = z.infer<typeof Overlay>;

export const Storyboard = z.object({
  schemaVersion: z.literal(1),
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
  duration: z.number().positive(),
  seed: z.number().int().nonnegative(),
  shots: z.array(StoryboardShot).min(1),
  overlays: z.array(Overlay),
  audio: z.object({ kind: z.literal('silent') }),
});
export type Storyboard = z.infer<typeof Storyboard>;
