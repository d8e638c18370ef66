import { z } from 'zod';

/** The delivery that last changed a source product's state (recorded with every retire and revival). */
export const DeliveryRef = z.object({
  webhookId: z.string().max(200),
  topic: z.string().max(100),
  shop: z.string().max(200),
  at: z.string().datetime(),
});
export type DeliveryRef = z.infer<typeof DeliveryRef>;

/**
 * The newest state adline has seen of one source product (a Shopify product by shop + GID): its
 * `updated_at`, the hash of its ad-relevant content, and the sku its ads live under. Deliveries older
 * than `updatedAt` are stale retries; an equal content hash means nothing an ad shows has changed.
 * It only ever moves by compare-and-set against the copy that was read (`Tracker.putWatermark`).
 */
export const ProductWatermark = z.object({
  schemaVersion: z.literal(1),
  sourceId: z.string().min(1).max(400),
  sku: z.string(),
  updatedAt: z.string().datetime(),
  contentHash: z.string(),
  deleted: z.boolean().default(false),
  /** The delivery that retired the product (deleted, draft or archived), so every retire can be traced. */
  retiredBy: DeliveryRef.optional(),
});
export type ProductWatermark = z.infer<typeof ProductWatermark>;

/** Delivery dedupe records live at least this long: Shopify retries for 4 h and may deliver a day late. */
export const DELIVERY_TTL_SECONDS = 48 * 3600;

/** Clock skew tolerated on a body's `updated_at`; anything later is clamped to now (see clampToNow). */
export const FUTURE_SKEW_MS = 5 * 60_000;

/**
 * A timestamp no later than `now` + the skew allowance: a product body dated in the future must not
 * push the watermark so far ahead that every genuine later update looks stale (the product frozen).
 */
export function clampToNow(iso: string, now: Date): string {
  const at = Date.parse(iso);
  return Number.isFinite(at) && at <= now.getTime() + FUTURE_SKEW_MS ? new Date(at).toISOString() : now.toISOString();
}

/** What a product update means against the watermark, decided from signed body fields only (never headers). */
export type UpdateDecision = 'new' | 'newer' | 'unchanged' | 'stale' | 'revive';

/**
 * Orders a product body against what was seen. Strictly newer moves on (a newer body with the same
 * content is 'unchanged' but still advances); an equal timestamp is a re-send; older is a stale retry.
 * A retired product comes back only with a body strictly newer than anything seen, so a replayed old
 * update cannot undo a genuine delete, and a replayed delete is undone by the next genuine update.
 */
export function decideUpdate(known: ProductWatermark | undefined, incoming: { updatedAt: string; contentHash: string }): UpdateDecision {
  if (!known) return 'new';
  const seen = Date.parse(known.updatedAt);
  const at = Date.parse(incoming.updatedAt);
  if (at < seen) return 'stale';
  if (at === seen) return 'unchanged';
  if (known.deleted) return 'revive';
  return known.contentHash === incoming.contentHash ? 'unchanged' : 'newer';
}

/** The catalog key a Shopify delivery writes: shop, numeric id and content hash say which input a run is for. */
export function shopifyCatalogKey(shop: string, numericId: string, contentHash: string): string {
  return `shopify/${shop}/${numericId}/${contentHash}.json`;
}

/** The watermark's source id of a Shopify product (shop + GID). */
export const shopifySourceId = (shop: string, gid: string) => `shopify#${shop}#${gid}`;

/** The source product and content a catalog key was written for, when a Shopify delivery wrote it. */
export function sourceOfCatalogKey(catalogKey: string): { sourceId: string; contentHash: string } | undefined {
  const match = /^shopify\/([a-z0-9][a-z0-9-]*\.myshopify\.com)\/(\d{1,20})\/([A-Za-z0-9_-]+)\.json$/.exec(catalogKey);
  if (!match) return undefined;
  return { sourceId: shopifySourceId(match[1], `gid://shopify/Product/${match[2]}`), contentHash: match[3] };
}
