import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '#ports/deps';
import type { PublishInput } from '#ports/workflow-payloads';
import { galleryHtml } from '#local/gallery';
import { publishProduct } from '#usecases/publish-product';
import { openLocalHost, type LocalHost } from '../../local/local-host.ts';
import { storeViolations } from './invariants.ts';

const CAMPAIGN = {
  schemaVersion: 1,
  id: 'pub',
  name: 'P',
  brand: { name: 'B', colors: { primary: '#203040', secondary: '#6080a0', text: '#101010', accent: '#ffcc33' } },
  templates: ['product-hero'],
  channels: ['tiktok', 'feed-4x5'],
  locale: 'en-US',
  cta: 'Buy',
};

/** A publish input for one product with the given channels, staged files already in the store. */
async function staged(deps: Deps, channels: string[], runId = 'run-1'): Promise<PublishInput> {
  await deps.store.putBytes('campaigns/pub.json', JSON.stringify(CAMPAIGN), 'application/json');
  const assembled = [];
  for (const channel of channels) {
    await deps.store.putBytes(`staging/v-${channel}/video.mp4`, `video ${channel}`, 'video/mp4');
    await deps.store.putBytes(`staging/v-${channel}/poster.jpg`, `poster ${channel}`, 'image/jpeg');
    assembled.push({
      templateId: 'product-hero',
      channel,
      inputHash: `in-${channel}`,
      storyboardKey: 'sb',
      storyboardHash: `sb-${channel}`,
      variantHash: `v-${channel}`,
      stagedVideo: `staging/v-${channel}/video.mp4`,
      stagedPoster: `staging/v-${channel}/poster.jpg`,
      duration: 2,
      encodeSeconds: 0.1,
    });
  }
  return {
    runId,
    campaignKey: 'campaigns/pub.json',
    sku: 'P-1',
    productKey: 'products/p',
    productHash: 'ph',
    variants: assembled.map(({ templateId, channel, inputHash }) => ({ templateId, channel, inputHash })),
    plan: { renderJobs: [], variants: [] },
    assembled,
  } as PublishInput;
}

describe('publish: assets first, manifest last, each ad once', () => {
  let root: string;
  let host: LocalHost;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-publish-'));
    host = await openLocalHost({ outDir: join(root, 'out'), stateDir: join(root, 'state'), inMemoryTracker: true });
  });
  afterEach(async () => {
    await host.close();
    await rm(root, { recursive: true, force: true });
  });

  it('a fault between the assets and the manifest leaves no manifest and no published row; the retry publishes once', async () => {
    const input = await staged(host.deps, ['tiktok', 'feed-4x5']);
    let copies = 0;
    const faulty: Deps = {
      ...host.deps,
      store: Object.assign(Object.create(Object.getPrototypeOf(host.deps.store)), host.deps.store, {
        putFile: async (key: string, source: string, type: string) => {
          if (++copies === 3) throw new Error('injected: the process dies here');
          return host.deps.store.putFile(key, source, type);
        },
      }),
    };
    await expect(publishProduct(faulty, input)).rejects.toThrow(/injected/);
    expect(await host.deps.store.exists('ads/pub/P-1/manifest.json')).toBe(false);
    expect((await host.deps.tracker.listAds()).filter((a) => a.status === 'published')).toEqual([]);
    expect(await storeViolations(join(root, 'out'), await host.deps.tracker.listAds())).toEqual([]);

    expect(await publishProduct(host.deps, input)).toEqual({ published: 2, alreadyPublished: 0 });
    // The same publish again (a redelivered task, a concurrent run) changes nothing.
    expect(await publishProduct(host.deps, input)).toEqual({ published: 0, alreadyPublished: 2 });
    const ads = await host.deps.tracker.listAds();
    expect(ads.map((a) => [a.channel, a.status, a.version])).toEqual([
      ['feed-4x5', 'published', 1],
      ['tiktok', 'published', 1],
    ]);
    expect(await storeViolations(join(root, 'out'), ads)).toEqual([]);
  });

  it('a run that publishes one channel keeps the other channels in the manifest', async () => {
    await publishProduct(host.deps, await staged(host.deps, ['tiktok'], 'run-1'));
    await publishProduct(host.deps, await staged(host.deps, ['feed-4x5'], 'run-2'));
    const manifest = JSON.parse(await readFile(join(root, 'out', 'ads/pub/P-1/manifest.json'), 'utf8'));
    expect(manifest.variants.map((v: { channel: string }) => v.channel)).toEqual(['feed-4x5', 'tiktok']);
    expect(await storeViolations(join(root, 'out'), await host.deps.tracker.listAds())).toEqual([]);
  });
  it('a banner is published once under its own image extension, as its own poster, and the gallery shows it as an image', async () => {
    const input = await staged(host.deps, ['tiktok']);
    await host.deps.store.putBytes('staging/v-banner/banner.png', 'banner bytes', 'image/png');
    input.assembled.push({
      ...input.assembled[0]!,
      channel: 'banner-300x250',
      variantHash: 'v-banner',
      stagedVideo: 'staging/v-banner/banner.png',
      stagedPoster: 'staging/v-banner/banner.png',
      duration: 0,
    });
    const puts: string[] = [];
    const counting: Deps = {
      ...host.deps,
      store: Object.assign(Object.create(Object.getPrototypeOf(host.deps.store)), host.deps.store, {
        putFile: async (key: string, source: string, type: string) => {
          puts.push(`${key} ${type}`);
          return host.deps.store.putFile(key, source, type);
        },
      }),
    };
    expect(await publishProduct(counting, input)).toEqual({ published: 2, alreadyPublished: 0 });
    // The stable keys, and each take's own copy (keyed by variant hash) for rollback and A/B pairs.
    expect(puts.sort()).toEqual([
      'ads/pub/P-1/product-hero/banner-300x250.png image/png',
      'ads/pub/P-1/product-hero/tiktok.jpg image/jpeg',
      'ads/pub/P-1/product-hero/tiktok.mp4 video/mp4',
      'takes/pub/P-1/product-hero/banner-300x250/v-banner.png image/png',
      'takes/pub/P-1/product-hero/tiktok/v-tiktok.jpg image/jpeg',
      'takes/pub/P-1/product-hero/tiktok/v-tiktok.mp4 video/mp4',
    ]);
    const ads = await host.deps.tracker.listAds();
    const banner = ads.find((a) => a.channel === 'banner-300x250')!;
    expect(banner.outputs).toMatchObject({ video: 'ads/pub/P-1/product-hero/banner-300x250.png', poster: 'ads/pub/P-1/product-hero/banner-300x250.png' });
    expect(await readFile(join(root, 'out', banner.outputs.video!), 'utf8')).toBe('banner bytes');
    expect(await storeViolations(join(root, 'out'), ads)).toEqual([]);

    const html = galleryHtml(ads, '2026-01-01T00:00:00Z');
    expect(html).toContain('<img loading="lazy" alt="P-1 banner-300x250" src="ads/pub/P-1/product-hero/banner-300x250.png">');
    expect(html).toContain('src="ads/pub/P-1/product-hero/tiktok.mp4"></video>');
  });

  it('refuses a staged asset of an unknown kind instead of publishing it under a wrong name', async () => {
    const input = await staged(host.deps, ['tiktok']);
    input.assembled[0] = { ...input.assembled[0]!, stagedVideo: 'staging/v-tiktok/video.webm' };
    await expect(publishProduct(host.deps, input)).rejects.toThrow(/video\.webm has no known extension/);
  });
});
