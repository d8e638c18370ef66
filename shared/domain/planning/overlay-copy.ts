import type { Campaign } from '#domain/model/campaign';
import type { Product } from '#domain/model/product';
import type { OverlaySlot } from '#domain/model/template';
import { discountText, featureBullets, priceWithWas } from './copy.ts';
import { drawableText } from './text-metrics.ts';

export interface Copy {
  /** Absent when no shipped font draws the title: the ad has no headline (reported as a text notice), never another text. */
  headline?: string;
  brand: string;
  features: string[];
  price: string;
  /** The compare-at price inside `price`, drawn struck through. */
  was?: string;
  discount?: string;
  /** Absent when no shipped font draws the campaign's CTA (a text notice says so). */
  cta?: string;
  /** Language of the copy: picks the CJK font for Han. */
  locale: string;
}

const copyCache = new WeakMap<Product, WeakMap<Campaign, Copy>>();

/** The product's copy, made drawable by the shipped fonts (emoji and uncovered scripts are dropped); once per product and campaign. */
export function copyFor(product: Product, campaign: Campaign): Copy {
  let byCampaign = copyCache.get(product);
  if (!byCampaign) copyCache.set(product, (byCampaign = new WeakMap()));
  let copy = byCampaign.get(campaign);
  if (!copy) byCampaign.set(campaign, (copy = makeCopy(product, campaign)));
  return copy;
}

function makeCopy(product: Product, campaign: Campaign): Copy {
  // The product's brand, else the campaign's; one no font draws is left out (a text notice), not replaced.
  const brand = drawableText(product.brand ?? campaign.brand.name);
  const discount = discountText(product.price, product.compareAtPrice, campaign.locale);
  return {
    // A title no font draws is left out (and reported by textNotices), never swapped for the brand.
    headline: drawableText(product.title) || undefined,
    brand,
    features: featureBullets(product).map(drawableText).filter(Boolean),
    ...priceCopy(product, campaign),
    discount: discount ? drawableText(discount) : undefined,
    cta: drawableText(campaign.cta) || undefined,
    locale: product.locale ?? campaign.locale,
  };
}

/** The price line (new price, then the compare-at price to strike through) as drawable text. */
function priceCopy(product: Product, campaign: Campaign): { price: string; was?: string } {
  const { line, was } = priceWithWas(product.price, product.compareAtPrice, campaign.locale);
  const drawnWas = was ? drawableText(was) : '';
  return { price: drawableText(line), ...(drawnWas ? { was: drawnWas } : {}) };
}

/** The text of one slot; the n-th feature slot of a template shows the n-th bullet. */
export function slotText(slot: OverlaySlot, copy: Copy, featureIndex: number): string | undefined {
  switch (slot) {
    case 'headline':
      return copy.headline;
    case 'brand':
      return copy.brand || undefined;
    case 'feature':
      return copy.features[featureIndex];
    case 'price':
      return copy.price;
    case 'discount':
      return copy.discount;
    case 'cta':
      return copy.cta;
  }
}
