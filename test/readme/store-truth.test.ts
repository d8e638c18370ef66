import { createRequire } from 'node:module';
import { MEDIA_ENGINE } from '#media/media-engine';
import { probeMedia } from '#media/ffmpeg';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { Template } from 'aws-cdk-lib/assertions';
import { App, Stack } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTemplateDir } from '#adapters/local/template-dir';
import { makeS3Client, S3AssetStore } from '#adapters/aws/s3-asset-store';
import { channelRegistry } from '#domain/planning/channels';
import { AssetsBucket } from '#infra/constructs/assets-bucket';
import type { Deps } from '#ports/deps';
import { prepareRun } from '#usecases/prepare-run';
import { publishProduct } from '#usecases/publish-product';
import { openLocalHost } from '../../local/local-host.ts';
import { openLocalTracker, type LocalTracker } from '../../local/local-tracker.ts';
import { followRun, uploadRunInput } from '../../local/local-run.ts';
import { productPhoto, writeCatalog } from '../support/catalog-fixture.ts';
import { TINY_CHANNELS } from '../support/tiny-channels.ts';
import { REPO } from './cli-process.ts';

const CHANNEL_IDS = TINY_CHANNELS.map((c) => c.id);

/** Fixes c and e of issue 11: "published" is checked against the store, and staged copies do not outlive publishing. */
describe('the tracker tells the truth about the store', () => {
  let root: string;
  let files: { catalog: string; campaign: string };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-store-truth-'));
    files = await writeCatalog(join(root, 'input'), [{ sku: 'MUG-1', title: 'Harbor Mug', price: 18, images: ['mug.jpg'] }], CHANNEL_IDS);
    await writeFile(join(root, 'input', 'mug.jpg'), await productPhoto('#2255cc'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('c, e (local): staging/ is empty after publishing; deleting out/ads/ makes the ads again instead of calling them unchanged', async () => {
    const host = await openLocalHost({ outDir: join(root, 'out'), stateDir: join(root, 'state'), extraChannels: TINY_CHANNELS });
    const run = async (runId: string) => {
      const input = await uploadRunInput(host, { catalogPath: files.catalog, campaignPath: files.campaign, runId, channels: CHANNEL_IDS });
      return followRun(host, (await host.start(input, runId)).executionId);
    };
    try {
      expect(await run('run-1')).toMatchObject({ published: 2, unchanged: 0, failed: 0 });
      const ads = await host.deps.tracker.listAds({ campaignId: 'test-campaign' });
      const video = ads.find((ad) => ad.channel === 'tiny-tiktok')!.outputs.video!;
      const first = await probeMedia(join(root, 'out', video));

      await rm(join(root, 'out', 'ads'), { recursive: true });
      expect(await run('run-2')).toMatchObject({ published: 2, unchanged: 0, failed: 0 });
      // Made again (ffprobe: the same kind of file), not served from the tracker's word.
      const again = await probeMedia(join(root, 'out', video));
      expect(again.video).toEqual(first.video);
      expect(again.durationSeconds).toBeCloseTo(first.durationSeconds, 2);
      for (const ad of await host.deps.tracker.listAds({ campaignId: 'test-campaign' })) {
        expect(ad).toMatchObject({ status: 'published', runId: 'run-2' });
        expect(await host.deps.store.exists(ad.outputs.poster!)).toBe(true);
      }

      // One poster gone: only that ad is made again.
      const feed = (await host.deps.tracker.listAds({ campaignId: 'test-campaign' })).find((ad) => ad.channel === 'tiny-feed-4x5')!;
      await rm(join(root, 'out', feed.outputs.poster!));
      expect(await run('run-3')).toMatchObject({ published: 1, unchanged: 1 });
      expect(await run('run-4')).toMatchObject({ published: 0, unchanged: 2 });
      // e: four runs, eight staged files, none left (nor their folders).
      expect(await host.deps.store.list('staging')).toEqual([]);
      expect(await readdir(join(root, 'out', 'staging')).catch(() => [])).toEqual([]);
    } finally {
      await host.close();
    }
  });

  describe('c, e on S3 (s3rver): the same use cases through the AssetStore port', () => {
    let server: { close(): Promise<void> };
    let client: S3Client;
    let local: LocalTracker;
    let deps: Deps;

    beforeAll(async () => {
      const S3rver = createRequire(import.meta.url)('s3rver') as new (o: object) => { run(): Promise<{ port: number }>; close(): Promise<void> };
      const s3 = new S3rver({ port: 0, address: '127.0.0.1', directory: join(root, 's3'), silent: true });
      const { port } = await s3.run();
      server = s3;
      client = makeS3Client({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
      await client.send(new CreateBucketCommand({ Bucket: 'assets' }));
      local = await openLocalTracker();
      deps = {
        store: new S3AssetStore({ client, bucket: 'assets', cacheDir: join(root, 's3-cache') }),
        tracker: local.tracker,
        channels: channelRegistry(TINY_CHANNELS),
        templates: await loadTemplateDir(join(REPO, 'templates')),
        workDir: join(root, 's3-work'),
        now: () => new Date(),
        renderClients: () => {
          throw new Error('this test renders nothing');
        },
        images: { fetch: () => Promise.reject(new Error('this test fetches nothing')) },
        cutout: null,
        media: MEDIA_ENGINE,
      };
    });

    afterAll(async () => {
      await local?.close();
      client?.destroy();
      await server?.close();
    });

    it('publish removes the staged copies; prepare HEADs the published keys and re-makes what is gone', async () => {
      await deps.store.putBytes('campaigns/test-campaign.json', await readFile(files.campaign), 'application/json');
      await deps.store.putBytes('uploads/s3/catalog.json', await readFile(files.catalog), 'application/json');
      await deps.store.putBytes('uploads/s3/mug.jpg', await readFile(join(root, 'input', 'mug.jpg')), 'image/jpeg');
      const runInput = (runId: string) => ({
        schemaVersion: 1 as const,
        runId,
        campaignKey: 'campaigns/test-campaign.json',
        catalogKey: 'uploads/s3/catalog.json',
        channels: CHANNEL_IDS,
      });

      const first = await prepareRun(deps, runInput('s3-1'));
      expect(first.products[0].variants).toHaveLength(2);
      const item = first.products[0];
      const assembled = [];
      for (const v of item.variants) {
        const staged = `staging/v-${v.channel}/s3-1`;
        await deps.store.putBytes(`${staged}/video.mp4`, `video ${v.channel}`, 'video/mp4');
        await deps.store.putBytes(`${staged}/poster.jpg`, `poster ${v.channel}`, 'image/jpeg');
        assembled.push({
          ...v,
          storyboardKey: 's',
          storyboardHash: 's',
          variantHash: `v-${v.channel}`,
          stagedVideo: `${staged}/video.mp4`,
          stagedPoster: `${staged}/poster.jpg`,
          duration: 3,
          encodeSeconds: 0.1,
        });
      }
      expect(await publishProduct(deps, { ...item, plan: { renderJobs: [], variants: [] }, assembled })).toEqual({ published: 2, alreadyPublished: 0 });
      expect(await deps.store.list('staging')).toEqual([]);
      expect(await deps.store.list('ads')).toHaveLength(5); // 2 videos, 2 posters, the manifest

      expect(await prepareRun(deps, runInput('s3-2'))).toMatchObject({ products: [], unchanged: 2 });
      await deps.store.delete('ads/test-campaign/MUG-1/product-hero/tiny-tiktok.mp4');
      const third = await prepareRun(deps, runInput('s3-3'));
      expect(third).toMatchObject({ unchanged: 1 });
      expect(third.products[0].variants.map((v) => v.channel)).toEqual(['tiny-tiktok']);
      const row = await deps.tracker.getAd({ campaignId: 'test-campaign', sku: 'MUG-1', templateId: 'product-hero', channel: 'tiny-tiktok' });
      expect(row).toMatchObject({ status: 'planned' });
      expect(row?.reason).toMatch(/tiny-tiktok\.mp4/);
    });
  });

  it('e: the assets bucket expires what is left in staging/ (a backstop), and the versions deletes leave', () => {
    const stack = new Stack(new App(), 'Bucket');
    new AssetsBucket(stack, 'Assets');
    const rules = Template.fromStack(stack).findResources('AWS::S3::Bucket');
    const config = Object.values(rules)[0].Properties.LifecycleConfiguration.Rules as Array<Record<string, unknown>>;
    expect(config).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Id: 'expire-staging',
          Prefix: 'staging/',
          Status: 'Enabled',
          ExpirationInDays: 3,
          NoncurrentVersionExpiration: { NoncurrentDays: 1 },
        }),
        expect.objectContaining({ Id: 'staging-delete-markers', Prefix: 'staging/', ExpiredObjectDeleteMarker: true }),
      ]),
    );
  });
});
