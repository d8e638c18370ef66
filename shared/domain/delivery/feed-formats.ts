import { z } from 'zod';
import { OutputKind, outputKind } from '#domain/model/output-kinds';
import { MIME } from '#domain/model/content-types';

/*
 * Delivery feeds for the ad platforms, built from approved ads only (pure: rows in, text out).
 * Meta: a catalog supplementary feed (CSV) keyed by `id` with `video[n].url` and `video[n].tag[m]`
 * columns, as Meta's dynamic-media docs describe (videos up to 200 MB). TikTok: `sku_id` + `video_link`.
 * Google Merchant Center: `id` + `video_link` (TSV, up to 10 comma-separated URLs, commas in a URL encoded).
 */

export const FeedPlatform = z.enum(['meta', 'tiktok', 'google']);
export type FeedPlatform = z.infer<typeof FeedPlatform>;

/** Channels whose ads each platform's catalog carries (test-size `tiny-` channels count as their base). */
const PLATFORM_CHANNELS: Record<FeedPlatform, readonly string[]> = {
  meta: ['reels', 'stories', 'feed-1x1', 'feed-4x5'],
  tiktok: ['tiktok'],
  google: ['shorts', 'youtube-16x9', 'youtube-bumper'],
};

/** Meta refuses catalog videos over 200 MB. */
export const META_MAX_VIDEO_BYTES = 200 * 1024 * 1024;
/** Merchant Center takes up to 10 video links per product. */
export const GOOGLE_MAX_VIDEOS = 10;

/** The platform whose catalog feed carries a channel's ads, if any. */
export function platformOf(channelId: string): FeedPlatform | undefined {
  const base = channelId.replace(/^tiny-/, '');
  return FeedPlatform.options.find((p) => PLATFORM_CHANNELS[p].includes(base));
}

/** One approved ad, ready to deliver: stable URLs, the product id the platform's catalog knows. */
export const DeliveryItem = z.object({
  campaignId: z.string(),
  sku: z.string(),
  /** The id of the product in the platform catalog (the catalog's `id`, else the sku). */
  productId: z.string(),
  templateId: z.string(),
  channel: z.string(),
  platform: FeedPlatform.optional(),
  kind: OutputKind,
  url: z.string(),
  posterUrl: z.string(),
  durationSeconds: z.number().optional(),
  bytes: z.number().optional(),
  variantHash: z.string().optional(),
  take: z.number().int().optional(),
  approvedBy: z.string().optional(),
  approvedAt: z.string().optional(),
});
export type DeliveryItem = z.infer<typeof DeliveryItem>;

/** An approved ad that a platform's feed could not carry, and why (shown where the team looks). */
export interface FeedExclusion {
  sku: string;
  templateId: string;
  channel: string;
  platform: FeedPlatform;
  reason: string;
}

