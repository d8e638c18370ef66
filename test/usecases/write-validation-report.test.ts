import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FsAssetStore } from '#adapters/local/fs-asset-store';
import { writeValidationReport } from '#usecases/write-validation-report';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('writeValidationReport', () => {
  it('writes the JSON and CSV report beside the catalog, rows in row order, and returns their keys', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'adline-report-'));
    dirs.push(dir);
    const store = new FsAssetStore(dir);
    const keys = await writeValidationReport(store, 'uploads/run-1/skus.csv', {
      accepted: 3,
      rows: [
        { row: 7, sku: 'B', field: 'price', reason: 'not a number' },
        { row: 2, reason: '=HYPERLINK("x")' },
      ],
      createdAt: '2026-12-01T00:00:00.000Z',
      notices: [{ sku: 'C', field: 'title', script: 'Tibetan', count: 2, sample: 'ཀཁ', action: 'left out' }],
    });
    expect(keys).toEqual({ json: 'uploads/run-1/skus.csv.report.json', csv: 'uploads/run-1/skus.csv.report.csv' });
    const json = JSON.parse((await store.getBytes(keys.json)).toString('utf8'));
    expect(json).toMatchObject({ catalog: 'uploads/run-1/skus.csv', accepted: 3, refused: 2, createdAt: '2026-12-01T00:00:00.000Z' });
    expect(json.rows.map((r: { row: number }) => r.row)).toEqual([2, 7]);
    expect(json.textNotices).toHaveLength(1);
    const csv = (await store.getBytes(keys.csv)).toString('utf8').split('\r\n');
    expect(csv[0]).toBe('row,sku,field,reason');
    expect(csv[1]).toBe(`2,,,"'=HYPERLINK(""x"")"`);
    expect(csv[3]).toMatch(/^,C,title,"2 Tibetan character/);
  });

  it('a report without notices has no textNotices field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'adline-report-'));
    dirs.push(dir);
    const store = new FsAssetStore(dir);
    const keys = await writeValidationReport(store, 'c.json', { accepted: 0, rows: [{ row: 0, reason: 'not valid JSON' }], createdAt: 'now' });
    expect(JSON.parse((await store.getBytes(keys.json)).toString('utf8'))).not.toHaveProperty('textNotices');
  });
});
