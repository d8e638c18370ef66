import { z } from 'zod';

export const ShotRole = z.enum(['hook', 'hero', 'detail', 'feature', 'social-proof', 'offer', 'cta']);
export const CameraMove = z.enum(['static', 'push-in', 'pull-out', 'pan-left', 'pan-right', 'tilt-up', 'tilt-down', 'parallax']);
export type CameraMove = z.infer<typeof CameraMove>;
export const OverlaySlot = z.enum(['headline', 'price', 'cta', 'feature', 'brand']);
export type OverlaySlot = z.infer<typeof OverlaySlot>;
export const Focus = z.enum(['center', 'top', 'bottom', 'left', 'right']);

export const TemplateShot = z.object({
  role: ShotRole,
  /** Share of the ad's duration this shot gets, relative to the other shots. */
  weight: z.number().positive(),
  camera: CameraMove,
  subject: z.object({ image: z.number().int().nonnegative().default(0), focus: Focus.default('center') }),
  overlays: z.array(OverlaySlot).default([]),
  transition: z.enum(['cut', 'fade']).default('fade'),
  /** Lower numbers are dropped first when a channel's duration is too short. */
  priority: z.number().int().min(0).max(10).default(5),
  optional: z.boolean().default(false),
});
export type TemplateShot = z.infer<typeof TemplateShot>;

export const Template = z.object({
  schemaVersion: z.literal(1),
  id: z.string().regex(/^[a-z0-9-]+$/),
  version: z.number().int().positive(),
  description: z.string(),
  conditions: z.object({
    minImages: z.number().int().nonnegative().default(0),
    requiresDiscount: z.boolean().default(false),
  }).default({ minImages: 0, requiresDiscount: false }),
  shots: z.array(TemplateShot).min(1).max(12),
  /** Pattern for generative renderers; {title}, {brand}, {camera} are filled in per shot. */
  prompt: z.string().min(1),
  negativePrompt: z.string().default(''),
});
export type Template = z.infer<typeof Template>;
