import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdRecord } from '#domain/model/ad-record';
import { openLocalHost, type LocalHost } from '../../local/local-host.ts';
import { startLocalServer, type LocalServer } from '../../local/server.ts';
import { productPhoto } from '../support/catalog-fixture.ts';
import { TINY_CHANNELS } from '../support/tiny-channels.ts';
import { postWebhook, productBody, startImageServer, testCampaign } from '../triggers/support.ts';
import { runAdline } from './cli-process.ts';

const SECRET = 'shpss_test';
const CAMPAIGN_KEY = 'campaigns/hooks.json';

/** Fix d of issue 11: a webhook product whose photo cannot be fetched shows up where the user looks. */
describe('a Shopify product that fails at ingest', () => {
  let root: string;
  let host: LocalHost;
  let server: LocalServer;
  let images: Awaited<ReturnType<typeof startImageServer>>;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-ingest-failure-'));
    images = await startImageServer({ '/good.jpg': await productPhoto('#aa5522', 240) });
    host = await openLocalHost({ outDir: join(root, 'out'), stateDir: join(root, 'state'), extraChannels: TINY_CHANNELS, imageFetch: { localMode: true } });
    await host.deps.store.putBytes(CAMPAIGN_KEY, testCampaign('hooks', ['tiny-tiktok', 'tiny-feed-4x5']), 'application/json');
    server = await startLocalServer({ host, defaultCampaignKey: CAMPAIGN_KEY, shopify: { secrets: [SECRET], campaignKeys: [CAMPAIGN_KEY], currency: 'USD' } });
  });

  afterAll(async () => {
    await server?.close();
    await server?.idle();
    await host?.close();
    await images?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('is failed, with the reason, in GET /ads and the gallery; a later good delivery publishes over it', async () => {
    const res = await postWebhook(server.url, {
      body: productBody({ id: '1001', images: [`${images.base}/gone.jpg`] }),
      topic: 'products/create',
      webhookId: 'w-1',
      secret: SECRET,
    });
    expect(res.json.outcome).toBe('started');
    await server.idle();

    const ads = AdRecord.array().parse(await (await fetch(`${server.url}/ads`)).json());
    expect(ads.map((ad) => [ad.sku, ad.channel, ad.status])).toEqual([
      ['trail-mug', 'tiny-feed-4x5', 'failed'],
      ['trail-mug', 'tiny-tiktok', 'failed'],
    ]);
    for (const ad of ads) expect(ad.reason).toMatch(/ingest failed: .*gone\.jpg.*404/);

    const gallery = await (await fetch(`${server.url}/`)).text();
    expect(gallery).toMatch(/class="failed"/);
    expect(gallery).toMatch(/gone\.jpg/);

    // The same product with a photo that works: the failed rows become published ads.
    const fixed = await postWebhook(server.url, {
      body: productBody({ id: '1001', images: [`${images.base}/good.jpg`], title: 'Trail Mug 2', updatedAt: '2026-03-02T10:00:00-05:00' }),
      topic: 'products/update',
      webhookId: 'w-2',
      secret: SECRET,
    });
    expect(fixed.json.outcome).toBe('started');
    await server.idle();
    const after = AdRecord.array().parse(await (await fetch(`${server.url}/ads`)).json());
    expect(after.map((ad) => ad.status)).toEqual(['published', 'published']);
  });

  it('adline status lists it as failed with the reason', async () => {
    const res = await postWebhook(server.url, {
      body: productBody({ id: '2002', images: [`${images.base}/missing.jpg`] }).replace('"handle":"trail-mug"', '"handle":"desk-lamp"'),
      topic: 'products/create',
      webhookId: 'w-3',
      secret: SECRET,
    });
    expect(res.json.outcome).toBe('started');
    await server.idle();
    await server.close();
    await host.close(); // the tracker folder is one process's at a time
    const status = await runAdline(['status', '--out', join(root, 'out'), '--state', join(root, 'state')], { cwd: root });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/trail-mug\s+tiny-tiktok\s+product-hero\s+published/);
    const failedLines = status.stdout.split('\n').filter((line) => /\bfailed\b/.test(line));
    expect(failedLines.length).toBe(2);
    for (const line of failedLines) expect(line).toMatch(/^desk-lamp\s+tiny-\S+\s+product-hero\s+failed\s+ingest failed: .*missing\.jpg/);
    expect(await readFile(join(root, 'out', 'index.html'), 'utf8')).toMatch(/missing\.jpg/);
  });
});
