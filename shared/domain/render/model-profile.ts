import { z } from 'zod';

/**
 * What one image-to-video model on one provider takes and returns, as data (one file per model under
 * shared/domain/render/models/). Adapters build requests from it, the planner plans clip lengths and input
 * images by it, the quality gate and the assembler conform what it returns, and costs come from its
 * price rule. Every figure carries the URL it was read from.
 */

/** How the clip's length is asked for: a list of allowed durations, or a frame count at a frame rate. */
export const LengthRule = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('durations'),
    /** Allowed seconds, ascending. */
    seconds: z.array(z.number().positive()).min(1),
    /** How the value is written: "5" (string), 5 (number), "5s" (seconds-suffix). */
    as: z.enum(['string', 'number', 'seconds-suffix']),
  }),
  z.object({
    kind: z.literal('frames'),
    min: z.number().int().positive(),
    max: z.number().int().positive(),
    /** Frame counts of the form step·n + offset (LTX: 8n+1); step 1 for any count. */
    step: z.number().int().positive().default(1),
    offset: z.number().int().nonnegative().default(0),
    fps: z.object({ min: z.number().int().positive(), max: z.number().int().positive(), default: z.number().int().positive() }),
  }),
  /** The model decides (adline's http protocol and self-hosted servers take the shot's seconds as is). */
  z.object({ kind: z.literal('as-asked'), maxSeconds: z.number().positive() }),
]);
export type LengthRule = z.infer<typeof LengthRule>;

/** The clip a model returns: its size rule and frame rate. */
export const OutputShape = z.object({
  size: z.discriminatedUnion('kind', [
    /** Aspect follows the input image; the short side is fixed per resolution (Kling: 720p standard, 1080p pro). */
    z.object({ kind: z.literal('follow-image'), shortSide: z.record(z.string(), z.number().int().positive()) }),
    /** Always this size (Nova Reel 1280×720). */
    z.object({ kind: z.literal('fixed'), width: z.number().int().positive(), height: z.number().int().positive() }),
    /** A size per resolution and aspect ratio ("720p/9:16" → 720×1280). */
    z.object({ kind: z.literal('table'), sizes: z.record(z.string(), z.tuple([z.number().int().positive(), z.number().int().positive()])) }),
    /** The width and height asked for (adline's protocol). */
    z.object({ kind: z.literal('as-asked') }),
  ]),
  /** Frames per second of the returned clip; undefined when it is the fps asked for (frame-count models). */
  fps: z.number().positive().optional(),
});
export type OutputShape = z.infer<typeof OutputShape>;

/** What a completed job costs. */
export const PriceRule = z.discriminatedUnion('unit', [
  /** A base price for the first `baseSeconds`, then a price per extra second (Kling on fal). */
  z.object({ unit: z.literal('clip'), baseUsd: z.number().nonnegative(), baseSeconds: z.number().positive(), perExtraSecondUsd: z.number().nonnegative() }),
  /** Per second of video returned, per resolution where it differs; `countedAtFps` when seconds are frames ÷ that rate (Wan). */
  z.object({
    unit: z.literal('video-second'),
    usdPerSecond: z.record(z.string(), z.number().nonnegative()),
    countedAtFps: z.number().positive().optional(),
  }),
  /** Per million video tokens, tokens = width·height·fps·seconds / 1024 (Seedance on fal). */
  z.object({ unit: z.literal('video-token'), usdPerMillionTokens: z.number().nonnegative() }),
  /** Hardware time: the provider's compute seconds, estimated from seconds of video until reported. */
  z.object({ unit: z.literal('gpu-second'), usdPerSecond: z.number().nonnegative(), gpuSecondsPerVideoSecond: z.number().positive() }),
]);
export type PriceRule = z.infer<typeof PriceRule>;

/** Where a figure was read: a public https URL, or a file of this repository (docs/…) for adline's own figures. */
const Source = z.object({ figure: z.string().min(1), url: z.string().regex(/^(https:\/\/\S+|docs\/[\w./-]+)$/, 'an https URL or a docs/ path') });

