import { z } from 'zod';
import type { Campaign } from './campaign.ts';
import { discountText, featureBullets, priceLine } from '#domain/planning/copy';
import type { Product } from './product.ts';
import { drawableText, undrawable } from '#domain/planning/text-metrics';

/*
 * Text the shipped fonts cannot draw is left out of the ad, never swapped for other copy (a Korean title
 * does not become the brand name, a Korean CTA does not become "Shop now") and never dropped silently:
 * each case is a notice naming the product, the field and the script, and saying what the ad shows instead.
 */

export const TextNotice = z.object({
  sku: z.string(),
  /** The catalog or campaign field: title, brand, features[2], price, cta. */
  field: z.string(),
  /** Script id of the characters left out (scripts.ts): `emoji`, `tamil`, `georgian`, … */
  script: z.string(),
  /** How many characters were left out, and up to 8 of them. */
  count: z.number().int().positive(),
  sample: z.string(),
  /** What the ad did instead, for people: "no headline", "the headline leaves out 2 emoji". */
  action: z.string(),
});
export type TextNotice = z.infer<typeof TextNotice>;

const SLOT: Record<string, string> = { title: 'headline', brand: 'brand line', cta: 'CTA button', price: 'price', discount: 'discount badge' };

/** Notices for one field: nothing when every character is drawable. */
function fieldNotices(sku: string, field: string, text: string | undefined): TextNotice[] {
  if (!text) return [];
  const missing = undrawable(text);
  if (missing.length === 0) return [];
  const slot = SLOT[field] ?? (field.startsWith('features') ? 'feature line' : field);
  const whole = drawableText(text) === '';
  return missing.map(({ script, count, sample }) => ({
    sku,
    field,
    script,
    count,
    sample,
    action: whole
      ? `no ${slot}: the ad leaves it out (no other text is put in its place)`
      : `the ${slot} leaves out ${count} ${script} character${count === 1 ? '' : 's'}`,
  }));
}

/** Every piece of an ad's copy for this product and campaign that the fonts cannot draw, with what the ad shows instead. */
export function textNotices(product: Product, campaign: Campaign): TextNotice[] {
  const sku = product.sku;
  const discount = discountText(product.price, product.compareAtPrice, campaign.locale);
  return [
    ...fieldNotices(sku, 'title', product.title),
    ...fieldNotices(sku, 'brand', product.brand ?? campaign.brand.name),
    ...featureBullets(product).flatMap((f, i) => fieldNotices(sku, `features[${i}]`, f)),
    ...fieldNotices(sku, 'price', priceLine(product.price, product.compareAtPrice, campaign.locale)),
    ...fieldNotices(sku, 'discount', discount),
    ...fieldNotices(sku, 'cta', campaign.cta),
  ];
}

/** One line per notice, for the CLI and logs. */
export function noticeLine(n: TextNotice): string {
  return `${n.sku} ${n.field}: ${n.count} ${n.script} character${n.count === 1 ? '' : 's'} ("${n.sample}") no shipped font draws: ${n.action}`;
}
