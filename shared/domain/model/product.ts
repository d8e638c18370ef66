import { z } from 'zod';
import { hasVisibleCharacters, priceProblem } from '#domain/catalog/input-rules';

/** ISO 4217 codes the runtime can format (Intl knows every active currency); pure data, no I/O. */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export const Money = z.object({
  amount: z.number().finite().nonnegative(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD')
    .refine((code) => CURRENCIES.has(code), { message: 'not an ISO 4217 currency code: use one such as USD, EUR or JPY' }),
});

/**
 * Bidi embedding/override/isolate controls can make a title read backwards on screen (a spoofing
 * trick); right-to-left text itself needs none of them, so they are dropped.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
/** Display text from a catalog: bidi controls removed, and at least one visible character required. */
const displayText = (max: number) =>
  z
    .string()
    .transform((s) => s.replace(BIDI_CONTROLS, '').trim())
    .pipe(
      z.string().min(1).max(max).refine(hasVisibleCharacters, {
        message: 'has no visible characters (only spaces, fillers or format characters such as U+3164, U+2800 or tag characters)',
      }),
    );
export type Money = z.infer<typeof Money>;

/** A price an ad can print: finite, above zero, and within the currency's sane cap (1e308 is not a price). */
const Price = Money.superRefine((money, ctx) => {
  const problem = priceProblem(money.amount, money.currency);
  if (problem) ctx.addIssue({ code: 'custom', path: ['amount'], message: problem });
});

export const ProductSource = z.enum(['json', 'csv', 'shopify', 'api']);

/** A catalog item as it arrives (images are URLs or paths relative to the catalog file). */
export const CatalogItem = z.object({
  sku: z
    .string()
    .trim()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash or underscore')
    // The sku names folders (products/<sku>/, ads/<campaign>/<sku>/): ".", ".." and dot-edged names are not safe ones.
    .refine((sku) => !sku.startsWith('.') && !sku.endsWith('.'), { message: 'must not start or end with a dot ("." and ".." name folders, not products)' }),
  id: z.string().max(200).optional(),
  title: displayText(500),
  description: z.string().max(20_000).default(''),
  features: z.array(z.string().max(300)).max(20).default([]),
  brand: z.string().max(200).optional(),
  price: Price,
  compareAtPrice: Price.optional(),
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
