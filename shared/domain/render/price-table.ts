import type { RendererKind } from '#domain/model/campaign';

/**
 * What one shot costs on each endpoint kind. `video-second` prices bill the seconds of video asked for
 * (rounded up to the provider's blocks and minimum); `gpu-second` prices bill hardware time, estimated
 * from the seconds of video until the provider reports the real compute seconds.
 */
export type PriceEntry =
  | { unit: 'video-second'; usdPerSecond: number; minSeconds?: number; blockSeconds?: number; source: string }
  | { unit: 'gpu-second'; usdPerSecond: number; gpuSecondsPerVideoSecond: number; source: string };

/** The provider price table, with where each figure comes from (../shared/reference/render-providers.md). */
export const PRICE_TABLE: Record<RendererKind, PriceEntry> = {
  // CPU inside the render function: Lambda time is counted with the run, not as a render price.
  procedural: { unit: 'video-second', usdPerSecond: 0, source: 'built in (CPU, no provider fee)' },
  // adline's own protocol on self-hosted GPUs: a nominal rate so cost reports mean something; set it per deployment.
  http: { unit: 'video-second', usdPerSecond: 0.01, source: 'assumption: nominal self-hosted rate, not a provider price' },
  // Replicate bills hardware seconds: H100 $0.001525/s; ~60 GPU-s per video-s is an assumption for i2v models.
  replicate: {
    unit: 'gpu-second',
    usdPerSecond: 0.001525,
    gpuSecondsPerVideoSecond: 60,
    source: 'https://replicate.com/pricing (H100 $5.49/h); GPU-s per video-s assumed',
  },
  // fal Kling 2.1 standard image-to-video: $0.28 per 5 s, +$0.056/s; adline asks for 5 s or 10 s clips.
  fal: {
    unit: 'video-second',
    usdPerSecond: 0.056,
    minSeconds: 5,
    blockSeconds: 5,
    source: 'https://fal.ai/models/fal-ai/kling-video/v2.1/standard/image-to-video/llms.txt',
  },
  // Nova Reel on Bedrock: 6 s clips at 720p; per-second price (verify on the Bedrock pricing page).
  bedrock: { unit: 'video-second', usdPerSecond: 0.08, minSeconds: 6, blockSeconds: 6, source: 'https://aws.amazon.com/bedrock/pricing/ (Nova Reel, verify)' },
  // SageMaker async bills instance time, no per-request fee; ml.g5-class ~$1.4/h and 60 GPU-s per video-s assumed.
  sagemaker: {
    unit: 'gpu-second',
    usdPerSecond: 0.00039,
    gpuSecondsPerVideoSecond: 60,
    source: 'https://aws.amazon.com/sagemaker/pricing/ (instance time; rate assumed)',
  },
};

/** Seconds of video a provider bills for a shot of `duration` seconds (its minimum and block size applied). */
export function billedVideoSeconds(entry: PriceEntry, duration: number): number {
  if (entry.unit !== 'video-second') return round(duration);
  const min = Math.max(duration, entry.minSeconds ?? 0);
  return round(entry.blockSeconds ? Math.ceil(min / entry.blockSeconds - 1e-9) * entry.blockSeconds : min);
}

/** The cost of one attempt: the provider's compute seconds when it reports them, else the estimate. */
export function attemptCost(entry: PriceEntry, duration: number, computeSeconds?: number): number {
  if (entry.unit === 'gpu-second') return round(entry.usdPerSecond * (computeSeconds ?? duration * entry.gpuSecondsPerVideoSecond), 6);
  return round(entry.usdPerSecond * billedVideoSeconds(entry, duration), 6);
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;
