import { z } from 'zod';
import { contentHash } from '#domain/hash';
import { CatalogItem } from '#domain/model/product';
import { describeIssues } from '#domain/model/json-document';

/** The product topics adline acts on; any other topic is acknowledged and ignored. */
export const SHOPIFY_TOPICS = ['products/create', 'products/update', 'products/delete'] as const;
export type ShopifyTopic = (typeof SHOPIFY_TOPICS)[number];

/** Ids arrive as JSON numbers that may exceed 2^53; parseJsonLossless turns those into strings. Never Number() them. */
const Id = z.union([z.string().regex(/^\d{1,20}$/), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)]).transform(String);
const Gid = z.string().regex(/^gid:\/\/shopify\/Product\/\d{1,20}$/);

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** The delivery's headers (HTTPS) or EventBridge `detail.metadata`, names already lower-cased. */
export const ShopifyDeliveryMeta = z.object({
  'x-shopify-topic': z.string().min(1).max(100),
  'x-shopify-webhook-id': z.string().min(1).max(200),
  'x-shopify-shop-domain': z.string().regex(SHOP_DOMAIN, 'a *.myshopify.com domain'),
  'x-shopify-triggered-at': z.string().optional(),
  'x-shopify-event-id': z.string().optional(),
  'x-shopify-api-version': z.string().optional(),
});
export type ShopifyDeliveryMeta = z.infer<typeof ShopifyDeliveryMeta>;

export class ShopAllowListError extends Error {
  override readonly name = 'ShopAllowListError';
  readonly code = 'SHOP_ALLOW_LIST';
}

/**
 * The shops whose deliveries are accepted, from a comma-separated list (ADLINE_SHOPIFY_SHOP locally,
 * SHOPIFY_SHOPS in AWS); undefined when unset. A name that is not a *.myshopify.com domain fails fast.
 */
export function parseShopAllowList(value: string | undefined): string[] | undefined {
  const shops = (value ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (shops.length === 0) return undefined;
  const bad = shops.filter((s) => !SHOP_DOMAIN.test(s));
  if (bad.length > 0)
    throw new ShopAllowListError(
      `Not a *.myshopify.com shop domain: ${bad.join(', ')}. Set ADLINE_SHOPIFY_SHOP to the shop's my-shop.myshopify.com name (comma-separated for several).`,
    );
  return shops;
}

/** Lower-cases header names (Shopify says treat them case-insensitively; spellings of -Sha256 vary). */
export function lowerCaseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return out;
}

/** The EventBridge envelope of a Shopify partner event. */
export const ShopifyEventBridgeEvent = z.object({
  'detail-type': z.string(),
  source: z.string().startsWith('aws.partner/shopify.com'),
  detail: z.object({ payload: z.unknown(), metadata: z.record(z.string(), z.string()) }),
});

const Variant = z.object({
  id: Id.optional(),
  sku: z.string().nullish(),
  price: z.union([z.string(), z.number()]).nullish(),
  compare_at_price: z.union([z.string(), z.number()]).nullish(),
  position: z.number().optional(),
});
const Image = z.object({ src: z.string(), position: z.number().optional() });

/** The REST-shaped product body of products/create and products/update (only what adline reads). */
export const ShopifyProductPayload = z.object({
  id: Id,
  admin_graphql_api_id: Gid.optional(),
  title: z.string(),
  body_html: z.string().nullish(),
  vendor: z.string().nullish(),
  product_type: z.string().nullish(),
  handle: z.string(),
  updated_at: z.string().datetime({ offset: true }),
  status: z.string().default('active'),
  tags: z.union([z.string(), z.array(z.string())]).nullish(),
  variants: z.array(Variant).default([]),
  images: z.array(Image).default([]),
  category: z.object({ full_name: z.string().nullish(), name: z.string().nullish() }).nullish(),
});
export type ShopifyProductPayload = z.infer<typeof ShopifyProductPayload>;

/** products/delete carries only the id. */
export const ShopifyDeletePayload = z.object({ id: Id });

export type NormalizedShopifyProduct =
  | { kind: 'product'; gid: string; updatedAt: string; status: string; item: CatalogItem; contentHash: string }
  | { kind: 'invalid'; gid: string; updatedAt: string; reason: string };

/** The product's GID: the string field when present, else built from the (losslessly parsed) numeric id. */
export const productGid = (id: string) => `gid://shopify/Product/${id}`;

/**
 * Maps a Shopify product body to adline's CatalogItem. The content hash covers only what an ad shows
 * (title, copy, prices, images...), so inventory and timestamp noise leaves it unchanged.
 */
export function normalizeShopifyProduct(payload: ShopifyProductPayload, options: { shop: string; currency: string }): NormalizedShopifyProduct {
  const gid = payload.admin_graphql_api_id ?? productGid(payload.id);
  const updatedAt = new Date(payload.updated_at).toISOString();
  const priced = payload.variants
    .map((v) => ({ price: decimal(v.price), compare: decimal(v.compare_at_price) }))
    // A free variant (0.00, a sample) would make the ad say "free": the product is priced at its cheapest paid one.
    .filter((v): v is { price: number; compare: number | undefined } => v.price !== undefined && v.price > 0)
    .sort((a, b) => a.price - b.price);
  if (priced.length === 0) return { kind: 'invalid', gid, updatedAt, reason: 'no variant has a price' };
  const { description, features } = htmlToCopy(payload.body_html ?? '');
  const images = [...payload.images]
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
    .map((img) => img.src)
    .slice(0, 10);
  const tags = (Array.isArray(payload.tags) ? payload.tags : (payload.tags ?? '').split(','))
    .map((t) => t.trim())
    .filter(Boolean)
    .slice(0, 50);
  const candidate = {
    sku: payload.handle,
    id: gid,
    title: payload.title,
    description,
    features,
    brand: payload.vendor || undefined,
    price: { amount: priced[0].price, currency: options.currency },
    compareAtPrice: priced[0].compare && priced[0].compare > priced[0].price ? { amount: priced[0].compare, currency: options.currency } : undefined,
    images,
    tags,
    category: payload.category?.full_name || payload.category?.name || payload.product_type || undefined,
    url: `https://${options.shop}/products/${encodeURIComponent(payload.handle)}`,
  };
  const parsed = CatalogItem.safeParse(candidate);
  if (!parsed.success) return { kind: 'invalid', gid, updatedAt, reason: describeIssues(parsed.error.issues) };
  return { kind: 'product', gid, updatedAt, status: payload.status.toLowerCase(), item: parsed.data, contentHash: contentHash(parsed.data) };
}

function decimal(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const text = String(value).trim();
  return /^\d+(\.\d{1,4})?$/.test(text) ? Number(text) : undefined;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** Plain text from Shopify's body HTML: list items become feature bullets; tags and scripts are dropped. */
export function htmlToCopy(html: string): { description: string; features: string[] } {
  const clean = html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ');
  const text = (s: string) =>
    s
      .replace(/<[^>]*>/g, ' ')
      .replace(/&(#?\w+);/g, (m, e: string) => ENTITIES[e.toLowerCase()] ?? m)
      .replace(/\s+/g, ' ')
      .trim();
  const features = [...clean.matchAll(/<li[^>]*>([\s\S]*?)<\/li>/gi)]
    .map((m) => text(m[1]).slice(0, 300))
    .filter(Boolean)
    .slice(0, 20);
  return { description: text(clean.replace(/<(ul|ol)[\s\S]*?<\/\1>/gi, ' ')).slice(0, 20_000), features };
}
