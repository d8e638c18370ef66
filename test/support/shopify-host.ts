import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalHost, type LocalHost } from '../../local/local-host.ts';
import { startLocalServer, type LocalServer } from '../../local/server.ts';
import { productPhoto } from './catalog-fixture.ts';
import { tinyChannel } from './tiny-channels.ts';
import { startImageServer, testCampaign } from '../triggers/support.ts';

/** One tiny placement (90×160, 1 s) the Shopify tests publish to. */
export const SHOPIFY_TEST_CHANNEL = tinyChannel('tiktok', 90, 160, 1);

export interface ShopifyTestHost {
  host: LocalHost;
  server: LocalServer;
  /** The photo server: `${images.base}/mug.jpg` is a product photo. */
  images: { base: string };
  /** Runs that ended in an error, as `<run id>: <message>`. */
  failures: string[];
  close(): Promise<void>;
}

/**
 * A local host and server taking signed Shopify deliveries for one campaign (`campaigns/<campaignId>.json`,
 * one allowed shop), with a loopback photo server; the webhook tests each start one.
 */
export async function startShopifyHost(opts: { campaignId: string; secret: string; shop: string; photoColor: string }): Promise<ShopifyTestHost> {
  const root = await mkdtemp(join(tmpdir(), `adline-${opts.campaignId}-`));
  const images = await startImageServer({ '/mug.jpg': await productPhoto(opts.photoColor, 160) });
  const host = await openLocalHost({
    outDir: join(root, 'out'),
    stateDir: join(root, 'state'),
    inMemoryTracker: true,
    extraChannels: [SHOPIFY_TEST_CHANNEL],
    imageFetch: { localMode: true },
  });
  const campaignKey = `campaigns/${opts.campaignId}.json`;
  await host.deps.store.putBytes(campaignKey, testCampaign(opts.campaignId, [SHOPIFY_TEST_CHANNEL.id]), 'application/json');
  const failures: string[] = [];
  const server = await startLocalServer({
    host,
    defaultCampaignKey: campaignKey,
    shopify: { secrets: [opts.secret], campaignKeys: [campaignKey], currency: 'USD', shops: [opts.shop] },
    onRunSettled: (id, error) => {
      if (error) failures.push(`${id}: ${(error as Error).message}`);
    },
  });
  return {
    host,
    server,
    images,
    failures,
    async close() {
      await server.close();
      await server.idle();
      await host.close();
      await images.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
