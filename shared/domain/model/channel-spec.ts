import { z } from 'zod';
import { OutputKind } from './output-kinds.ts';

export const AspectFamily = z.object({
  /** Channels of one family share rendered shots. */
  id: z.string().min(1),
  renderWidth: z.number().int().positive(),
  renderHeight: z.number().int().positive(),
});
export type AspectFamily = z.infer<typeof AspectFamily>;

/**
 * One placement's rules. `kind: 'image'` channels (display banners) are single stills: their planner
 * output has no shots and no render jobs, duration 0, and `fps`/`video`/`audio` are not used (they hold
 * neutral values so every spec has one shape); `image` says which formats the still may be encoded in.
 */
export const ChannelSpec = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: z.string(),
    version: z.number().int().positive(),
    kind: OutputKind,
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    family: AspectFamily,
    fps: z.number().positive(),
    /** Seconds; an image channel has target 0 (a still) and max = the animation cap of its network. */
    duration: z.object({ min: z.number().nonnegative(), target: z.number().nonnegative(), max: z.number().positive() }),
    maxBytes: z.number().int().positive(),
    video: z.object({ codec: z.literal('h264'), profile: z.enum(['high', 'main']), bitrateKbps: z.number().int().positive() }),
    audio: z.object({ required: z.boolean(), codec: z.literal('aac'), sampleRate: z.number().int(), bitrateKbps: z.number().int() }),
    /** Still formats an image channel accepts (first = preferred); absent on video channels. */
    image: z.object({ formats: z.array(z.enum(['jpeg', 'png', 'gif'])).min(1) }).optional(),
    /** Pixels at the channel's own size that UI covers: keep text and logos out. */
    safeZone: z.object({ top: z.number().int(), bottom: z.number().int(), left: z.number().int(), right: z.number().int() }),
    minTextPx: z.number().int().positive(),
    sources: z.array(z.string().url()).min(1),
  })
  .superRefine((spec, ctx) => {
    const { min, target, max } = spec.duration;
    if (!(min <= target && target <= max))
      ctx.addIssue({ code: 'custom', path: ['duration'], message: `expected min ≤ target ≤ max, got ${min} / ${target} / ${max}` });
    if (spec.kind === 'video' && target <= 0)
      ctx.addIssue({ code: 'custom', path: ['duration', 'target'], message: 'a video channel needs a positive target duration' });
    if (spec.kind === 'image' && !spec.image) ctx.addIssue({ code: 'custom', path: ['image'], message: 'an image channel must list its still formats' });
  });
export type ChannelSpec = z.infer<typeof ChannelSpec>;
