import { z } from 'zod';
import type { Campaign } from './campaign.ts';
import { contentHash } from '#domain/hash';
import type { Product } from './product.ts';

const Line = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(s), { message: 'has control or bidi characters' });

/** Copy a reviewer wrote for one product: each field replaces what the catalog or the campaign gave. */
export const CopyEdit = z
  .object({
    headline: Line(200).optional(),
    features: z.array(Line(300)).max(10).optional(),
    cta: Line(40).optional(),
  })
  .strict();
export type CopyEdit = z.infer<typeof CopyEdit>;

/**
 * Per-product review overrides (`review/<campaign>/overrides/<sku>.json`): edited copy, and the shots a
 * reviewer asked to take again (template → storyboard shot index → how many times), which moves that shot's seed on.
 */
export const AdOverrides = z.object({
  schemaVersion: z.literal(1),
  campaignId: z.string(),
  sku: z.string(),
  copy: CopyEdit.default({}),
  reseed: z.record(z.string(), z.record(z.string(), z.number().int().positive())).default({}),
  updatedAt: z.string(),
  by: z.string().optional(),
});
export type AdOverrides = z.infer<typeof AdOverrides>;

/** The asset-store key of a product's overrides. */
export const overridesKey = (campaignId: string, sku: string) => `review/${campaignId}/overrides/${sku}.json`;

/** The part of the overrides one template's ads depend on, hashed (undefined: none, so the ad's input hash stays as it always was). */
export function overridesHash(overrides: AdOverrides | undefined, templateId: string): string | undefined {
  if (!overrides) return undefined;
  const copy = Object.keys(overrides.copy).length > 0 ? overrides.copy : undefined;
  const reseed = overrides.reseed[templateId] && Object.keys(overrides.reseed[templateId]).length > 0 ? overrides.reseed[templateId] : undefined;
  return copy || reseed ? contentHash({ copy: copy ?? null, reseed: reseed ?? null }) : undefined;
}

/** The product and campaign as the planner should see them with the edited copy (new objects: nothing cached is reused). */
export function withCopy(product: Product, campaign: Campaign, copy: CopyEdit | undefined): { product: Product; campaign: Campaign } {
  if (!copy || Object.keys(copy).length === 0) return { product, campaign };
  return {
    product: { ...product, ...(copy.headline ? { title: copy.headline } : {}), ...(copy.features ? { features: copy.features } : {}) },
    campaign: { ...campaign, ...(copy.cta ? { cta: copy.cta } : {}) },
  };
}

/** Shot reseeds of one template as the planner takes them: storyboard shot index → take number. */
export function reseedsFor(overrides: AdOverrides | undefined, templateId: string): Record<number, number> | undefined {
  const entry = overrides?.reseed[templateId];
  if (!entry) return undefined;
  return Object.fromEntries(Object.entries(entry).map(([k, v]) => [Number(k), v]));
}
