import { describe, expect, it } from 'vitest';
import { parseCatalog } from '#domain/catalog/catalog-parser';
import { parseJsonLossless } from '#domain/catalog/lossless-json';
import { parseSecrets, shopifyHmac, verifyShopifyHmac } from '#triggers/shopify-hmac';
import { htmlToCopy, normalizeShopifyProduct, ShopifyProductPayload } from '#domain/catalog/shopify-product';
import { adStaleness } from '#domain/planning/staleness';
import { csvCell, reportCsv } from '#domain/catalog/validation-report';
import type { AdRecord } from '#domain/model/ad-record';
import { productBody } from './support.ts';

const BIG_ID = '788032119674292922'; // > 2^53: JSON.parse would round it to ...920

describe('Shopify HMAC', () => {
  const body = Buffer.from(productBody());
  it('accepts the signature of the raw body under either live secret, and nothing else', () => {
    expect(verifyShopifyHmac(body, shopifyHmac(body, 'new-secret'), ['new-secret', 'old-secret'])).toBe(true);
    expect(verifyShopifyHmac(body, shopifyHmac(body, 'old-secret'), ['new-secret', 'old-secret'])).toBe(true);
    expect(verifyShopifyHmac(body, shopifyHmac(body, 'other'), ['new-secret', 'old-secret'])).toBe(false);
    expect(verifyShopifyHmac(Buffer.concat([body, Buffer.from(' ')]), shopifyHmac(body, 'new-secret'), ['new-secret'])).toBe(false);
    expect(verifyShopifyHmac(body, undefined, ['new-secret'])).toBe(false);
    expect(verifyShopifyHmac(body, 'not-base64!', ['new-secret'])).toBe(false);
    expect(verifyShopifyHmac(body, shopifyHmac(body, 'x'), [])).toBe(false);
  });
  it('reads rotation secrets from comma lists and a second variable', () => {
    expect(parseSecrets('a, b', undefined, 'c')).toEqual(['a', 'b', 'c']);
  });
});

describe('lossless ids', () => {
  it('keeps a 64-bit id exact (JSON.parse would round it)', () => {
    const text = `{"id":${BIG_ID},"n":12,"f":1.5,"neg":-9007199254740993,"s":"${BIG_ID}9","arr":[9007199254740993]}`;
    expect(String((JSON.parse(text) as { id: number }).id)).not.toBe(BIG_ID);
    expect(parseJsonLossless(text)).toEqual({ id: BIG_ID, n: 12, f: 1.5, neg: '-9007199254740993', s: `${BIG_ID}9`, arr: ['9007199254740993'] });
    expect(parseJsonLossless('{"a":"x\\"9007199254740993"}')).toEqual({ a: 'x"9007199254740993' });
  });
  it('normalizes a product with its GID and a content hash that ignores inventory and timestamps', () => {
    const a = normalizeShopifyProduct(ShopifyProductPayload.parse(parseJsonLossless(productBody())), { shop: 'demo.myshopify.com', currency: 'USD' });
    const b = normalizeShopifyProduct(ShopifyProductPayload.parse(parseJsonLossless(productBody({ inventory: 0, updatedAt: '2026-03-02T00:00:00Z' }))), {
      shop: 'demo.myshopify.com',
      currency: 'USD',
    });
    const c = normalizeShopifyProduct(ShopifyProductPayload.parse(parseJsonLossless(productBody({ title: 'Trail Mug XL' }))), {
      shop: 'demo.myshopify.com',
      currency: 'USD',
    });
    expect(a).toMatchObject({ kind: 'product', gid: `gid://shopify/Product/${BIG_ID}`, updatedAt: '2026-03-01T15:00:00.000Z' });
    if (a.kind !== 'product' || b.kind !== 'product' || c.kind !== 'product') throw new Error('expected products');
    expect(a.item).toMatchObject({
      sku: 'trail-mug',
      title: 'Trail Mug',
      price: { amount: 24, currency: 'USD' },
      compareAtPrice: { amount: 30 },
      features: ['12 oz', 'Dishwasher safe'],
      description: 'Keeps coffee hot.',
    });
    expect(b.contentHash).toBe(a.contentHash);
    expect(c.contentHash).not.toBe(a.contentHash);
  });
  it('strips scripts and tags from body HTML', () => {
    expect(htmlToCopy('<script>alert(1)</script><b>Bold</b> &amp; <i>new</i>')).toEqual({ description: 'Bold & new', features: [] });
  });
});

