import { z } from 'zod';
import { AdOverrides, CopyEdit, overridesKey } from '#domain/model/ad-overrides';
import { REFRESH_PREFIX } from '#domain/model/campaign-sources';
import type { CatalogItem } from '#domain/model/product';
import { loadCampaignSources, parseSourceCatalog } from '#usecases/campaign-sources';
import { loadCampaign, saveDocument } from '#usecases/load-documents';
import { loadOverrides } from '#usecases/plan-product';
import { retiredSkus } from '#usecases/retired-products';
import { rebaseImage, startCatalog, type StartedCatalog } from './start-catalog.ts';
import type { TriggerDeps } from '#ports/trigger-deps';
import { MIME } from '#domain/model/content-types';

export class ReviewRerunError extends Error {
  override readonly name = 'ReviewRerunError';
  constructor(
    readonly code: 'UNKNOWN_PRODUCT' | 'RETIRED' | 'UNKNOWN_SHOT',
    message: string,
  ) {
    super(message);
  }
}

/** A request to take one shot of one template again (the next seed; procedural: the next photo). */
export const RegenerateRequest = z
  .object({
    sku: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/),
    templateId: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/),
    shot: z.number().int().min(0).max(50),
  })
  .strict();
export type RegenerateRequest = z.infer<typeof RegenerateRequest>;

/** The newest catalog item for one sku among the campaign's sources, with its image paths rebased onto `toCatalogKey`. */
async function latestItem(deps: TriggerDeps, campaignId: string, sku: string, toCatalogKey: string): Promise<CatalogItem | undefined> {
  // Newest first; among sources recorded at the same time, the first in key order.
  const sources = (await loadCampaignSources(deps.store, campaignId)).sort((a, b) => b.recordedAt.localeCompare(a.recordedAt));
  for (const source of sources) {
    const found = (await parseSourceCatalog(deps.store, source))?.items.find(({ item }) => item.sku === sku)?.item;
    if (found) return { ...found, images: found.images.map((ref) => rebaseImage(ref, source.catalogKey, toCatalogKey)) };
  }
  return undefined;
}

/** Starts a run for one product of a campaign from its newest source (the overrides apply at prepare and plan). */
async function rerun(deps: TriggerDeps, campaignKey: string, campaignId: string, sku: string, runId: string): Promise<StartedCatalog> {
  if ((await retiredSkus(deps.store, campaignId)).has(sku))
    throw new ReviewRerunError('RETIRED', `Product ${sku} is retired from campaign ${campaignId}; upload it again to bring it back.`);
  const catalogKey = `${REFRESH_PREFIX}${campaignId}/${runId}/catalog.jsonl`;
  const item = await latestItem(deps, campaignId, sku, catalogKey);
  if (!item) throw new ReviewRerunError('UNKNOWN_PRODUCT', `Product ${sku} is in none of campaign ${campaignId}'s catalogs; upload it first.`);
  await deps.store.putBytes(catalogKey, `${JSON.stringify(item)}\n`, MIME.ndjson);
  // The placements the product has ads in (a run for a subset of the campaign's channels stays that subset).
  const channels = [...new Set((await deps.tracker.listProductAds(campaignId, sku)).map((a) => a.channel))].sort();
  return startCatalog(deps, { runId, campaignKey, catalogKey, items: [item], ...(channels.length > 0 ? { channels } : {}) });
}

async function saveOverrides(deps: TriggerDeps, campaignId: string, sku: string, change: (o: AdOverrides) => AdOverrides, by: string): Promise<AdOverrides> {
  const current =
    (await loadOverrides(deps.store, campaignId, sku)) ?? AdOverrides.parse({ schemaVersion: 1, campaignId, sku, updatedAt: deps.now().toISOString() });
  const next = AdOverrides.parse({ ...change(current), updatedAt: deps.now().toISOString(), by });
  await saveDocument(deps.store, overridesKey(campaignId, sku), next);
  return next;
}

/**
 * Records a reviewer's copy for one product (headline, feature lines, CTA; an empty edit restores the
 * catalog's) and re-runs it: only the variants whose storyboards change are rendered again.
 */
export async function editCopy(
  deps: TriggerDeps,
  input: { campaignKey: string; sku: string; copy: CopyEdit; by: string; runId: string },
): Promise<StartedCatalog & { overrides: AdOverrides }> {
  const campaign = await loadCampaign(deps.store, input.campaignKey);
  if ((await deps.tracker.listProductAds(campaign.id, input.sku)).length === 0)
    throw new ReviewRerunError('UNKNOWN_PRODUCT', `Campaign ${campaign.id} has no ads for ${input.sku}.`);
  const overrides = await saveOverrides(deps, campaign.id, input.sku, (o) => ({ ...o, copy: CopyEdit.parse(input.copy) }), input.by);
  return { ...(await rerun(deps, input.campaignKey, campaign.id, input.sku, input.runId)), overrides };
}

/** Takes one shot of a template again with the next seed, for every placement of that template, and re-runs the product. */
export async function regenerateShot(
  deps: TriggerDeps,
  input: { campaignKey: string; request: RegenerateRequest; by: string; runId: string },
): Promise<StartedCatalog & { take: number }> {
  const campaign = await loadCampaign(deps.store, input.campaignKey);
  const { sku, templateId, shot } = input.request;
  const ads = (await deps.tracker.listProductAds(campaign.id, sku)).filter((a) => a.templateId === templateId);
  if (ads.length === 0) throw new ReviewRerunError('UNKNOWN_PRODUCT', `Campaign ${campaign.id} has no ${templateId} ads for ${sku}.`);
  let take = 0;
  await saveOverrides(
    deps,
    campaign.id,
    sku,
    (o) => {
      take = (o.reseed[templateId]?.[String(shot)] ?? 0) + 1;
      return { ...o, reseed: { ...o.reseed, [templateId]: { ...(o.reseed[templateId] ?? {}), [String(shot)]: take } } };
    },
    input.by,
  );
  return { ...(await rerun(deps, input.campaignKey, campaign.id, sku, input.runId)), take };
}
