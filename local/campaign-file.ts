import { stat } from 'node:fs/promises';
import { campaignFileKeyOf } from '#domain/model/asset-keys';
import { Campaign } from '#domain/model/campaign';
import type { AssetStore } from '#ports/asset-store';
import { recordCampaignSource } from '#usecases/campaign-sources';
import type { LocalHost } from './local-host.ts';
import { LocalInputError, storeCampaignFile, uploadRunInput } from './local-run.ts';

/**
 * Puts a campaign into the local asset store (campaigns/<id>.json) and returns its key. `ref` is a
 * campaign file, or the id of a campaign the store already holds.
 */
export async function putCampaign(store: AssetStore, ref: string): Promise<{ campaignKey: string; campaign: Campaign }> {
  const isFile = (await stat(ref).catch(() => undefined))?.isFile() ?? false;
  if (!isFile) {
    const key = campaignFileKeyOf(ref);
    if (!(await store.exists(key)))
      throw new LocalInputError(`Campaign "${ref}" is neither a file nor a campaign in the store (${key}); pass --campaign <file>.`);
    return { campaignKey: key, campaign: Campaign.parse(JSON.parse((await store.getBytes(key)).toString('utf8'))) };
  }
  return storeCampaignFile(store, ref);
}

/**
 * Uploads a new version of a catalog file (and the photos beside it) and records it as the campaign's
 * source of that name, so the next refresh reads it in place of the older version.
 */
export async function registerCatalogSource(
  host: LocalHost,
  opts: { catalogPath: string; campaignPath: string; campaignId: string; uploadId: string },
): Promise<string> {
  const input = await uploadRunInput(host, { catalogPath: opts.catalogPath, campaignPath: opts.campaignPath, runId: opts.uploadId });
  await recordCampaignSource(host.deps.store, opts.campaignId, input.catalogKey, host.deps.now().toISOString());
  return input.catalogKey;
}