export const ModelProfile = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lower-case letters, digits, dots and dashes'),
    name: z.string().min(1),
    provider: z.enum(['http', 'replicate', 'fal', 'bedrock', 'sagemaker']),
    /** The provider's model id: fal app path, Replicate owner/name, Bedrock modelId, SageMaker endpoint name. */
    model: z.string().min(1),
    request: z.object({
      /** Request field names; absent: the model does not take it (then it is not sent). */
      fields: z.object({
        prompt: z.string(),
        image: z.string(),
        length: z.string().optional(),
        fps: z.string().optional(),
        resolution: z.string().optional(),
        aspectRatio: z.string().optional(),
        negativePrompt: z.string().optional(),
        seed: z.string().optional(),
      }),
      length: LengthRule,
      resolutions: z.array(z.string()).min(1).optional(),
      defaultResolution: z.string().optional(),
      /** Aspect ratios the model takes ("9:16"); absent: the aspect follows the image. */
      aspectRatios: z.array(z.string()).min(1).optional(),
      promptMaxChars: z.number().int().positive(),
      /** Highest seed the model takes. */
      seedMax: z.number().int().positive().default(2_147_483_647),
      /** Fields sent as is (Kling's `mode` on Replicate). */
      constants: z.record(z.string(), z.unknown()).default({}),
    }),
    /** How the product photo is prepared before it is sent. */
    image: z.object({
      /** exact: resized and padded to width×height; aspect: padded to the shot's aspect, long side ≤ maxSide. */
      fit: z.enum(['exact', 'aspect']),
      width: z.number().int().positive().optional(),
      height: z.number().int().positive().optional(),
      maxSide: z.number().int().positive().default(1920),
      format: z.enum(['jpeg', 'png']),
      maxBytes: z.number().int().positive(),
      /** data-url / base64: a string in the JSON; nova-images: Nova's [{format, source: {bytes}}]; luma-keyframe: {type: 'image', url}. */
      transport: z.enum(['data-url', 'base64', 'nova-images', 'luma-keyframe']),
    }),
    output: OutputShape,
    price: PriceRule,
    /** Typical seconds from submit to a finished 5 s clip. */
    latencySeconds: z.number().positive(),
    /** Camera words the model follows, per camera move; absent moves use adline's defaults. */
    cameraWords: z.record(z.string(), z.string()).default({}),
    sources: z.array(Source).min(1),
  })
  .superRefine((p, ctx) => {
    if (p.request.resolutions && p.request.defaultResolution && !p.request.resolutions.includes(p.request.defaultResolution)) {
      ctx.addIssue({ code: 'custom', path: ['request', 'defaultResolution'], message: `not one of ${p.request.resolutions.join(', ')}` });
    }
    if (p.image.fit === 'exact' && (!p.image.width || !p.image.height))
      ctx.addIssue({ code: 'custom', path: ['image'], message: 'an exact image needs width and height' });
  });
export type ModelProfile = z.infer<typeof ModelProfile>;
export type ModelProfileInput = z.input<typeof ModelProfile>;

/** A campaign's choices for its model, checked against the profile when the campaign is loaded. */
export const ClipSettings = z
  .object({
    /** Force every clip to this length (must be one the model allows); default: the shortest that covers each shot. */
    seconds: z.number().positive().optional(),
    resolution: z.string().optional(),
    /** Frame rate asked of frame-count models (Wan, LTX). */
    fps: z.number().int().positive().optional(),
  })
  .strict();
export type ClipSettings = z.infer<typeof ClipSettings>;

