import type { LocalHost } from '../../local/local-host.ts';
import type { LocalServer } from '../../local/server.ts';
import { startShopifyHost } from '../support/shopify-host.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopifyHmac } from '#triggers/shopify-hmac';
import { parseShopAllowList } from '#domain/catalog/shopify-product';
import { Product } from '#domain/model/product';
import { REFUSED_PREFIX } from '#triggers/delivery-record';
import { productBody } from '../triggers/support.ts';

const SECRET = 'shpss_headers';
const SHOP = 'demo-store.myshopify.com';
const ID = '9554194432293';

/**
 * DW2: Shopify signs the body only. With one captured signed body, an attacker controls every header:
 * topic, shop, webhook id and Triggered-At. None of them may change what is published for good, and
 * every refusal and every retire leaves a record.
 */
describe('DW2: headers the HMAC does not cover', () => {
  let host: LocalHost;
  let server: LocalServer;
  let images: { base: string };
  let failures: string[] = [];
  let close: (() => Promise<void>) | undefined;
  let n = 0;
  const body = (title: string, minutes: number) =>
    productBody({
      id: ID,
      title,
      updatedAt: new Date(Date.parse('2026-03-01T10:00:00Z') + minutes * 60_000).toISOString(),
      images: [`${images.base}/mug.jpg`],
    });

  /** A delivery with exactly these headers, signed over the body as Shopify would sign it. */
  async function deliver(raw: string, headers: { topic: string; shop?: string; webhookId?: string; triggeredAt?: string }) {
    const res = await fetch(`${server.url}/webhooks/shopify`, {
      method: 'POST',
      body: raw,
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': headers.topic,
        'x-shopify-shop-domain': headers.shop ?? SHOP,
        'x-shopify-webhook-id': headers.webhookId ?? `w-${++n}`,
        'x-shopify-hmac-sha256': shopifyHmac(Buffer.from(raw), SECRET),
        ...(headers.triggeredAt ? { 'x-shopify-triggered-at': headers.triggeredAt } : {}),
      },
    });
    const json = (await res.json()) as { outcome: string; reason?: string; record?: string };
    await server.idle();
    return { status: res.status, ...json };
  }
  const ads = async () =>
    (await host.deps.tracker.listAds({ campaignId: 'headers' })).map((ad) => ({ status: ad.status, reason: ad.reason, productHash: ad.productHash }));
  const publishedTitle = async () => {
    const [ad] = await host.deps.tracker.listAds({ campaignId: 'headers' });
    if (ad?.status !== 'published') return ad?.status;
    return Product.parse(JSON.parse((await host.deps.store.getBytes(`products/${ad.sku}/${ad.productHash}.json`)).toString('utf8'))).title;
  };

  beforeAll(async () => {
    ({ host, server, images, failures, close } = await startShopifyHost({ campaignId: 'headers', secret: SECRET, shop: SHOP, photoColor: '#2255aa' }));
    expect((await deliver(body('Trail Mug', 0), { topic: 'products/create' })).outcome).toBe('started');
    expect(await publishedTitle()).toBe('Trail Mug');
  });

  afterAll(async () => {
    await close?.();
    expect(failures).toEqual([]);
  });

  it('topic swap: an update body under products/delete is refused and recorded; the ad stays published', async () => {
    const res = await deliver(body('Trail Mug', 0), { topic: 'products/delete' });
    expect(res).toMatchObject({ status: 200, outcome: 'refused' });
    expect(res.reason).toMatch(/topic header does not match/);
    expect(JSON.parse((await host.deps.store.getBytes(res.record!)).toString('utf8'))).toMatchObject({ outcome: 'refused', topic: 'products/delete' });
    // The reverse swap (a delete body under products/update) is refused the same way.
    expect((await deliver(`{"id":${ID}}`, { topic: 'products/update' })).outcome).toBe('refused');
    expect(await publishedTitle()).toBe('Trail Mug');
  });

  it('shop swap: the same signed body from a shop outside the allow-list gets 403, recorded; the product keeps its shop URL', async () => {
    const res = await deliver(body('Trail Mug', 5), { topic: 'products/update', shop: 'evil-store.myshopify.com' });
    expect(res).toMatchObject({ status: 403, outcome: 'refused' });
    expect(res.reason).toMatch(/allow-list/);
    expect((await host.deps.store.list(REFUSED_PREFIX)).length).toBeGreaterThanOrEqual(3);
    const [ad] = await host.deps.tracker.listAds({ campaignId: 'headers' });
    const product = Product.parse(JSON.parse((await host.deps.store.getBytes(`products/${ad.sku}/${ad.productHash}.json`)).toString('utf8')));
    expect(product.url).toBe(`https://${SHOP}/products/trail-mug`);
    expect(() => parseShopAllowList('evil.example.com')).toThrow(/myshopify\.com/);
  });

  it('replayed delete: it retires (recorded with its delivery), and the next genuine newer update brings the product back', async () => {
    const genuine = await deliver(`{"id":${ID}}`, { topic: 'products/delete', webhookId: 'genuine-delete' });
    expect(genuine).toMatchObject({ outcome: 'retired', ads: 1 });
    expect((await ads())[0].reason).toContain('genuine-delete');
    // A replay of an older update cannot undo the delete: only a body newer than anything seen can.
    expect((await deliver(body('Trail Mug', 0), { topic: 'products/update' })).outcome).toBe('unchanged');
    expect(await publishedTitle()).toBe('retired');
    expect((await deliver(body('Trail Mug v2', 10), { topic: 'products/update' })).outcome).toBe('started');
    expect(await publishedTitle()).toBe('Trail Mug v2');
    // The captured delete, replayed with a fresh webhook id: retired again, and the record names the replay...
    const replay = await deliver(`{"id":${ID}}`, { topic: 'products/delete', webhookId: 'replayed-delete' });
    expect(replay.outcome).toBe('retired');
    expect((await ads())[0].reason).toContain('replayed-delete');
    const watermark = await host.deps.tracker.getWatermark(`shopify#${SHOP}#gid://shopify/Product/${ID}`);
    expect(watermark?.retiredBy).toMatchObject({ webhookId: 'replayed-delete', topic: 'products/delete', shop: SHOP });
    // ...and the next genuine edit brings the product back: nothing was changed for good.
    expect((await deliver(body('Trail Mug v3', 20), { topic: 'products/update' })).outcome).toBe('started');
    expect(await publishedTitle()).toBe('Trail Mug v3');
  });

  it('future Triggered-At: a delete dated 9999 cannot make later genuine updates stale', async () => {
    const res = await deliver(`{"id":${ID}}`, { topic: 'products/delete', triggeredAt: '9999-12-31T23:59:59Z' });
    expect(res.outcome).toBe('retired');
    const watermark = await host.deps.tracker.getWatermark(`shopify#${SHOP}#gid://shopify/Product/${ID}`);
    expect(watermark?.updatedAt.startsWith('9999')).toBe(false);
    const update = await deliver(body('Trail Mug v4', 30), { topic: 'products/update', triggeredAt: '9999-12-31T23:59:59Z' });
    expect(update.outcome).toBe('started');
    expect(await publishedTitle()).toBe('Trail Mug v4');
    // A body dated in the future is clamped to now, so it cannot freeze the product either.
    const future = await deliver(productBody({ id: ID, title: 'Trail Mug v5', updatedAt: '9999-01-01T00:00:00Z', images: [`${images.base}/mug.jpg`] }), {
      topic: 'products/update',
    });
    expect(future.outcome).toBe('started');
    const clamped = await host.deps.tracker.getWatermark(`shopify#${SHOP}#gid://shopify/Product/${ID}`);
    expect(Date.parse(clamped!.updatedAt)).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
    expect(await publishedTitle()).toBe('Trail Mug v5');
  });
});
