import { z } from 'zod';

/** The payloads that travel between workflow states, from the run's input on: references and hashes only, never media. */

/** The input of one workflow execution: references only, never media. */
export const RunInput = z.object({
  schemaVersion: z.literal(1),
  runId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  campaignKey: z.string(),
  catalogKey: z.string(),
  /** Channel ids to produce; absent means the campaign's own list. */
  channels: z.array(z.string()).optional(),
});
export type RunInput = z.infer<typeof RunInput>;

export const VariantRef = z.object({
  templateId: z.string(),
  channel: z.string(),
  inputHash: z.string(),
  /** Creative generation for planStoryboard (a refresh of a stale ad bumps it); absent means 0. */
  generation: z.number().int().nonnegative().optional(),
});
export type VariantRef = z.infer<typeof VariantRef>;

export const ProductItem = z.object({
  runId: z.string(),
  campaignKey: z.string(),
  sku: z.string(),
  productKey: z.string(),
  productHash: z.string(),
  variants: z.array(VariantRef).min(1),
  /** The media toolchain's id Prepare hashed (shared/media/toolchain-version.ts); Plan has no media layer to read it. */
  toolchain: z.string().optional(),
  /** The source product and content this input came from (a Shopify delivery): publish checks it is still the newest. */
  source: z.object({ sourceId: z.string(), contentHash: z.string() }).optional(),
});
export type ProductItem = z.infer<typeof ProductItem>;

export const Prepared = z.object({ products: z.array(ProductItem), unchanged: z.number().int(), rejected: z.number().int() });
export type Prepared = z.infer<typeof Prepared>;

const PlannedPlacement = VariantRef.extend({ storyboardKey: z.string(), storyboardHash: z.string() });

/** A planned variant; `sharedWith` lists other placements its encode is published under too (shared-encode.ts). */
export const PlannedVariantRef = PlannedPlacement.extend({ sharedWith: z.array(PlannedPlacement).optional() });
export type PlannedVariantRef = z.infer<typeof PlannedVariantRef>;

export const Plan = z.object({
  renderJobs: z.array(z.object({ renderHash: z.string(), jobKey: z.string(), templateId: z.string().optional() })),
  variants: z.array(PlannedVariantRef),
  /** Shots of this product rendered at once: the campaign's renderer.concurrency (the RenderShots Map's MaxConcurrencyPath). */
  renderConcurrency: z.number().int().positive().optional(),
});
export type Plan = z.infer<typeof Plan>;

export const RenderShotInput = z.object({
  runId: z.string(),
  campaignKey: z.string(),
  jobKey: z.string(),
  renderHash: z.string(),
  templateId: z.string().optional(),
});
export type RenderShotInput = z.infer<typeof RenderShotInput>;

/** Where a shot's render loop goes next: wait and poll, submit the next attempt, or stop (output stored). */
export const RenderLoop = z.object({
  state: z.enum(['WAITING', 'RESUBMIT', 'DONE']),
  waitSeconds: z.number().int().min(1),
  attempt: z.number().int().nonnegative(),
  /** DONE because a finished render with the same hash was reused (nothing rendered or paid). */
  reused: z.boolean().optional(),
});
export type RenderLoop = z.infer<typeof RenderLoop>;

/** The render loop's state payload: the shot, the loop's last step, and the error that sent it to the fallback. */
export const RenderStepInput = RenderShotInput.extend({
  render: RenderLoop.optional(),
  renderError: z.object({ Error: z.string(), Cause: z.string().optional() }).optional(),
});
export type RenderStepInput = z.infer<typeof RenderStepInput>;

/** `campaignKey` lets the assembler find the brand logo and music; absent (older executions): neither. */
export const AssembleInput = z.object({ runId: z.string(), sku: z.string(), campaignKey: z.string().optional(), variant: PlannedVariantRef });
export type AssembleInput = z.infer<typeof AssembleInput>;

/** The creative QC's verdict on a variant: the full report stays in the asset store at reportKey. */
export const CreativeSummary = z.object({
  ok: z.boolean(),
  reportKey: z.string(),
  failures: z.array(z.string()),
  figures: z.record(z.string(), z.number()),
  relayouts: z.number().int().optional(),
});
export type CreativeSummary = z.infer<typeof CreativeSummary>;

export const AssembledVariant = PlannedVariantRef.extend({
  variantHash: z.string(),
  stagedVideo: z.string(),
  stagedPoster: z.string(),
  duration: z.number(),
  encodeSeconds: z.number(),
  bytes: z.number().int().optional(),
  creative: CreativeSummary.optional(),
});
export type AssembledVariant = z.infer<typeof AssembledVariant>;

export const PublishInput = ProductItem.extend({ plan: Plan, assembled: z.array(AssembledVariant) });
export type PublishInput = z.infer<typeof PublishInput>;

export const FailureInput = ProductItem.extend({ error: z.object({ Error: z.string(), Cause: z.string().optional() }) });
export type FailureInput = z.infer<typeof FailureInput>;

export const SummarizeInput = z.object({ runId: z.string(), campaignKey: z.string() });

/** One endpoint's or template's renders: all its shots and what they cost, and the gate's yield over those sent to an endpoint. */
const Spend = z.object({
  shots: z.number().int(),
  attempts: z.number().int(),
  videoSeconds: z.number(),
  costUsd: z.number(),
  firstPassYield: z.number(),
  finalYield: z.number(),
  fallbacks: z.number().int(),
});

export const RenderYield = z.object({
  /** Shots sent to a render endpoint (procedural-only shots are not counted here). */
  shots: z.number().int(),
  /** Shots whose first attempt passed the quality gate, over shots. */
  firstPassYield: z.number(),
  /** Shots that ended with an endpoint output (any attempt), over shots; the rest fell back. */
  finalYield: z.number(),
  fallbacks: z.number().int(),
  /** Fallbacks forced by the campaign's daily or monthly budget (those shots were rendered procedurally, the ads published). */
  budgetStops: z.number().int().default(0),
  attempts: z.number().int(),
  /** Seconds of video billed across all attempts (what `plan --quote` estimates). */
  videoSeconds: z.number(),
  costUsd: z.number(),
  byEndpoint: z.record(z.string(), Spend),
  byTemplate: z.record(z.string(), Spend),
});
export type RenderYield = z.infer<typeof RenderYield>;

export const RunSummary = z.object({
  runId: z.string(),
  campaignId: z.string(),
  products: z.number().int(),
  published: z.number().int(),
  unchanged: z.number().int(),
  failed: z.number().int(),
  rejected: z.number().int(),
  failures: z.array(z.object({ sku: z.string(), channel: z.string(), reason: z.string() })),
  /** The first rejected rows; `report` (the validation report in the store) lists them all. */
  rejections: z.array(z.object({ row: z.number().int(), sku: z.string().optional(), reason: z.string() })),
  report: z.string().optional(),
  /** Copy no shipped font draws, per product and field, with what the ads show instead (one line each). */
  textNotices: z.array(z.string()).optional(),
  /** Shots this run rendered (reused ones excluded): yield through the quality gate, fallbacks, seconds and cost. */
  renders: RenderYield.optional(),
});
export type RunSummary = z.infer<typeof RunSummary>;