/** What the planner asks one model for, for one shot: recorded on the render job and sent by the adapter. */
export const ClipRequest = z.object({
  profile: z.string(),
  /** Seconds the longest channel shows this shot (what the clip must cover, slowed at most 1.25× by the assembler). */
  shotSeconds: z.number().positive(),
  /** Seconds asked (durations models) or frames ÷ fps (frame models). */
  seconds: z.number().positive(),
  frames: z.number().int().positive().optional(),
  fps: z.number().positive(),
  resolution: z.string().optional(),
  aspectRatio: z.string().optional(),
  /** Expected size of the returned clip. */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
export type ClipRequest = z.infer<typeof ClipRequest>;

/** Why a campaign's clip settings cannot work on a profile (empty when they can). */
export function clipSettingsProblems(profile: ModelProfile, settings: ClipSettings | undefined): string[] {
  if (!settings) return [];
  const problems: string[] = [];
  const rule = profile.request.length;
  if (settings.seconds !== undefined) {
    if (rule.kind === 'durations' && !rule.seconds.includes(settings.seconds)) {
      problems.push(`renderer.clip.seconds ${settings.seconds} is not allowed on ${profile.id}: use one of ${rule.seconds.join(', ')}`);
    }
    if (rule.kind === 'frames') {
      const fps = settings.fps ?? rule.fps.default;
      const frames = Math.round(settings.seconds * fps);
      if (frames < rule.min || frames > rule.max)
        problems.push(
          `renderer.clip.seconds ${settings.seconds} at ${fps} fps is ${frames} frames, outside ${rule.min}–${rule.max} ` +
            `on ${profile.id}: use ${round3(rule.min / fps)}–${round3(rule.max / fps)} s`,
        );
    }
    if (rule.kind === 'as-asked' && settings.seconds > rule.maxSeconds)
      problems.push(`renderer.clip.seconds ${settings.seconds} is above ${rule.maxSeconds} s on ${profile.id}`);
  }
  if (settings.fps !== undefined) {
    if (rule.kind !== 'frames') problems.push(`renderer.clip.fps is not a setting of ${profile.id} (it returns ${profile.output.fps ?? 'the asked'} fps)`);
    else if (settings.fps < rule.fps.min || settings.fps > rule.fps.max)
      problems.push(`renderer.clip.fps ${settings.fps} is outside ${rule.fps.min}–${rule.fps.max} on ${profile.id}`);
  }
  if (settings.resolution !== undefined && !(profile.request.resolutions ?? []).includes(settings.resolution)) {
    problems.push(
      `renderer.clip.resolution "${settings.resolution}" is not offered by ${profile.id}: ` +
        `use ${profile.request.resolutions ? `one of ${profile.request.resolutions.join(', ')}` : 'none (the model has one resolution)'}`,
    );
  }
  return problems;
}

/** Reduces a width×height to the nearest aspect ratio the model takes ("9:16"), or the exact ratio when any is taken. */
export function aspectRatioFor(profile: ModelProfile, width: number, height: number): string | undefined {
  const allowed = profile.request.aspectRatios;
  if (!allowed) return undefined;
  const target = width / height;
  const value = (r: string) => {
    const [a, b] = r.split(':').map(Number);
    return a / b;
  };
  return allowed
    .filter((r) => r.includes(':'))
    .reduce(
      (best, r) => (Math.abs(Math.log(value(r) / target)) < Math.abs(Math.log(value(best) / target)) ? r : best),
      allowed.find((r) => r.includes(':')) ?? allowed[0],
    );
}

/** The clip to ask for a shot of `shotSeconds`: the shortest allowed length covering it (or the longest, to be slowed ≤ 1.25×). */
export function planClip(profile: ModelProfile, shot: { seconds: number; width: number; height: number }, settings: ClipSettings = {}): ClipRequest {
  const rule = profile.request.length;
  const resolution = settings.resolution ?? profile.request.defaultResolution;
  const aspectRatio = aspectRatioFor(profile, shot.width, shot.height);
  let seconds: number;
  let frames: number | undefined;
  let fps: number;
  if (rule.kind === 'durations') {
    seconds = settings.seconds ?? rule.seconds.find((s) => s >= shot.seconds - 1e-9) ?? rule.seconds.at(-1)!;
    fps = profile.output.fps ?? 30;
  } else if (rule.kind === 'frames') {
    fps = settings.fps ?? rule.fps.default;
    const wanted = Math.max(rule.min, Math.ceil((settings.seconds ?? shot.seconds) * fps - 1e-9));
    const valid = (f: number) => f >= rule.min && f <= rule.max && (f - rule.offset) % rule.step === 0;
    let f = wanted;
    while (f < rule.max && !valid(f)) f++;
    while (f > rule.min && !valid(f)) f--;
    frames = f;
    seconds = round3(frames / fps);
  } else {
    seconds = Math.min(rule.maxSeconds, settings.seconds ?? shot.seconds);
    fps = profile.output.fps ?? 30;
  }
  const size = outputSize(profile, { width: shot.width, height: shot.height, resolution, aspectRatio });
  return {
    profile: profile.id,
    shotSeconds: round3(shot.seconds),
    seconds,
    ...(frames !== undefined ? { frames } : {}),
    fps,
    ...(resolution ? { resolution } : {}),
    ...(aspectRatio ? { aspectRatio } : {}),
    ...size,
  };
}

/** The size a model returns for a request (its size rule applied to the image's or the asked aspect). */
export function outputSize(
  profile: ModelProfile,
  req: { width: number; height: number; resolution?: string; aspectRatio?: string },
): { width: number; height: number } {
  const size = profile.output.size;
  if (size.kind === 'fixed') return { width: size.width, height: size.height };
  if (size.kind === 'as-asked') return { width: req.width, height: req.height };
  if (size.kind === 'table') {
    const found = size.sizes[`${req.resolution ?? ''}/${req.aspectRatio ?? ''}`] ?? size.sizes[req.resolution ?? ''] ?? Object.values(size.sizes)[0];
    return { width: found[0], height: found[1] };
  }
  const short = size.shortSide[req.resolution ?? ''] ?? Object.values(size.shortSide)[0];
  const ratio = req.width / req.height;
  return ratio <= 1 ? { width: short, height: even(short / ratio) } : { width: even(short * ratio), height: short };
}

/** What one completed job costs under the profile's price rule, from the clip returned (or the clip asked for). */
export function clipCost(
  profile: ModelProfile,
  clip: { seconds: number; width: number; height: number; fps: number; resolution?: string; frames?: number },
  computeSeconds?: number,
): number {
  const p = profile.price;
  switch (p.unit) {
    case 'clip':
      return round6(p.baseUsd + Math.max(0, clip.seconds - p.baseSeconds) * p.perExtraSecondUsd);
    case 'video-second': {
      const rate = p.usdPerSecond[clip.resolution ?? ''] ?? p.usdPerSecond.default ?? Math.max(...Object.values(p.usdPerSecond));
      const seconds = p.countedAtFps && clip.frames ? clip.frames / p.countedAtFps : clip.seconds;
      return round6(rate * seconds);
    }
    case 'video-token':
      return round6(((clip.width * clip.height * clip.fps * clip.seconds) / 1024 / 1e6) * p.usdPerMillionTokens);
    case 'gpu-second':
      return round6(p.usdPerSecond * (computeSeconds ?? clip.seconds * p.gpuSecondsPerVideoSecond));
  }
}

const even = (n: number) => 2 * Math.round(n / 2);
const round3 = (n: number) => Math.round(n * 1000) / 1000;
const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
