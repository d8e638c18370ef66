import { z } from 'zod';
import { ClipRequest } from '#domain/render/model-profile';
import { PhotoClass } from '#domain/model/photo-analysis';
import { Box } from './storyboard.ts';
import { CameraMove, Focus } from './template.ts';

export const RenderState = z.enum(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELED', 'EXPIRED']);
export type RenderState = z.infer<typeof RenderState>;

/** A provider-neutral request for one shot, shared by every channel of an aspect family. */
export const RenderJob = z.object({
  schemaVersion: z.literal(1),
  renderHash: z.string(),
  family: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  duration: z.number().positive(),
  camera: CameraMove,
  /** Asset key of the product photo the shot must show; absent for typographic shots. */
  imageKey: z.string().optional(),
  focus: Focus,
  background: z.tuple([z.string(), z.string()]),
  seed: z.number().int().nonnegative(),
  prompt: z.string(),
  negativePrompt: z.string(),
  /** What the model profile is asked for (generative jobs): clip length, fps, resolution, expected size. */
  clip: ClipRequest.optional(),
  /** A detail shot: the procedural plate is drawn closer, around the photo's salient region. */
  detail: z.boolean().optional(),
  /** Render-size area that every placement of the family keeps clear of platform UI; the product goes inside it. */
  area: Box.optional(),
});
export type RenderJob = z.infer<typeof RenderJob>;

/** The layout facts of a procedural plate. */
export const PlateFrame = z.object({
  photoClass: PhotoClass,
  layout: z.enum(['isolated', 'cover', 'blur-fill', 'none']),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  productBox: Box.optional(),
});
export type PlateFrame = z.infer<typeof PlateFrame>;

/**
 * A finished shot. `plate` is a still the assembler animates inside its own filter graph
 * (procedural renders cost no extra encode); `clip` is a video a generative endpoint made.
 */
export const RenderOutput = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('plate'),
    key: z.string(),
    camera: CameraMove,
    /** The same plate as two layers (background alone, product with alpha) for parallax moves; absent when the product could not be isolated. */
    layers: z.object({ background: z.string(), product: z.string() }).optional(),
    /** What the plate shows, for the creative QC: photo class, layout, and the product's box in plate pixels. */
    frame: PlateFrame.optional(),
  }),
  z.object({
    kind: z.literal('clip'),
    key: z.string(),
    /** The clip as probed at the quality gate: the assembler conforms it (retime, fps, crop) in its single pass. */
    media: z
      .object({ width: z.number().int().positive(), height: z.number().int().positive(), fps: z.number().positive(), duration: z.number().positive() })
      .optional(),
  }),
]);
export type RenderOutput = z.infer<typeof RenderOutput>;

/** The quality-check figures kept for an attempt (the media module's QcReport, flattened). */
export const QcFigures = z.object({
  ok: z.boolean(),
  failures: z.array(z.string()),
  metrics: z.record(z.string(), z.number()),
});
export type QcFigures = z.infer<typeof QcFigures>;

/**
 * One try at a shot on an endpoint. The row is written (SUBMITTING) before the provider is called, so a
 * retried or re-run submit finds the provider's job id instead of paying for the shot twice.
 */
export const RenderAttempt = z.object({
  schemaVersion: z.literal(1),
  renderHash: z.string(),
  attempt: z.number().int().positive(),
  seed: z.number().int().nonnegative(),
  renderer: z.string(),
  idempotencyKey: z.string(),
  providerJobId: z.string().optional(),
  state: z.union([RenderState, z.literal('SUBMITTING')]),
  submittedAt: z.string(),
  finishedAt: z.string().optional(),
  outputKey: z.string().optional(),
  qc: QcFigures.optional(),
  /** Seconds of video the provider was asked for (what per-output prices are billed on). */
  videoSeconds: z.number().nonnegative(),
  /** Provider-reported compute seconds, where it reports them (Replicate's predict_time). */
  computeSeconds: z.number().nonnegative().optional(),
  costUsd: z.number().nonnegative().default(0),
  error: z.string().optional(),
});
export type RenderAttempt = z.infer<typeof RenderAttempt>;

export const RenderResult = z.object({
  schemaVersion: z.literal(1),
  renderHash: z.string(),
  state: RenderState,
  /** Who made the stored output: the endpoint kind, or `procedural` (also after a fallback). */
  renderer: z.string(),
  output: RenderOutput.optional(),
  /** Attempts made on the endpoint (0 for procedural renders). */
  attempts: z.number().int().nonnegative(),
  /** Wall-clock seconds spent producing the output (procedural) or from first submit to the output (endpoints). */
  renderSeconds: z.number().nonnegative(),
  error: z.string().optional(),
  /** The endpoint the shot was sent to (campaign renderer kind), even when the fallback made the output. */
  endpoint: z.string().optional(),
  templateId: z.string().optional(),
  /** The run that produced the output: the run summary counts yield and cost per run. */
  runId: z.string().optional(),
  /** The attempt in flight while state is QUEUED/RUNNING. */
  currentAttempt: z.number().int().nonnegative().default(0),
  /** When the current attempt was submitted (its timeout runs from here). */
  attemptStartedAt: z.string().optional(),
  firstAttemptAt: z.string().optional(),
  /** The output came from the procedural fallback after the endpoint's attempts failed. */
  fallback: z.boolean().default(false),
  /** The fallback was forced by the campaign's daily or monthly budget, not by the endpoint. */
  budgetStop: z.boolean().optional(),
  /** Seconds of video billed across all attempts, and what they cost. */
  videoSeconds: z.number().nonnegative().default(0),
  costUsd: z.number().nonnegative().default(0),
  /** Why each failed attempt failed (QC failures, provider errors), in order. */
  attemptErrors: z.array(z.string()).default([]),
});
export type RenderResult = z.infer<typeof RenderResult>;
