import { z } from 'zod';

export const Money = z.object({
  amount: z.number().finite().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD'),
});
export type Money = z.infer<typeof Money>;

export const ProductSource = z.enum(['json', 'csv', 'shopify', 'api']);

/** A catalog item as it arrives (images are URLs or paths relative to the catalog file). */
export const CatalogItem = z.object({
  sku: z.string().trim().min(1).max(128).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash or underscore'),
  id: z.string().max(200).optional(),
  title: z.string().trim().min(1).max(500),
  description: z.string().max(20_000).default(''),
  features: z.array(z.string().max(300)).max(20).default([]),
  brand: z.string().max(200).optional(),
  price: Money,
  compareAtPrice: Money.optional(),
  images: z.array(z.string().min(1).max(2048)).max(10).default([]),
  tags: z.array(z.string().max(100)).max(50).default([]),
  category: z.string().max(200).optional(),
  url: z.string().url().optional(),
  locale: z.string().max(35).optional(),
});
export type CatalogItem = z.infer<typeof CatalogItem>;

/** A normalized product: images are asset-store keys, and the hash covers everything an ad shows. */
export const Product = CatalogItem.extend({
  schemaVersion: z.literal(1),
  source: ProductSource,
  productHash: z.string(),
});
export type Product = z.infer<typeof Product>;
