import { z } from 'zod';
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
});
export type RenderJob = z.infer<typeof RenderJob>;

/**
 * A finished shot. `plate` is a still the assembler animates inside its own filter graph
 * (procedural renders cost no extra encode); `clip` is a video a generative endpoint made.
 */
export const RenderOutput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('plate'), key: z.string(), camera: CameraMove }),
  z.object({ kind: z.literal('clip'), key: z.string() }),
]);
export type RenderOutput = z.infer<typeof RenderOutput>;

export const RenderResult = z.object({
  schemaVersion: z.literal(1),
  renderHash: z.string(),
  state: RenderState,
  renderer: z.string(),
  output: RenderOutput.optional(),
  attempts: z.number().int().nonnegative(),
  renderSeconds: z.number().nonnegative(),
  error: z.string().optional(),
});
export type RenderResult = z.infer<typeof RenderResult>;
