import { isDeliverable } from '#domain/delivery/review-rules';
import { productFileKey } from '#domain/model/asset-keys';
import {
  DeliveryItem,
  FEED_CONTENT_TYPES,
  FEED_FILES,
  feedVideos,
  FeedPlatform,
  googleFeedTsv,
  manifestCsv,
  metaFeedCsv,
  platformOf,
  tiktokFeedCsv,
  type FeedExclusion,
  type FeedFile,
} from '#domain/delivery/feed-formats';
import type { AdRecord } from '#domain/model/ad-record';
import { outputKindOfFile } from '#domain/model/output-kinds';
import type { AssetStore } from '#ports/asset-store';
import type { Tracker } from '#ports/tracker';
import { loadProduct } from './load-documents.ts';

export interface FeedDeps {
  store: AssetStore;
  tracker: Tracker;
  now: () => Date;
}

/**
 * How feed URLs are made: presigned by the store (S3, `expiresSeconds`, default 7 days) or, where the
 * store cannot sign (local files), `baseUrl` + key (the local server's URL).
 */
export interface FeedUrls {
  baseUrl?: string;
  expiresSeconds?: number;
}

export class FeedUrlError extends Error {
  override readonly name = 'FeedUrlError';
  readonly code = 'FEED_URL';
}

/** A stable URL for an asset key: presigned where the store signs, else under the base URL. */
export async function assetUrl(store: AssetStore, key: string, urls: FeedUrls): Promise<string> {
  if (store.signedUrl) return store.signedUrl(key, urls.expiresSeconds ?? 604_800);
  if (!urls.baseUrl) throw new FeedUrlError('No base URL for feed links: serve the feeds from `adline serve` (its URL is used) or set one.');
  return `${urls.baseUrl.replace(/\/+$/, '')}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** The approved, deliverable ads of a campaign with their stable URLs (rejected, in review and retired ads are left out). */
export async function deliveryItems(deps: FeedDeps, campaignId: string, urls: FeedUrls): Promise<DeliveryItem[]> {
  const ads = (await deps.tracker.listAds({ campaignId })).filter(isDeliverable);
  const productIds = new Map<string, string>();
  const items: DeliveryItem[] = [];
  for (const ad of ads) {
    items.push(
      DeliveryItem.parse({
        campaignId,
        sku: ad.sku,
        productId: await productIdOf(deps.store, ad, productIds),
        templateId: ad.templateId,
        channel: ad.channel,
        platform: platformOf(ad.channel),
        kind: outputKindOfFile(ad.outputs.video!),
        url: await assetUrl(deps.store, ad.outputs.video!, urls),
        posterUrl: await assetUrl(deps.store, ad.outputs.poster ?? ad.outputs.video!, urls),
        durationSeconds: ad.durationSeconds,
        bytes: ad.bytes,
        variantHash: ad.variantHash,
        take: ad.takes?.at(-1)?.take,
        approvedBy: ad.review?.by,
        approvedAt: ad.review?.at,
      }),
    );
  }
  return items;
}

/** The catalog's product id (Meta and Google match supplementary rows on it): the product's `id`, else its sku. */
async function productIdOf(store: AssetStore, ad: AdRecord, cache: Map<string, string>): Promise<string> {
  const known = cache.get(ad.sku);
  if (known) return known;
  let id = ad.sku;
  if (ad.productHash) {
    try {
      id = (await loadProduct(store, productFileKey(ad.sku, ad.productHash))).id ?? ad.sku;
    } catch {
      id = ad.sku; // the product document is gone: the sku still identifies it
    }
  }
  cache.set(ad.sku, id);
  return id;
}

export interface BuiltFeeds {
  files: Record<FeedFile, string>;
  items: DeliveryItem[];
  excluded: FeedExclusion[];
}

/** Every feed of a campaign, as text: Meta, TikTok and Google catalogs, and the bulk-upload manifest (JSON and CSV). */
export async function buildFeeds(deps: FeedDeps, campaignId: string, urls: FeedUrls): Promise<BuiltFeeds> {
  const items = await deliveryItems(deps, campaignId, urls);
  const excluded = FeedPlatform.options.flatMap((p) => feedVideos(items, p).excluded);
  const manifest = { schemaVersion: 1, campaignId, generatedAt: deps.now().toISOString(), items, excluded };
  return {
    items,
    excluded,
    files: {
      meta: metaFeedCsv(items),
      tiktok: tiktokFeedCsv(items),
      google: googleFeedTsv(items),
      manifestJson: `${JSON.stringify(manifest, null, 2)}\n`,
      manifestCsv: manifestCsv(items),
    },
  };
}

/** The asset-store folder of a campaign's feeds. */
export const feedsPrefix = (campaignId: string) => `feeds/${campaignId}/`;

/** Rebuilds and writes a campaign's feeds (after any approval change, publish or retirement). */
export async function writeFeeds(deps: FeedDeps, campaignId: string, urls: FeedUrls): Promise<BuiltFeeds> {
  const built = await buildFeeds(deps, campaignId, urls);
  for (const [file, name] of Object.entries(FEED_FILES) as Array<[FeedFile, string]>) {
    await deps.store.putBytes(`${feedsPrefix(campaignId)}${name}`, built.files[file], FEED_CONTENT_TYPES[file]);
  }
  return built;
}
