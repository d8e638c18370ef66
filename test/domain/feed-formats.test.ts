import { describe, expect, it } from 'vitest';
import {
  DeliveryItem,
  feedVideos,
  googleFeedTsv,
  manifestCsv,
  META_MAX_VIDEO_BYTES,
  metaFeedCsv,
  platformOf,
  tiktokFeedCsv,
} from '#domain/delivery/feed-formats';
import { applyReview, appendTake, initialReview, isDeliverable, ReviewError, reviewLabel } from '#domain/delivery/review-rules';
import { AdRecord } from '#domain/model/ad-record';

const item = (over: Partial<DeliveryItem>): DeliveryItem =>
  DeliveryItem.parse({
    campaignId: 'c',
    sku: 'SKU-1',
    productId: 'SKU-1',
    templateId: 'product-hero',
    channel: 'reels',
    kind: 'video',
    url: 'https://cdn.example/a.mp4',
    posterUrl: 'https://cdn.example/a.jpg',
    bytes: 1000,
    ...over,
    platform: platformOf(over.channel ?? 'reels'),
  });

describe('delivery feeds (pure)', () => {
  it('maps placements to platforms, test-size channels included', () => {
    expect(['reels', 'stories', 'feed-4x5', 'tiny-feed-4x5', 'tiktok', 'shorts', 'youtube-16x9', 'pinterest-2x3'].map(platformOf)).toEqual([
      'meta',
      'meta',
      'meta',
      'meta',
      'tiktok',
      'google',
      'google',
      undefined,
    ]);
  });

  it('Meta: one row per product, video[n].url with template and placement tags, as wide as the product with most videos', () => {
    const csv = metaFeedCsv([
      item({ sku: 'A', productId: 'A', channel: 'reels', url: 'https://x/a-reels.mp4' }),
      item({ sku: 'A', productId: 'A', channel: 'feed-4x5', url: 'https://x/a-feed.mp4' }),
      item({ sku: 'B', productId: 'gid://shopify/Product/1', channel: 'stories', url: 'https://x/b,1.mp4' }),
      item({ sku: 'C', productId: 'C', channel: 'tiktok' }),
    ]);
    expect(csv.split('\n')).toEqual([
      'id,video[0].url,video[0].tag[0],video[0].tag[1],video[1].url,video[1].tag[0],video[1].tag[1]',
      'A,https://x/a-feed.mp4,product-hero,feed-4x5,https://x/a-reels.mp4,product-hero,reels',
      'gid://shopify/Product/1,"https://x/b,1.mp4",product-hero,stories,,,',
      '',
    ]);
  });

  it('leaves out what a platform cannot take, with the reason: banners, and Meta videos over 200 MB', () => {
    const { videos, excluded } = feedVideos(
      [item({ sku: 'BIG', bytes: META_MAX_VIDEO_BYTES + 1 }), item({ sku: 'BAN', kind: 'image', url: 'https://x/b.png' }), item({ sku: 'OK' })],
      'meta',
    );
    expect(videos.map((v) => v.sku)).toEqual(['OK']);
    expect(excluded.map((e) => `${e.sku}: ${e.reason}`)).toEqual([expect.stringMatching(/^BIG: .*200 MB/), expect.stringMatching(/^BAN: not a video/)]);
  });

  it('TikTok: sku_id + one video_link; Google: id + up to 10 comma-separated links, commas inside encoded', () => {
    expect(tiktokFeedCsv([item({ channel: 'tiktok', url: 'https://x/t.mp4' })])).toBe('sku_id,video_link\nSKU-1,https://x/t.mp4\n');
    const many = Array.from({ length: 12 }, (_, i) => item({ channel: 'shorts', templateId: `t${String(i).padStart(2, '0')}`, url: `https://x/${i},v.mp4` }));
    const [header, row] = googleFeedTsv(many).trim().split('\n');
    expect(header).toBe('id\tvideo_link');
    const links = row!.split('\t')[1]!.split(',');
    expect(links).toHaveLength(10);
    expect(links[0]).toBe('https://x/0%2Cv.mp4');
  });

  it('the manifest lists every approved ad with its platform', () => {
    const csv = manifestCsv([item({ channel: 'tiktok' }), item({ channel: 'pinterest-2x3' })]);
    expect(csv.split('\n')[0]).toMatch(/^campaign_id,sku,product_id,template_id,channel,platform,kind,url,/);
    expect(
      csv
        .split('\n')
        .slice(1, 3)
        .map((l) => l.split(',')[5]),
    ).toEqual(['tiktok', '']);
  });
});

describe('review rules (pure)', () => {
  const now = '2026-12-01T10:00:00.000Z';
  const ad = AdRecord.parse({
    schemaVersion: 1,
    campaignId: 'c',
    sku: 'S',
    templateId: 't',
    channel: 'reels',
    status: 'published',
    inputHash: 'h',
    runId: 'r',
    version: 3,
    updatedAt: now,
    outputs: { video: 'ads/c/S/t/reels.mp4' },
    review: initialReview({}, now),
    takes: appendTake(undefined, { generation: 0, inputHash: 'h', video: 'takes/x.mp4', poster: 'takes/x.jpg', runId: 'r', publishedAt: now }),
  });

  it('rendered → in review → approved or rejected; only approved is delivered', () => {
    expect(reviewLabel(ad)).toBe('in-review');
    expect(isDeliverable(ad)).toBe(false);
    const approved = { ...applyReview(ad, 'approve', { by: 'Dana', now }), version: 4 };
    expect(isDeliverable(approved)).toBe(true);
    expect(approved.takes![0]!.review).toMatchObject({ state: 'approved', by: 'Dana' });
    const rejected = { ...applyReview(approved, 'reject', { by: 'Sam', reason: 'blurry', now }), version: 5 };
    expect(isDeliverable(rejected)).toBe(false);
    expect(rejected.review).toEqual({ state: 'rejected', by: 'Sam', at: now, reason: 'blurry' });
    expect(reviewLabel({ ...ad, review: undefined })).toBe('rendered');
  });

  it('auto-approve campaigns approve at publish; a rejection needs a reason; failed or retired ads cannot be reviewed', () => {
    expect(initialReview({ review: { autoApprove: true } }, now)).toMatchObject({ state: 'approved', auto: true });
    expect(() => applyReview(ad, 'reject', { by: 'x', reason: '  ', now })).toThrow(ReviewError);
    expect(() => applyReview({ ...ad, status: 'retired' }, 'approve', { by: 'x', now })).toThrow(/retired/);
  });

  it('takes are numbered on and capped', () => {
    let takes = appendTake(undefined, { generation: 0, inputHash: 'a', video: 'v', poster: 'p', runId: 'r', publishedAt: now });
    for (let i = 0; i < 25; i++) takes = appendTake(takes, { generation: 0, inputHash: `h${i}`, video: 'v', poster: 'p', runId: 'r', publishedAt: now });
    expect(takes).toHaveLength(20);
    expect(takes.at(-1)!.take).toBe(26);
  });
});
