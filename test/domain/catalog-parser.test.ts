import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CatalogFormatError, catalogFormatOf, parseCatalog } from '#domain/catalog/catalog-parser';

describe('parseCatalog', () => {
  it('reads the example JSON and CSV catalogs into the same products', () => {
    const json = parseCatalog(readFileSync('examples/catalog.json', 'utf8'), 'json');
    const csv = parseCatalog(readFileSync('examples/catalog.csv', 'utf8'), 'csv');
    expect(json.rejected).toEqual([]);
    expect(csv.rejected).toEqual([]);
    expect(csv.items.map((i) => i.item.sku)).toEqual(json.items.map((i) => i.item.sku));
    expect(csv.items[0].item.images).toEqual(json.items[0].item.images);
    expect(csv.items[0].item.compareAtPrice).toEqual({ amount: 24, currency: 'USD' });
  });

  it('rejects bad rows with their row number and reason, and keeps the good ones', () => {
    const csv = [
      'sku,title,price,currency,images',
      'A-1,Good,10.00,USD,a.jpg',
      'B-2,Bad price,ten,USD,b.jpg',
      ',No sku,5,USD,',
      'A-1,Duplicate,10.00,USD,',
      'C-3,Bad currency,3.00,dollars,',
    ].join('\n');
    const { items, rejected } = parseCatalog(csv, 'csv');
    expect(items.map((i) => i.item.sku)).toEqual(['A-1']);
    expect(rejected.map((r) => r.row)).toEqual([3, 4, 5, 6]);
    expect(rejected[0].reason).toMatch(/price/);
    expect(rejected[2].reason).toMatch(/duplicate sku/);
    expect(rejected[3].reason).toMatch(/currency/);
  });

  it('reports JSONL lines that are not JSON and fails whole files that are not catalogs', () => {
    const { items, rejected } = parseCatalog('{"sku":"A","title":"T","price":{"amount":1,"currency":"EUR"}}\n{oops\n', 'jsonl');
    expect(items).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ row: 2 });
    expect(() => parseCatalog('{"not":"a list"}', 'json')).toThrow(CatalogFormatError);
    expect(() => catalogFormatOf('products.xlsx')).toThrow(/\.json, \.jsonl or \.csv/);
  });
  it('reads a semicolon-separated CSV with decimal commas, and keeps a comma CSV strict about them', () => {
    const semi = parseCatalog('sku;title;price;currency;compare_at_price\nS-1;Mug;12,50;EUR;15,00\n', 'csv');
    expect(semi.rejected).toEqual([]);
    expect(semi.items[0]!.item).toMatchObject({ price: { amount: 12.5, currency: 'EUR' }, compareAtPrice: { amount: 15, currency: 'EUR' } });
    const comma = parseCatalog('sku,title,price,currency\nC-1,Mug,"12,50",EUR\n', 'csv');
    expect(comma.rejected[0]).toMatchObject({
      row: 2,
      sku: 'C-1',
      reason: expect.stringMatching(/price: expected a non-negative decimal like 24.00, got "12,50"/),
    });
  });
});
