import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '#media/ffmpeg';
import { receiveShopifyEvent } from '#triggers/shopify-delivery';
import { openLocalHost, type LocalHost } from '../../local/local-host.ts';
import { startLocalServer, type LocalServer } from '../../local/server.ts';
import { productPhoto } from '../support/catalog-fixture.ts';
import { TINY_CHANNELS } from '../support/tiny-channels.ts';
import { postWebhook, productBody, rawGet, startImageServer, testCampaign } from './support.ts';

const BIG_ID = '9007199254740993'; // 2^53 + 1: as a JS number it would become ...992
const SECRET = 'shpss_new';
const OLD_SECRET = 'shpss_old';
const CAMPAIGN_KEY = 'campaigns/hooks.json';

describe('Shopify webhooks on the local server (real HTTP on 127.0.0.1)', () => {
  let root: string;
  let host: LocalHost;
  let server: LocalServer;
  let images: Awaited<ReturnType<typeof startImageServer>>;
  const settled: string[] = [];
  const body = (over: Parameters<typeof productBody>[0] = {}) => productBody({ id: BIG_ID, images: [`${images.base}/mug.jpg`], ...over });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-hooks-'));
    images = await startImageServer({ '/mug.jpg': await productPhoto('#aa5522', 240) });
    host = await openLocalHost({
      outDir: join(root, 'out'),
      stateDir: join(root, 'state'),
      inMemoryTracker: true,
      extraChannels: TINY_CHANNELS,
      imageFetch: { localMode: true },
    });
    await host.deps.store.putBytes(CAMPAIGN_KEY, testCampaign('hooks', ['tiny-tiktok']), 'application/json');
    server = await startLocalServer({
      host,
      defaultCampaignKey: CAMPAIGN_KEY,
      shopify: { secrets: [SECRET, OLD_SECRET], campaignKeys: [CAMPAIGN_KEY], currency: 'USD' },
      onRunSettled: (id, error) => settled.push(error ? `${id} failed: ${(error as Error).message}` : id),
    });
  });

  afterAll(async () => {
    await server?.close();
    await server?.idle();
    await host?.close();
    await images?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('answers /health and binds 127.0.0.1', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ ok: true });
  });

  it('a bad or missing signature gets 401 and starts nothing', async () => {
    const bad = await postWebhook(server.url, { body: body(), topic: 'products/create', webhookId: 'w-bad', secret: 'wrong-secret' });
    const missing = await postWebhook(server.url, { body: body(), topic: 'products/create', webhookId: 'w-missing' });
    expect([bad.status, missing.status]).toEqual([401, 401]);
    await server.idle();
    expect(settled).toEqual([]);
    expect(await host.deps.tracker.listAds()).toEqual([]);
  });

  it('a signed products/create starts one run, acknowledges at once, and its ads get published', async () => {
    const started = performance.now();
    const res = await postWebhook(server.url, { body: body(), topic: 'products/create', webhookId: 'w-1', secret: OLD_SECRET });
    const ackMs = performance.now() - started;
    expect(res.status).toBe(200);
    expect(res.json.outcome).toBe('started');
    expect(res.json.runs).toHaveLength(1);
    expect(res.json.runs[0]).toMatchObject({ started: true });
    expect(res.json.runs[0].runId).toContain(BIG_ID); // the id survived exactly
    expect(ackMs).toBeLessThan(5000);
    await server.idle();
    expect(settled).toEqual([res.json.runs[0].executionId]);
    const ads = (await (await fetch(`${server.url}/ads`)).json()) as Array<{ sku: string; status: string; outputs: { video?: string } }>;
    expect(ads.map((ad) => [ad.sku, ad.status])).toEqual([['trail-mug', 'published']]);
    const probe = await probeMedia(join(root, 'out', ads[0].outputs.video!));
    expect(probe.video).toMatchObject({ codec: 'h264', width: 180, height: 320 });
    const gallery = await fetch(`${server.url}/`);
    expect(await gallery.text()).toContain(ads[0].outputs.video!);
    const video = await fetch(`${server.url}/${ads[0].outputs.video}`);
    expect(video.headers.get('content-type')).toBe('video/mp4');
  });

  it('the same delivery again starts nothing; a second subscription of the same event renders nothing', async () => {
    const again = await postWebhook(server.url, { body: body(), topic: 'products/create', webhookId: 'w-1', secret: SECRET });
    const otherSubscription = await postWebhook(server.url, { body: body(), topic: 'products/create', webhookId: 'w-1b', secret: SECRET });
    expect([again.status, again.json.outcome]).toEqual([200, 'duplicate']);
    expect([otherSubscription.status, otherSubscription.json.outcome]).toEqual([200, 'unchanged']);
    await server.idle();
    expect(settled).toHaveLength(1);
  });

  it('an inventory-only products/update renders nothing; a stale retry is acknowledged and ignored', async () => {
    const inventory = await postWebhook(server.url, {
      body: body({ inventory: 0, updatedAt: '2026-03-05T10:00:00Z' }),
      topic: 'products/update',
      webhookId: 'w-2',
      secret: SECRET,
    });
    expect([inventory.status, inventory.json.outcome]).toEqual([200, 'unchanged']);
    const stale = await postWebhook(server.url, {
      body: body({ title: 'Old Title', updatedAt: '2026-03-02T10:00:00Z' }),
      topic: 'products/update',
      webhookId: 'w-3',
      secret: SECRET,
    });
    expect([stale.status, stale.json.outcome]).toEqual([200, 'stale']);
    await server.idle();
    expect(settled).toHaveLength(1);
  });

  it('an EventBridge delivery (raw event JSON, 64-bit id) feeds the same normalizer', async () => {
    const eventText =
      `{"version":"0","id":"e-1","detail-type":"shopifyWebhook","source":"aws.partner/shopify.com/123/adline",` +
      `"account":"1","time":"2026-03-06T00:00:00Z","region":"us-east-1","resources":[],` +
      `"detail":{"payload":${body({ inventory: 1, updatedAt: '2026-03-06T00:00:00Z' })},` +
      `"metadata":{"Content-Type":"application/json","X-Shopify-Topic":"products/update",` +
      `"X-Shopify-Shop-Domain":"demo-store.myshopify.com","X-Shopify-Hmac-SHA256":"x",` +
      `"X-Shopify-Webhook-Id":"eb-1","X-Shopify-API-Version":"2026-04"}}}`;
    const deps = { store: host.deps.store, tracker: host.deps.tracker, starter: host, now: () => new Date() };
    // Unchanged: the GID matched the HTTPS delivery's exactly; a rounded id would have looked like a new product.
    expect(await receiveShopifyEvent(deps, { secrets: [], campaignKeys: [CAMPAIGN_KEY], currency: 'USD' }, eventText)).toEqual({ outcome: 'unchanged' });
  });

  it("products/delete retires the product's ads", async () => {
    const res = await postWebhook(server.url, { body: `{"id":${BIG_ID}}`, topic: 'products/delete', webhookId: 'w-4', secret: SECRET });
    expect(res.json).toEqual({ outcome: 'retired', ads: 1 });
    const ads = (await (await fetch(`${server.url}/ads`)).json()) as Array<{ status: string; reason: string }>;
    expect(ads.map((ad) => ad.status)).toEqual(['retired']);
    expect(ads[0].reason).toMatch(/deleted/);
  });

  it('refuses oversized bodies, unknown routes and paths outside the gallery', async () => {
    const big = await fetch(`${server.url}/webhooks/shopify`, { method: 'POST', body: Buffer.alloc(3 * 1024 * 1024, 32) });
    expect(big.status).toBe(413);
    expect((await fetch(`${server.url}/webhooks/shopify`, { method: 'DELETE' })).status).toBe(405);
    // Sent byte for byte (fetch() would normalize the dots away); nothing outside out/ is ever served.
    await writeFile(join(root, 'secret.txt'), 'secret');
    expect(await rawGet(server.url, '/../secret.txt')).toBe(404);
    expect(await rawGet(server.url, '/%2e%2e/secret.txt')).toBe(404);
    expect(await rawGet(server.url, '/%2F..%2Fsecret.txt')).toBe(400);
    expect(await rawGet(server.url, '/..%5Csecret.txt')).toBe(400);
    expect((await fetch(`${server.url}/nothing-here.json`)).status).toBe(404);
  });
});
