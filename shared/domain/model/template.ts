import { z } from 'zod';

export const ShotRole = z.enum(['hook', 'hero', 'detail', 'feature', 'social-proof', 'offer', 'cta']);
export const CameraMove = z.enum(['static', 'push-in', 'pull-out', 'pan-left', 'pan-right', 'tilt-up', 'tilt-down', 'parallax']);
export type CameraMove = z.infer<typeof CameraMove>;
/** `discount` is the "−25%" badge: planned only when the product has a higher compare-at price. */
export const OverlaySlot = z.enum(['headline', 'price', 'cta', 'feature', 'brand', 'discount']);
export type OverlaySlot = z.infer<typeof OverlaySlot>;
export const Focus = z.enum(['center', 'top', 'bottom', 'left', 'right']);

export const TemplateShot = z.object({
  role: ShotRole,
  /** Share of the ad's duration this shot gets, relative to the other shots. */
  weight: z.number().positive(),
  camera: CameraMove,
  /** Which product photo (index, wrapping around the product's images) and where the crop centres. */
  subject: z.object({ image: z.number().int().nonnegative().default(0), focus: Focus.default('center') }),
  /** Text slots, top band first (headline, brand, feature) then bottom band (price, discount, cta). */
  overlays: z.array(OverlaySlot).default([]),
  /**
   * How this shot comes in: a crossfade, a cut, or a move (slide over, push the last shot out, zoom through)
   * that the assembler builds from overlays and crops.
   */
  transition: z.enum(['cut', 'fade', 'slide', 'push', 'zoom']).default('fade'),
  /** Lower numbers are dropped first when a channel's duration is too short. */
  priority: z.number().int().min(0).max(10).default(5),
  optional: z.boolean().default(false),
  /** Lighting words for the generative prompt's {lighting}. */
  lighting: z.string().max(200).default('soft studio key light'),
});
export type TemplateShot = z.infer<typeof TemplateShot>;

export const Template = z.object({
  schemaVersion: z.literal(1),
  id: z.string().regex(/^[a-z0-9-]+$/),
  version: z.number().int().positive(),
  description: z.string(),
  conditions: z
    .object({
      minImages: z.number().int().nonnegative().default(0),
      /** Upper bound on usable images: 0 makes a template for products without a photo. */
      maxImages: z.number().int().nonnegative().optional(),
      requiresDiscount: z.boolean().default(false),
      /** Feature bullets needed (from `features` or `<li>` items of the description). */
      minFeatures: z.number().int().nonnegative().default(0),
      /** Channel ids the template is made for; absent means every channel. */
      channels: z
        .array(z.string().regex(/^[a-z0-9-]+$/))
        .min(1)
        .optional(),
    })
    .default({ minImages: 0, requiresDiscount: false, minFeatures: 0 }),
  /** Longest ad this template makes, in seconds (a hook-first short stays ≤ 10 s); the channel's minimum still wins. */
  maxSeconds: z.number().positive().optional(),
  shots: z.array(TemplateShot).min(1).max(12),
  /** Pattern for generative renderers; {title}, {brand}, {category}, {camera}, {focus}, {role}, {lighting} are filled in per shot. */
  prompt: z.string().min(1),
  negativePrompt: z.string().default(''),
});
export type Template = z.infer<typeof Template>;