const csvCell = (value: string | number | undefined, sep: string) => {
  const text = value === undefined ? '' : String(value);
  return text.includes(sep) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
const line = (cells: Array<string | number | undefined>, sep = ',') => cells.map((c) => csvCell(c, sep)).join(sep);

function byProduct(items: readonly DeliveryItem[]): Map<string, DeliveryItem[]> {
  const map = new Map<string, DeliveryItem[]>();
  for (const item of [...items].sort(
    (a, b) => a.productId.localeCompare(b.productId) || a.templateId.localeCompare(b.templateId) || a.channel.localeCompare(b.channel),
  )) {
    map.set(item.productId, [...(map.get(item.productId) ?? []), item]);
  }
  return map;
}

/** The videos a platform's feed may carry, and the approved ads it must leave out (with the reason). */
export function feedVideos(items: readonly DeliveryItem[], platform: FeedPlatform): { videos: DeliveryItem[]; excluded: FeedExclusion[] } {
  const videos: DeliveryItem[] = [];
  const excluded: FeedExclusion[] = [];
  for (const item of items) {
    if (platformOf(item.channel) !== platform) continue;
    const out = (reason: string) => excluded.push({ sku: item.sku, templateId: item.templateId, channel: item.channel, platform, reason });
    if (!outputKind(item.kind).feedVideo) out(`not a video (a ${outputKind(item.kind).noun}): catalog video fields take videos only`);
    else if (platform === 'meta' && (item.bytes ?? 0) > META_MAX_VIDEO_BYTES) out(`video is ${item.bytes} bytes, over Meta's 200 MB catalog limit`);
    else videos.push(item);
  }
  return { videos, excluded };
}

/** Meta catalog supplementary feed (CSV): `id`, then `video[n].url`, `video[n].tag[0]` (template), `video[n].tag[1]` (placement). */
export function metaFeedCsv(items: readonly DeliveryItem[]): string {
  const products = byProduct(feedVideos(items, 'meta').videos);
  const width = Math.max(1, ...[...products.values()].map((v) => v.length));
  const header = ['id'];
  for (let i = 0; i < width; i++) header.push(`video[${i}].url`, `video[${i}].tag[0]`, `video[${i}].tag[1]`);
  const rows = [...products].map(([id, videos]) => {
    const cells: string[] = [id];
    for (let i = 0; i < width; i++) cells.push(videos[i]?.url ?? '', videos[i]?.templateId ?? '', videos[i]?.channel ?? '');
    return line(cells);
  });
  return `${[line(header), ...rows].join('\n')}\n`;
}

/** TikTok catalog update (CSV): `sku_id` and one `video_link` per product (the first approved TikTok video). */
export function tiktokFeedCsv(items: readonly DeliveryItem[]): string {
  const rows = [...byProduct(feedVideos(items, 'tiktok').videos)].map(([id, videos]) => line([id, videos[0]!.url]));
  return `${[line(['sku_id', 'video_link']), ...rows].join('\n')}\n`;
}

/** Google Merchant Center supplemental feed (TSV): `id` and `video_link`, up to 10 URLs separated by commas (commas inside encoded). */
export function googleFeedTsv(items: readonly DeliveryItem[]): string {
  const rows = [...byProduct(feedVideos(items, 'google').videos)].map(([id, videos]) =>
    [
      id,
      videos
        .slice(0, GOOGLE_MAX_VIDEOS)
        .map((v) => v.url.replace(/,/g, '%2C'))
        .join(','),
    ]
      .map((c) => c.replace(/[\t\r\n]/g, ' '))
      .join('\t'),
  );
  return `${['id\tvideo_link', ...rows].join('\n')}\n`;
}

const MANIFEST_COLUMNS = [
  'campaign_id',
  'sku',
  'product_id',
  'template_id',
  'channel',
  'platform',
  'kind',
  'url',
  'poster_url',
  'duration_seconds',
  'bytes',
  'variant_hash',
  'take',
  'approved_by',
  'approved_at',
] as const;

/** The bulk-upload manifest as CSV: one row per approved ad, every platform. */
export function manifestCsv(items: readonly DeliveryItem[]): string {
  const rows = items.map((i) =>
    line([
      i.campaignId,
      i.sku,
      i.productId,
      i.templateId,
      i.channel,
      i.platform ?? '',
      i.kind,
      i.url,
      i.posterUrl,
      i.durationSeconds,
      i.bytes,
      i.variantHash,
      i.take,
      i.approvedBy,
      i.approvedAt,
    ]),
  );
  return `${[line([...MANIFEST_COLUMNS]), ...rows].join('\n')}\n`;
}

/** The file names of a campaign's feeds (under `feeds/<campaign>/`). */
export const FEED_FILES = {
  meta: 'meta-catalog.csv',
  tiktok: 'tiktok-catalog.csv',
  google: 'google-merchant.tsv',
  manifestJson: 'manifest.json',
  manifestCsv: 'manifest.csv',
} as const;
export type FeedFile = keyof typeof FEED_FILES;

/** The content type each feed file is written and served with. */
export const FEED_CONTENT_TYPES: Readonly<Record<FeedFile, string>> = {
  meta: MIME.csv,
  tiktok: MIME.csv,
  google: MIME.tsv,
  manifestJson: MIME.json,
  manifestCsv: MIME.csv,
};
