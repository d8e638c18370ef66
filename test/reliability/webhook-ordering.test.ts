import type { LocalHost } from '../../local/local-host.ts';
import type { LocalServer } from '../../local/server.ts';
import { startShopifyHost } from '../support/shopify-host.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Product } from '#domain/model/product';
import { postWebhook, productBody } from '../triggers/support.ts';

const SECRET = 'shpss_order';
const SHOP = 'demo-store.myshopify.com';
const ID = '9554194432293';

/**
 * DW1: the newest delivery of a product and 20 older ones in flight at once (what Shopify's retries and
 * a burst of edits look like). The watermark moves by compare-and-set on the body's updated_at, and a run
 * publishes only while its input is still the newest: whatever the interleaving, the newest content is
 * what ends up published, and a re-send of it changes nothing.
 */
describe('DW1: webhook ordering under concurrency', () => {
  let host: LocalHost;
  let server: LocalServer;
  let images: { base: string };
  let failures: string[] = [];
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ host, server, images, failures, close } = await startShopifyHost({ campaignId: 'order', secret: SECRET, shop: SHOP, photoColor: '#aa5522' }));
  });

  afterAll(async () => {
    await close?.();
  });

  it('newest + 20 older deliveries at once, 5 times: the newest is published every time; its re-send is unchanged', async () => {
    const base = Date.parse('2026-03-01T10:00:00Z');
    let superseded = 0;
    for (let round = 0; round < 5; round++) {
      const at = (i: number) => new Date(base + (round * 100 + i) * 60_000).toISOString();
      const send = (i: number, webhookId: string) =>
        postWebhook(server.url, {
          body: productBody({ id: ID, title: `Round ${round} edit ${i}`, updatedAt: at(i), images: [`${images.base}/mug.jpg`] }),
          topic: 'products/update',
          webhookId,
          secret: SECRET,
          shop: SHOP,
        });
      // The newest (edit 20) goes out in the middle of the burst of older ones.
      const order = [...Array(21).keys()].sort((a, b) => ((a * 7919 + round) % 21) - ((b * 7919 + round) % 21));
      const answers = await Promise.all(order.map((i) => send(i, `r${round}-e${i}`).then((res) => ({ i, res }))));
      const newest = answers.find((a) => a.i === 20)!.res;
      expect(newest.status).toBe(200);
      expect(newest.json.outcome).toBe('started');
      for (const { res } of answers) expect(['started', 'stale']).toContain(res.json.outcome);
      await server.idle();
      expect(failures).toEqual([]);

      const ads = await host.deps.tracker.listAds({ campaignId: 'order' });
      expect(ads.map((ad) => [ad.status, ad.runId])).toEqual([['published', newest.json.runs[0].runId]]);
      const product = Product.parse(JSON.parse((await host.deps.store.getBytes(`products/${ads[0].sku}/${ads[0].productHash}.json`)).toString('utf8')));
      expect(product.title).toBe(`Round ${round} edit 20`);

      // Every other run that started ended superseded, with its record in the store.
      for (const { res } of answers.filter((a) => a.i !== 20 && a.res.json.outcome === 'started')) {
        expect(await host.deps.store.exists(`runs/${res.json.runs[0].runId}/superseded/trail-mug.json`), res.json.runs[0].runId).toBe(true);
        superseded += 1;
      }
      const again = await send(20, `r${round}-resend`);
      expect(again.json.outcome).toBe('unchanged');
    }
    console.log(`DW1: ${superseded} overtaken runs ended superseded over 5 rounds`);
  }, 120_000);
});
