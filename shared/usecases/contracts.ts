import { z } from 'zod';

/** The payloads that travel between workflow states: references and hashes only. */

export const VariantRef = z.object({
  templateId: z.string(), channel: z.string(), inputHash: z.string(),
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
});
export type ProductItem = z.infer<typeof ProductItem>;

export const Prepared = z.object({ products: z.array(ProductItem), unchanged: z.number().int(), rejected: z.number().int() });
export type Prepared = z.infer<typeof Prepared>;

export const PlannedVariantRef = VariantRef.extend({ storyboardKey: z.string(), storyboardHash: z.string() });
export type PlannedVariantRef = z.infer<typeof PlannedVariantRef>;

export const Plan = z.object({
  renderJobs: z.array(z.object({ renderHash: z.string(), jobKey: z.string() })),
  variants: z.array(PlannedVariantRef),
});
export type Plan = z.infer<typeof Plan>;

export const RenderShotInput = z.object({ runId: z.string(), jobKey: z.string(), renderHash: z.string() });
export type RenderShotInput = z.infer<typeof RenderShotInput>;

export const AssembleInput = z.object({ runId: z.string(), sku: z.string(), variant: PlannedVariantRef });
export type AssembleInput = z.infer<typeof AssembleInput>;

export const AssembledVariant = PlannedVariantRef.extend({
  variantHash: z.string(),
  stagedVideo: z.string(),
  stagedPoster: z.string(),
  duration: z.number(),
  encodeSeconds: z.number(),
  bytes: z.number().int().optional(),
});
export type AssembledVariant = z.infer<typeof AssembledVariant>;

export const PublishInput = ProductItem.extend({ plan: Plan, assembled: z.array(AssembledVariant) });
export type PublishInput = z.infer<typeof PublishInput>;

export const FailureInput = ProductItem.extend({ error: z.object({ Error: z.string(), Cause: z.string().optional() }) });
export type FailureInput = z.infer<typeof FailureInput>;

export const SummarizeInput = z.object({ runId: z.string(), campaignKey: z.string() });

export const RunSummary = z.object({
  runId: z.string(),
  campaignId: z.string(),
  products: z.number().int(),
  published: z.number().int(),
  unchanged: z.number().int(),
  failed: z.number().int(),
  rejected: z.number().int(),
  failures: z.array(z.object({ sku: z.string(), channel: z.string(), reason: z.string() })),
  rejections: z.array(z.object({ row: z.number().int(), sku: z.string().optional(), reason: z.string() })),
});
export type RunSummary = z.infer<typeof RunSummary>;