const SHOPIFY_CSV = [
  'Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,Option1 Value,' +
    'Variant SKU,Variant Inventory Qty,Variant Price,Variant Compare At Price,Image Src,Image Position,Image Alt Text,Variant Image,Status',
  'trail-mug,Trail Mug,<p>Hot for hours</p>,Northwind,Kitchen > Mugs,Mugs,"outdoor, coffee",TRUE,Size,12 oz,MUG-12,5,24.00,30.00,mug-front.jpg,1,Front,,active',
  'trail-mug,,,,,,,,,16 oz,MUG-16,2,27.00,,mug-side.jpg,2,Side,,',
  'trail-mug,,,,,,,,,20 oz,MUG-20,1,abc,,,,,,',
  'draft-lamp,Desk Lamp,,Northwind,,Lamps,,FALSE,Title,Default,LAMP-1,3,40.00,,lamp.jpg,1,,,draft',
  'old-chair,Old Chair,,Northwind,,Chairs,,FALSE,Title,Default,CH-1,0,90.00,,lamp.jpg,1,,,archived',
  'no-price,Mystery Box,,Northwind,,Boxes,,TRUE,Title,Default,BOX-1,3,,,lamp.jpg,1,,,active',
  'no-image,Plain Tee,<ul><li>Cotton</li></ul>,Northwind,,Shirts,,TRUE,Size,M,TEE-M,3,15.00,,,,,,active',
  'no-image,,,,,,,,,L,TEE-L,3,14.00,18.00,,,,,',
  'short-row,Too Short',
].join('\n');

describe("Shopify's product CSV export", () => {
  it('groups rows per product, keeps variants and images, skips drafts and reports bad rows with their field', () => {
    const parsed = parseCatalog(SHOPIFY_CSV, 'csv');
    expect(parsed.items.map((i) => [i.row, i.item.sku])).toEqual([
      [2, 'trail-mug'],
      [8, 'no-image'],
    ]);
    expect(parsed.items[0].item).toMatchObject({
      title: 'Trail Mug',
      brand: 'Northwind',
      price: { amount: 24, currency: 'USD' },
      compareAtPrice: { amount: 30 },
      images: ['mug-front.jpg', 'mug-side.jpg'],
      tags: ['outdoor', 'coffee'],
      category: 'Kitchen > Mugs',
      description: 'Hot for hours',
    });
    expect(parsed.items[1].item).toMatchObject({ price: { amount: 14 }, compareAtPrice: { amount: 18 }, images: [], features: ['Cotton'] });
    const byRow = Object.fromEntries(parsed.rejected.map((r) => [r.row, r]));
    expect(byRow[4]).toMatchObject({ sku: 'trail-mug', field: 'Variant Price' });
    expect(byRow[5]).toMatchObject({ sku: 'draft-lamp', field: 'Status', reason: expect.stringMatching(/skipped: .*draft/) });
    expect(byRow[6]).toMatchObject({ sku: 'old-chair', field: 'Status', reason: expect.stringMatching(/archived/) });
    expect(byRow[7]).toMatchObject({ sku: 'no-price', field: 'Variant Price', reason: expect.stringMatching(/no variant/) });
    expect(byRow[10].reason).toMatch(/2 cells but the header has 19/);
    expect(parsed.rejected).toHaveLength(5);
  });
  it('keeps the simple adline CSV as it was', () => {
    const parsed = parseCatalog('sku,title,price,currency,images\nA-1,Mug,12.00,usd,a.jpg|b.jpg\n', 'csv');
    expect(parsed.items[0].item).toMatchObject({ sku: 'A-1', price: { amount: 12, currency: 'USD' }, images: ['a.jpg', 'b.jpg'] });
  });
});

describe('validation report CSV', () => {
  it('escapes cells that a spreadsheet would evaluate', () => {
    expect(['=1+1', '+SUM(A1)', '-2', '@cmd', '\tx', '\rx', 'plain', 'a,b', 'say "hi"'].map(csvCell)).toEqual([
      `"'=1+1"`,
      `"'+SUM(A1)"`,
      `"'-2"`,
      `"'@cmd"`,
      `"'\tx"`,
      `"'\rx"`,
      'plain',
      '"a,b"',
      '"say ""hi"""',
    ]);
    expect(reportCsv([{ row: 3, sku: '=HYPERLINK("x")', field: 'Title', reason: 'bad' }])).toBe(`row,sku,field,reason\r\n3,"'=HYPERLINK(""x"")",Title,bad\r\n`);
  });
});

describe('staleness', () => {
  const ad = (over: Partial<AdRecord>): AdRecord => ({
    schemaVersion: 1,
    campaignId: 'c',
    sku: 's',
    templateId: 't',
    channel: 'ch',
    status: 'published',
    inputHash: 'h1',
    outputs: {},
    runId: 'r',
    version: 1,
    attempts: 1,
    timings: {},
    updatedAt: '2026-01-01T00:00:00Z',
    publishedAt: '2026-01-01T00:00:00Z',
    ...over,
  });
  const now = new Date('2026-01-20T00:00:00Z');
  it('renders new, failed and changed ads; ages out old ones with the next generation', () => {
    expect(adStaleness(undefined, 'h1', now, 30)).toEqual({ stale: true, reason: 'new', generation: 0 });
    expect(adStaleness(ad({ status: 'failed' }), 'h1', now, 30)).toMatchObject({ stale: true, reason: 'not-published' });
    expect(adStaleness(ad({}), 'h2', now, 30)).toMatchObject({ stale: true, reason: 'inputs-changed', generation: 0 });
    expect(adStaleness(ad({}), 'h1', now, 30)).toEqual({ stale: false });
    expect(adStaleness(ad({}), 'h1', now)).toEqual({ stale: false });
    expect(adStaleness(ad({ generation: 2 }), 'h1', now, 7)).toEqual({ stale: true, reason: 'too-old', generation: 3 });
  });
});
