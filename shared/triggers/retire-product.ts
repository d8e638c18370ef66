import { productAdsPrefix } from '#domain/model/asset-keys';
import { retiredKey } from '#domain/model/retired-products';
import { writeFeeds } from '#usecases/delivery-feeds';
import { saveDocument } from '#usecases/load-documents';
import { updateAd } from '#usecases/record-ad';
import type { TriggerDeps } from '#ports/trigger-deps';

/**
 * Retires a product from one campaign for real: its ads are marked retired, it is recorded as retired
 * (a refresh then leaves it out of the campaign's sources), its current files under `ads/` are removed
 * (each take's files stay under `takes/` for the record) and the campaign's feeds are rebuilt without it.
 */
export async function retireProduct(deps: TriggerDeps, input: { campaignId: string; sku: string; reason: string }): Promise<number> {
  const now = deps.now().toISOString();
  let count = 0;
  for (const ad of await deps.tracker.listProductAds(input.campaignId, input.sku)) {
    if (ad.status === 'retired') continue;
    await updateAd(deps.tracker, ad, (current) => ({ ...(current ?? ad), status: 'retired', reason: input.reason, updatedAt: now }));
    count += 1;
  }
  await saveDocument(deps.store, retiredKey(input.campaignId, input.sku), {
    schemaVersion: 1,
    campaignId: input.campaignId,
    sku: input.sku,
    reason: input.reason,
    retiredAt: now,
  });
  for (const key of await deps.store.list(productAdsPrefix(input.campaignId, input.sku))) await deps.store.delete(key);
  // Locally the stored feeds drop the product now. In AWS a webhook must answer within 5 s and a feed rebuild scans the
  // campaign, so there the next Summarize or review action rewrites them; the review API's live feeds drop it at once.
  if (deps.feedUrls?.baseUrl) await writeFeeds(deps, input.campaignId, deps.feedUrls);
  return count;
}
