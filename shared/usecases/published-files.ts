import type { AdRecord } from '#domain/model/ad-record';
import type { Staleness } from '#domain/planning/staleness';
import type { Deps } from '#ports/deps';
import { updateAd } from './record-ad.ts';

/** The files a published ad row points at that the store no longer has (a HEAD each on S3). */
export async function missingPublishedFiles(deps: Pick<Deps, 'store'>, ad: AdRecord): Promise<string[]> {
  const keys = [...new Set([ad.outputs.video, ad.outputs.poster, ad.outputs.manifest].filter((k): k is string => !!k))];
  const present = await Promise.all(keys.map((key) => deps.store.exists(key)));
  return keys.filter((_, i) => !present[i]);
}

/**
 * The tracker's "published" checked against the store: when a file the row names is gone (out/ads
 * deleted, an object removed from the bucket), the row goes back to planned with the missing keys as its
 * reason, and the ad is stale, so this run makes and publishes it again instead of calling it unchanged.
 */
export async function verifyPublished(deps: Pick<Deps, 'store' | 'tracker' | 'now'>, ad: AdRecord): Promise<Staleness> {
  const missing = await missingPublishedFiles(deps, ad);
  if (missing.length === 0) return { stale: false };
  const reason = `published files missing from the asset store (${missing.join(', ')}); made again`;
  await updateAd(deps.tracker, ad, (current) =>
    current?.status === 'published' && current.inputHash === ad.inputHash
      ? { ...current, status: 'planned', reason, updatedAt: deps.now().toISOString() }
      : undefined,
  );
  return { stale: true, reason: 'not-published', generation: ad.generation ?? 0 };
}
