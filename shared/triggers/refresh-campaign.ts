import { REFRESH_PREFIX } from '#domain/model/campaign-sources';
import type { CatalogItem } from '#domain/model/product';
import { loadCampaignSources, parseSourceCatalog } from '#usecases/campaign-sources';
import { loadCampaign } from '#usecases/load-documents';
import { retiredSkus } from '#usecases/retired-products';
import { rebaseImage, startCatalog, type StartedCatalog } from './start-catalog.ts';
import type { TriggerDeps } from '#ports/trigger-deps';
import { MIME } from '#domain/model/content-types';

export interface RefreshInput {
  campaignKey: string;
  /** Deterministic per schedule tick (Scheduler delivers at least once), e.g. refresh-<campaign>-<time>. */
  runId: string;
  channels?: string[];
}

export type RefreshOutcome = (StartedCatalog & { outcome: 'started'; sources: number; products: number }) | { outcome: 'nothing-to-refresh'; runId: string };

/**
 * Starts a campaign refresh: the latest catalog of every source that fed the campaign, merged into one
 * catalog (newest source wins per sku), run through the normal workflow. Prepare re-renders only what is
 * stale (content, template or channel-spec version changed, or older than the campaign's max age).
 */
export async function refreshCampaign(deps: TriggerDeps, input: RefreshInput): Promise<RefreshOutcome> {
  const campaign = await loadCampaign(deps.store, input.campaignKey);
  const sources = await loadCampaignSources(deps.store, campaign.id);
  const catalogKey = `${REFRESH_PREFIX}${campaign.id}/${input.runId}/catalog.jsonl`;
  const bySku = new Map<string, CatalogItem>();
  // A product retired from the campaign (deleted, drafted, archived) stays out, whatever old source still lists it.
  const retired = await retiredSkus(deps.store, campaign.id);
  for (const source of sources) {
    const parsed = await parseSourceCatalog(deps.store, source);
    if (!parsed) continue; // a source that no longer parses was reported when it was uploaded
    for (const { item } of parsed.items) {
      if (retired.has(item.sku)) continue;
      bySku.delete(item.sku); // re-insert: the newest source decides, and the order follows it
      bySku.set(item.sku, { ...item, images: item.images.map((ref) => rebaseImage(ref, source.catalogKey, catalogKey)) });
    }
  }
  if (bySku.size === 0) return { outcome: 'nothing-to-refresh', runId: input.runId };
  const items = [...bySku.values()];
  await deps.store.putBytes(catalogKey, `${items.map((item) => JSON.stringify(item)).join('\n')}\n`, MIME.ndjson);
  const started = await startCatalog(deps, { runId: input.runId, campaignKey: input.campaignKey, catalogKey, channels: input.channels, items });
  return { ...started, outcome: 'started', sources: sources.length, products: items.length };
}
