import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsAssetStore } from '#adapters/local/fs-asset-store';
import { loadCampaignSources, parseSourceCatalog, recordCampaignSource } from '#usecases/campaign-sources';

let dir: string;
let store: FsAssetStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adline-sources-'));
  store = new FsAssetStore(dir);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('campaign sources', () => {
  it('records a catalog under its file name, a newer one of that name replacing it; a refresh catalog is never a source', async () => {
    expect(await recordCampaignSource(store, 'c1', 'uploads/run-1/skus.csv', '2026-01-01T00:00:00.000Z')).toBe('sources/c1/skus.csv.json');
    await recordCampaignSource(store, 'c1', 'uploads/run-2/skus.csv', '2026-01-02T00:00:00.000Z');
    await recordCampaignSource(store, 'c1', 'uploads/run-0/more.json', '2025-12-31T00:00:00.000Z');
    expect(await recordCampaignSource(store, 'c1', 'refresh/c1/run-3/catalog.jsonl', '2026-01-03T00:00:00.000Z')).toBeUndefined();
    const sources = await loadCampaignSources(store, 'c1');
    expect(sources.map((s) => [s.name, s.catalogKey])).toEqual([
      ['more.json', 'uploads/run-0/more.json'],
      ['skus.csv', 'uploads/run-2/skus.csv'],
    ]);
    expect(sources[1]).toEqual({
      schemaVersion: 1,
      campaignId: 'c1',
      name: 'skus.csv',
      catalogKey: 'uploads/run-2/skus.csv',
      recordedAt: '2026-01-02T00:00:00.000Z',
    });
    expect(await loadCampaignSources(store, 'other')).toEqual([]);
  });

  it("parses a source's catalog again, or answers undefined when it is gone or no longer parses", async () => {
    await store.putBytes('uploads/run-1/c.jsonl', '{"sku":"A-1","title":"Mug","price":{"amount":12,"currency":"USD"},"images":[]}\n');
    await store.putBytes('uploads/run-1/bad.json', '{');
    const source = (catalogKey: string) => ({ schemaVersion: 1 as const, campaignId: 'c1', name: 'x', catalogKey, recordedAt: 'now' });
    const parsed = await parseSourceCatalog(store, source('uploads/run-1/c.jsonl'));
    expect(parsed?.items.map(({ item }) => item.sku)).toEqual(['A-1']);
    expect(await parseSourceCatalog(store, source('uploads/run-1/bad.json'))).toBeUndefined();
    expect(await parseSourceCatalog(store, source('uploads/run-1/missing.csv'))).toBeUndefined();
  });
});
