import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCatalog } from '#domain/catalog/catalog-parser';
import { openLocalHost } from '../../local/local-host.ts';
import { followRun, uploadRunInput } from '../../local/local-run.ts';
import { productPhoto, writeCatalog } from '../support/catalog-fixture.ts';
import { tinyChannel } from '../support/tiny-channels.ts';

const CHANNEL = tinyChannel('tiktok', 90, 160, 1);
const HEADER = 'sku,title,price,currency,images';
const UNSAFE_SKUS = ['.', '..', '...', '.hidden', 'trailing.'];
const MANY = 10_000;
const LONG = 8;

/**
 * DW4: one bad row sinks nothing but itself. Unsafe skus, 10,000 rejected rows, long bad cells and a
 * stray separator each reject their own row; the good row is published; the run record stays small
 * (counts and the first rows) while the report in the store lists every rejected row.
 */
describe('DW4: per-row isolation in a catalog', () => {
  let root: string;
  let catalog: string;
  let campaign: string;
  const lines: string[] = [HEADER, 'GOOD-1,Good Lamp,19.00,USD,good.jpg'];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-rows-'));
    const dir = join(root, 'input');
    ({ campaign } = await writeCatalog(dir, [], [CHANNEL.id]));
    await writeFile(join(dir, 'good.jpg'), await productPhoto('#cc8822', 160));
    for (const sku of UNSAFE_SKUS) lines.push(`${sku},Unsafe ${sku.length},10.00,USD,good.jpg`);
    for (let i = 0; i < MANY; i++) lines.push(`BAD-${i},Bad Price ${i},not-a-price,USD,good.jpg`);
    for (let i = 0; i < LONG; i++) lines.push(`LONG-${i},${'T'.repeat(60_000)},10.00,USD,good.jpg`);
    lines.push('STRAY-1,Lamp, with a stray comma,10.00,USD,good.jpg');
    catalog = join(dir, 'catalog.csv');
    await writeFile(catalog, `${lines.join('\n')}\n`);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('the parser rejects each bad row alone, with its reason', () => {
    const parsed = parseCatalog(lines.join('\n'), 'csv');
    expect(parsed.items.map((i) => i.item.sku)).toEqual(['GOOD-1']);
    const bySku = new Map(parsed.rejected.map((r) => [r.sku, r.reason]));
    for (const sku of UNSAFE_SKUS) expect(bySku.get(sku), sku).toMatch(/dot/);
    expect(bySku.get('STRAY-1')).toMatch(/row has 6 cells but the header has 5: a stray ","/);
    expect(bySku.get('LONG-0')).toMatch(/title/);
    expect(parsed.rejected).toHaveLength(UNSAFE_SKUS.length + MANY + LONG + 1);
    expect(Math.max(...parsed.rejected.map((r) => JSON.stringify(r).length))).toBeLessThan(1000);
  });

  it('one workflow run publishes the good row; the record holds counts, the report every rejected row', async () => {
    const host = await openLocalHost({ outDir: join(root, 'out'), stateDir: join(root, 'state'), inMemoryTracker: true, extraChannels: [CHANNEL] });
    try {
      const input = await uploadRunInput(host, { catalogPath: catalog, campaignPath: campaign, runId: 'run-rows', channels: [CHANNEL.id] });
      const { executionId } = await host.start(input, input.runId);
      const summary = await followRun(host, executionId);
      expect(summary.published).toBe(1);
      expect(summary.rejected).toBe(UNSAFE_SKUS.length + MANY + LONG + 1);
      expect(summary.rejections.length).toBeLessThanOrEqual(20);
      const ads = await host.deps.tracker.listAds();
      expect(ads.map((ad) => [ad.sku, ad.status])).toEqual([['GOOD-1', 'published']]);

      const run = await host.deps.tracker.getRun('run-rows');
      expect(run?.rejectedCount).toBe(summary.rejected);
      // DynamoDB's item limit is 400 KB; the record is a few KB whatever the number of rejections.
      const recordBytes = Buffer.byteLength(JSON.stringify(run));
      console.log(`DW4: run record ${recordBytes} bytes for ${summary.rejected} rejected rows`);
      expect(recordBytes).toBeLessThan(16 * 1024);

      const report = JSON.parse(await readFile(join(root, 'out', summary.report!), 'utf8')) as {
        refused: number;
        rows: Array<{ row: number; sku?: string; reason: string }>;
      };
      expect(report.refused).toBe(summary.rejected);
      const rows = new Set(report.rows.map((r) => r.row));
      // Every rejected line of the file (rows 3 onwards: row 1 is the header, row 2 the good product) is listed.
      for (let row = 3; row <= lines.length; row++) expect(rows.has(row), `row ${row}`).toBe(true);
    } finally {
      await host.close();
    }
  }, 60_000);
});
