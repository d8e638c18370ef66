import { z } from 'zod';

/**
 * The newest state adline has seen of one source product (a Shopify product by shop + GID): its
 * `updated_at`, the hash of its ad-relevant content, and the sku its ads live under. Deliveries older
 * than `updatedAt` are stale retries; an equal content hash means nothing an ad shows has changed.
 */
export const ProductWatermark = z.object({
  schemaVersion: z.literal(1),
  sourceId: z.string().min(1).max(400),
  sku: z.string(),
  updatedAt: z.string().datetime(),
  contentHash: z.string(),
  deleted: z.boolean().default(false),
});
export type ProductWatermark = z.infer<typeof ProductWatermark>;

/** Delivery dedupe records live at least this long: Shopify retries for 4 h and may deliver a day late. */
export const DELIVERY_TTL_SECONDS = 48 * 3600;
