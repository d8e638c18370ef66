import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '#media/ffmpeg';
import { openLocalHost, type LocalHost } from '../../local/local-host.ts';
import { startLocalServer, type LocalServer } from '../../local/server.ts';
import { productPhoto } from '../support/catalog-fixture.ts';
import { TINY_CHANNELS } from '../support/tiny-channels.ts';
import { startImageServer, testCampaign } from './support.ts';

const CAMPAIGN_KEY = 'campaigns/uploads.json';

/** Shopify's product CSV export, as the admin writes it: several rows per product. */
function shopifyExport(img: string): string {
  return [
    'Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,Option1 Value,' +
      'Variant SKU,Variant Grams,Variant Inventory Qty,Variant Price,Variant Compare At Price,Image Src,Image Position,Image Alt Text,Variant Image,Status',
    `trail-mug,Trail Mug,<p>Hot for hours</p><ul><li>12 oz</li></ul>,Northwind,Mugs,Mugs,"outdoor, coffee",` +
      `TRUE,Size,12 oz,MUG-12,300,5,24.00,30.00,${img}/front.jpg,1,Front,,active`,
    `trail-mug,,,,,,,,,16 oz,MUG-16,350,2,27.00,,${img}/side.jpg,2,Side,,`,
    'trail-mug,,,,,,,,,20 oz,MUG-20,400,1,=cmd|calc,,,,,,',
    `draft-lamp,Desk Lamp,,Northwind,,Lamps,,FALSE,Title,Default,LAMP-1,900,3,40.00,,${img}/front.jpg,1,,,draft`,
    `no-price,Mystery Box,,Northwind,,Boxes,,TRUE,Title,Default,BOX-1,100,3,,,${img}/front.jpg,1,,,active`,
    'no-image,Plain Tee,<ul><li>Cotton</li></ul>,Northwind,,Shirts,,TRUE,Size,M,TEE-M,200,3,15.00,,,,,,active',
    'no-image,,,,,,,,,L,TEE-L,200,3,14.00,18.00,,,,,',
    `gone-photo,Lost Photo,,Northwind,,Misc,,TRUE,Title,Default,LP-1,100,1,9.00,,${img}/missing.jpg,1,,,active`,
  ].join('\n');
}

describe('uploads on the local server: a Shopify product CSV export', () => {
  let root: string;
  let host: LocalHost;
  let server: LocalServer;
  let images: Awaited<ReturnType<typeof startImageServer>>;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-uploads-'));
    images = await startImageServer({ '/front.jpg': await productPhoto('#2255cc', 240), '/side.jpg': await productPhoto('#22aa55', 240) });
    host = await openLocalHost({
      outDir: join(root, 'out'),
      stateDir: join(root, 'state'),
      inMemoryTracker: true,
      extraChannels: TINY_CHANNELS,
      imageFetch: { localMode: true },
    });
    await host.deps.store.putBytes(CAMPAIGN_KEY, testCampaign('uploads', ['tiny-tiktok']), 'application/json');
    server = await startLocalServer({ host, defaultCampaignKey: CAMPAIGN_KEY, shopify: { secrets: ['x'], campaignKeys: [CAMPAIGN_KEY], currency: 'USD' } });
  });

  afterAll(async () => {
    await server?.close();
    await server?.idle();
    await host?.close();
    await images?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('publishes every valid product, records a reason for every other one, and writes the report beside the upload', async () => {
    const res = await fetch(`${server.url}/uploads?name=products_export.csv`, {
      method: 'POST',
      headers: { 'x-adline-token': server.token },
      body: shopifyExport(images.base),
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as {
      runId: string;
      report: string;
      reportUrl: string;
      accepted: number;
      refused: number;
      runs: Array<{ executionId: string }>;
    };
    expect(body).toMatchObject({ accepted: 3, refused: 3 });
    expect(body.report).toBe(`uploads/${body.runId}/products_export.csv.report.json`);
    const summary = (await host.execution(body.runs[0].executionId).result) as { published: number; rejected: number };
    await server.idle();
    expect(summary).toMatchObject({ published: 2, rejected: 4 });

    const ads = await host.deps.tracker.listAds({ runId: body.runId });
    expect(ads.map((ad) => [ad.sku, ad.status]).sort()).toEqual([
      ['no-image', 'published'],
      ['trail-mug', 'published'],
    ]);
    for (const ad of ads) expect((await probeMedia(join(root, 'out', ad.outputs.video!))).video).toMatchObject({ width: 180, height: 320 });

    const report = (await (await fetch(`${server.url}${body.reportUrl}`)).json()) as {
      accepted: number;
      rows: Array<{ row: number; sku?: string; field?: string; reason: string }>;
    };
    const byRow = Object.fromEntries(report.rows.map((r) => [r.row, r]));
    expect(Object.keys(byRow).map(Number)).toEqual([4, 5, 6, 9]);
    expect(byRow[4]).toMatchObject({ sku: 'trail-mug', field: 'Variant Price' });
    expect(byRow[5]).toMatchObject({ sku: 'draft-lamp', field: 'Status', reason: expect.stringMatching(/skipped.*draft/) });
    expect(byRow[6]).toMatchObject({ sku: 'no-price', field: 'Variant Price' });
    expect(byRow[9]).toMatchObject({ sku: 'gone-photo', reason: expect.stringMatching(/missing\.jpg.*404/) });
    const csv = await readFile(join(root, 'out', `uploads/${body.runId}/products_export.csv.report.csv`), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('row,sku,field,reason');
    expect(csv).toContain(`"expected a non-negative decimal like 24.00, got ""'=cmd|calc"""`.replace(`""'=`, `""=`));
    expect(csv).not.toMatch(/(^|,)=/m);
  });

  it('refuses an upload it cannot name or parse, with a report', async () => {
    expect((await fetch(`${server.url}/uploads?name=skus.xlsx`, { method: 'POST', headers: { 'x-adline-token': server.token }, body: 'x' })).status).toBe(400);
    const res = await fetch(`${server.url}/uploads?name=bad.json`, { method: 'POST', headers: { 'x-adline-token': server.token }, body: '{"products": 12' });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { outcome: string; reason: string; reportUrl: string };
    expect(body).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/not valid JSON/) });
    expect((await fetch(`${server.url}${body.reportUrl}`)).status).toBe(200);
  });
});
