import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshCampaign } from '#triggers/refresh-campaign';
import { openLocalHost, type LocalHost } from '../../local/local-host.ts';
import { followRun, uploadRunInput } from '../../local/local-run.ts';
import { startLocalServer, type LocalServer } from '../../local/server.ts';
import { productPhoto, writeCatalog } from '../support/catalog-fixture.ts';
import { TINY_CHANNELS } from '../support/tiny-channels.ts';
import { postWebhook, productBody, startImageServer } from './support.ts';

const SECRET = 'shpss_retire';
const ID = '788032119674292922';

describe('retire for real: a product deleted or archived in Shopify leaves sources, feeds and current paths, and refresh never brings it back', () => {
  let root: string;
  let host: LocalHost;
  let server: LocalServer;
  let campaignKey: string;
  let images: Awaited<ReturnType<typeof startImageServer>>;
  const api = '/review/api/campaigns/test-campaign';
  const deps = () => ({ store: host.deps.store, tracker: host.deps.tracker, starter: host, now: host.deps.now });
  const post = (path: string, body: unknown) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-adline-token': server.token },
      body: JSON.stringify(body),
    });
  const metaIds = async () =>
    (await (await fetch(`${server.url}${api}/feeds/meta-catalog.csv`)).text())
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-retire-'));
    images = await startImageServer({ '/mug.jpg': await productPhoto('#aa5522', 240) });
    const dir = join(root, 'input');
    // One product from an upload, one from Shopify, both in the same campaign.
    const files = await writeCatalog(dir, [{ sku: 'LAMP-2', title: 'Desk Lamp', price: 40, images: ['b.jpg'] }], ['tiny-feed-4x5']);
    await writeFile(join(dir, 'b.jpg'), await productPhoto('#3322aa', 240));
    host = await openLocalHost({
      outDir: join(root, 'out'),
      stateDir: join(root, 'state'),
      inMemoryTracker: true,
      extraChannels: TINY_CHANNELS,
      imageFetch: { localMode: true },
    });
    const input = await uploadRunInput(host, { catalogPath: files.catalog, campaignPath: files.campaign, runId: 'run-upload' });
    campaignKey = input.campaignKey;
    await followRun(host, (await host.start(input, input.runId)).executionId);
    server = await startLocalServer({ host, defaultCampaignKey: campaignKey, shopify: { secrets: [SECRET], campaignKeys: [campaignKey], currency: 'USD' } });
    const created = await postWebhook(server.url, {
      body: productBody({ id: ID, images: [`${images.base}/mug.jpg`] }),
      topic: 'products/create',
      webhookId: 'w-1',
      secret: SECRET,
    });
    expect(created.json.outcome).toBe('started');
    await server.idle();
    expect((await post(`${api}/review`, { action: 'approve', targets: [{ sku: 'trail-mug' }, { sku: 'LAMP-2' }] })).status).toBe(200);
  });

  afterAll(async () => {
    await server?.close();
    await server?.idle();
    await host?.close();
    await images?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('before: both products approved and in the Meta feed', async () => {
    expect((await metaIds()).sort()).toEqual(['LAMP-2', 'gid://shopify/Product/788032119674292922']);
  });

  it('products/delete retires the ads, removes the current files, drops it from the feeds; refresh leaves it out', async () => {
    const ad = (await host.deps.tracker.listProductAds('test-campaign', 'trail-mug'))[0]!;
    expect(await host.deps.store.exists(ad.outputs.video!)).toBe(true);
    const res = await postWebhook(server.url, { body: `{"id":${ID}}`, topic: 'products/delete', webhookId: 'w-2', secret: SECRET });
    expect(res.json).toEqual({ outcome: 'retired', ads: 1 });
    expect(await host.deps.store.list('ads/test-campaign/trail-mug/')).toEqual([]);
    expect(await host.deps.store.exists(ad.takes![0]!.video)).toBe(true); // the take stays for the record
    expect(await metaIds()).toEqual(['LAMP-2']);
    expect((await host.deps.store.getBytes('feeds/test-campaign/meta-catalog.csv')).toString()).not.toContain('788032119674292922');

    const refresh = await refreshCampaign(deps(), { campaignKey, runId: 'refresh-after-delete' });
    if (refresh.outcome !== 'started') throw new Error(refresh.outcome);
    expect(refresh.products).toBe(1); // only LAMP-2; the Shopify source is still on record but the product is retired
    for (const run of refresh.runs) await followRun(host, run.executionId);
    const rows = await host.deps.tracker.listProductAds('test-campaign', 'trail-mug');
    expect(rows.map((r) => r.status)).toEqual(['retired']);
    expect(await host.deps.store.list('ads/test-campaign/trail-mug/')).toEqual([]);
    expect(await metaIds()).toEqual(['LAMP-2']);
  });

  it('a product active again in Shopify comes back (an explicit catalog lifts the retirement)', async () => {
    const res = await postWebhook(server.url, {
      body: productBody({ id: ID, title: 'Trail Mug 2', updatedAt: new Date(Date.now() + 60_000).toISOString(), images: [`${images.base}/mug.jpg`] }),
      topic: 'products/update',
      webhookId: 'w-3',
      secret: SECRET,
    });
    expect(res.json.outcome).toBe('started');
    await server.idle();
    expect((await host.deps.tracker.listProductAds('test-campaign', 'trail-mug')).map((r) => [r.status, r.review?.state])).toEqual([
      ['published', 'in-review'],
    ]);
    expect(await host.deps.store.list('retired/test-campaign/')).toEqual([]);
  });

  it('archived in Shopify retires it again, and refresh keeps it out', async () => {
    const res = await postWebhook(server.url, {
      body: productBody({
        id: ID,
        title: 'Trail Mug 2',
        status: 'archived',
        updatedAt: new Date(Date.now() + 120_000).toISOString(),
        images: [`${images.base}/mug.jpg`],
      }),
      topic: 'products/update',
      webhookId: 'w-4',
      secret: SECRET,
    });
    expect(res.json).toEqual({ outcome: 'retired', ads: 1 });
    const refresh = await refreshCampaign(deps(), { campaignKey, runId: 'refresh-after-archive' });
    if (refresh.outcome !== 'started') throw new Error(refresh.outcome);
    for (const run of refresh.runs) await followRun(host, run.executionId);
    expect((await host.deps.tracker.listProductAds('test-campaign', 'trail-mug')).map((r) => r.status)).toEqual(['retired']);
    expect(await host.deps.store.list('ads/test-campaign/trail-mug/')).toEqual([]);
  });
});
