import { z } from 'zod';

export const AspectFamily = z.object({
  /** Channels of one family share rendered shots. */
  id: z.string().min(1),
  renderWidth: z.number().int().positive(),
  renderHeight: z.number().int().positive(),
});
export type AspectFamily = z.infer<typeof AspectFamily>;

export const ChannelSpec = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string(),
  version: z.number().int().positive(),
  kind: z.enum(['video', 'image']),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  family: AspectFamily,
  fps: z.number().positive(),
  duration: z.object({ min: z.number().nonnegative(), target: z.number().positive(), max: z.number().positive() }),
  maxBytes: z.number().int().positive(),
  video: z.object({ codec: z.literal('h264'), profile: z.enum(['high', 'main']), bitrateKbps: z.number().int().positive() }),
  audio: z.object({ required: z.boolean(), codec: z.literal('aac'), sampleRate: z.number().int(), bitrateKbps: z.number().int() }),
  /** Pixels at the channel's own size that UI covers: keep text and logos out. */
  safeZone: z.object({ top: z.number().int(), bottom: z.number().int(), left: z.number().int(), right: z.number().int() }),
  minTextPx: z.number().int().positive(),
  sources: z.array(z.string().url()).min(1),
});
export type ChannelSpec = z.infer<typeof ChannelSpec>;
