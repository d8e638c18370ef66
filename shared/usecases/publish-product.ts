import type { Deps } from '#ports/deps';
import type { PublishInput } from './contracts.ts';
import { loadCampaign, saveDocument } from './load-documents.ts';
import { updateAd } from './record-ad.ts';

/** Where a published ad lives in the asset store: stable names people can open. */
export function publishedKeys(campaignId: string, sku: string, templateId: string, channel: string) {
  const base = `ads/${campaignId}/${sku}/${templateId}/${channel}`;
  return { video: `${base}.mp4`, poster: `${base}.jpg` };
}

/**
 * Publishes one product's variants: assets first, the manifest last, then each tracker row moves to
 * published with a conditional write. A crash before the manifest leaves nothing pointing at a missing file.
 */
export async function publishProduct(deps: Deps, input: PublishInput): Promise<{ published: number }> {
  const campaign = await loadCampaign(deps.store, input.campaignKey);
  const entries = [];
  for (const variant of input.assembled) {
    const keys = publishedKeys(campaign.id, input.sku, variant.templateId, variant.channel);
    await deps.store.putFile(keys.video, await deps.store.localPath(variant.stagedVideo), 'video/mp4');
    await deps.store.putFile(keys.poster, await deps.store.localPath(variant.stagedPoster), 'image/jpeg');
    entries.push({ ...variant, ...keys });
  }
  const manifestKey = `ads/${campaign.id}/${input.sku}/manifest.json`;
  await saveDocument(deps.store, manifestKey, {
    schemaVersion: 1, campaignId: campaign.id, sku: input.sku, productHash: input.productHash, runId: input.runId,
    variants: entries.map(({ templateId, channel, video, poster, variantHash, storyboardHash, duration, bytes }) => ({ templateId, channel, video, poster, variantHash, storyboardHash, duration, bytes })),
  });
  const now = deps.now().toISOString();
  for (const entry of entries) {
    await updateAd(deps.tracker, { campaignId: campaign.id, sku: input.sku, templateId: entry.templateId, channel: entry.channel }, (current) => ({
      schemaVersion: 1, campaignId: campaign.id, sku: input.sku, templateId: entry.templateId, channel: entry.channel,
      status: 'published', inputHash: entry.inputHash, productHash: input.productHash, storyboardHash: entry.storyboardHash,
      variantHash: entry.variantHash, outputs: { video: entry.video, poster: entry.poster, manifest: manifestKey },
      runId: input.runId, attempts: (current?.attempts ?? 0) + 1, bytes: entry.bytes, durationSeconds: entry.duration,
      timings: { encodeSeconds: entry.encodeSeconds }, updatedAt: now, publishedAt: now,
    }));
  }
  return { published: entries.length };
}
