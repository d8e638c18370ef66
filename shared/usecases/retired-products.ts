import { retiredKey, retiredPrefix, skuOfRetiredKey } from '#domain/model/retired-products';
import type { AssetStore } from '#ports/asset-store';

/** The skus retired from a campaign. */
export async function retiredSkus(store: AssetStore, campaignId: string): Promise<Set<string>> {
  return new Set((await store.list(retiredPrefix(campaignId))).filter((k) => k.endsWith('.json')).map(skuOfRetiredKey));
}

/** Lifts a retirement: a new explicit catalog (an upload, a product active again in Shopify) names the product. */
export async function unretireProducts(store: AssetStore, campaignId: string, skus: Iterable<string>): Promise<void> {
  const retired = await retiredSkus(store, campaignId);
  for (const sku of skus) if (retired.has(sku)) await store.delete(retiredKey(campaignId, sku));
}
