import { deflateSync, crc32 } from 'node:zlib';
import { MEDIA_ENGINE } from '#media/media-engine';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsAssetStore } from '#adapters/local/fs-asset-store';
import { Campaign } from '#domain/model/campaign';
import { CATALOG_LIMITS, parseCatalog, type CatalogFormat, type ParsedCatalog } from '#domain/catalog/catalog-parser';
import { parseTemplateFile } from '#domain/planning/template-catalog';
import { decodeUtf8 } from '#domain/catalog/utf8';
import { ingestProduct } from '#usecases/ingest-product';
import { ingestUpload } from '#triggers/ingest-upload';
import { loadCampaign } from '#usecases/load-documents';
import { openLocalHost } from '../../local/local-host.ts';
import { followRun, uploadRunInput } from '../../local/local-run.ts';
import { productPhoto } from '../support/catalog-fixture.ts';
import { tinyChannel } from '../support/tiny-channels.ts';

/** Every case tried, for the figure in docs/reliability.md (printed at the end). */
const tried: string[] = [];

const HEADER = 'sku,title,description,price,currency,compare_at_price,brand,images,features,tags,category,url';
const csvRow = (sku: string, over: Partial<Record<'title' | 'description' | 'price' | 'currency', string>> = {}) =>
  `${sku},${over.title ?? 'Good Mug'},${over.description ?? 'A mug'},${over.price ?? '12.00'},${over.currency ?? 'USD'},,Brand,a.jpg,,,,`;
const jsonItem = (sku: string, over: Record<string, unknown> = {}) => ({
  sku,
  title: 'Good Mug',
  price: { amount: 12, currency: 'USD' },
  images: ['a.jpg'],
  ...over,
});

/** Parses a catalog from raw bytes the way an upload is read: strict UTF-8 first, then the format's parser. */
function parseUpload(bytes: Uint8Array | string, format: CatalogFormat): ParsedCatalog {
  const text = typeof bytes === 'string' ? bytes : decodeUtf8(bytes, 'Catalog');
  return parseCatalog(text, format);
}

type CatalogExpect = { fileError: RegExp } | { rejected: Record<string, RegExp>; accepted: string[] };

interface CatalogCase {
  name: string;
  format: CatalogFormat;
  input: () => Uint8Array | string;
  expect: CatalogExpect;
}

const CATALOG_CASES: CatalogCase[] = [
  { name: 'empty JSON file', format: 'json', input: () => '', expect: { fileError: /not valid JSON/ } },
  { name: 'JSON that is not a list of products', format: 'json', input: () => '{"items": []}', expect: { fileError: /array of products/ } },
  { name: 'CSV with a UTF-8 BOM', format: 'csv', input: () => `\uFEFF${HEADER}\n${csvRow('BOM-1')}\n`, expect: { rejected: {}, accepted: ['BOM-1'] } },
  { name: 'JSON with a UTF-8 BOM', format: 'json', input: () => `\uFEFF${JSON.stringify([jsonItem('BOM-2')])}`, expect: { rejected: {}, accepted: ['BOM-2'] } },
  {
    name: 'invalid UTF-8 (Latin-1 bytes)',
    format: 'csv',
    input: () => Buffer.concat([Buffer.from(`${HEADER}\nLAT-1,Caf`), Buffer.from([0xe9]), Buffer.from(' Mug,,12.00,USD,,,a.jpg,,,,\n')]),
    expect: { fileError: /not valid UTF-8 \(first bad byte at offset \d+\)/ },
  },
  { name: 'rows over the limit', format: 'jsonl', input: () => '{}\n'.repeat(CATALOG_LIMITS.maxRows + 1), expect: { fileError: /rows; the limit is/ } },
  { name: 'file over the byte limit', format: 'jsonl', input: () => ' '.repeat(CATALOG_LIMITS.maxBytes + 1), expect: { fileError: /larger than/ } },
  {
    name: 'a huge cell (70 KB description)',
    format: 'csv',
    input: () => `${HEADER}\n${csvRow('HUGE-1', { description: 'x'.repeat(70_000) })}\n${csvRow('OK-1')}\n`,
    expect: { rejected: { 'HUGE-1': /description: 70000 characters/ }, accepted: ['OK-1'] },
  },
  { name: 'CSV with only a header row', format: 'csv', input: () => `${HEADER}\n`, expect: { fileError: /no products \(no rows below the header\)/ } },
  { name: 'an empty JSON list', format: 'json', input: () => '[]', expect: { fileError: /no products \(an empty list\)/ } },
  {
    name: 'CSV without a sku column',
    format: 'csv',
    input: () => `name,cost\nMug,12.00\n`,
    expect: { fileError: /no "sku" column \(its header reads: "name", "cost"\)/ },
  },
  {
    name: 'semicolon-separated CSV with decimal commas',
    format: 'csv',
    input: () => `${HEADER.replaceAll(',', ';')}\nSEMI-1;Good Mug;A mug;12,50;EUR;;Brand;a.jpg;;;;\n`,
    expect: { rejected: {}, accepted: ['SEMI-1'] },
  },
  {
    name: 'tab-separated CSV',
    format: 'csv',
    input: () => `${HEADER.replaceAll(',', '\t')}\n${csvRow('TAB-1').replaceAll(',', '\t')}\n`,
    expect: { rejected: {}, accepted: ['TAB-1'] },
  },
  {
    name: 'negative price',
    format: 'csv',
    input: () => `${HEADER}\n${csvRow('NEG-1', { price: '-5.00' })}\n${csvRow('OK-1')}\n`,
    expect: { rejected: { 'NEG-1': /price/ }, accepted: ['OK-1'] },
  },
  {
    name: 'NaN price',
    format: 'csv',
    input: () => `${HEADER}\n${csvRow('NAN-1', { price: 'NaN' })}\n${csvRow('OK-1')}\n`,
    expect: { rejected: { 'NAN-1': /price/ }, accepted: ['OK-1'] },
  },
  {
    name: 'text price',
    format: 'csv',
    input: () => `${HEADER}\n${csvRow('TXT-1', { price: 'twelve' })}\n${csvRow('OK-1')}\n`,
    expect: { rejected: { 'TXT-1': /price/ }, accepted: ['OK-1'] },
  },
  {
    name: 'JSON price as a string "NaN"',
    format: 'json',
    input: () => JSON.stringify([jsonItem('NAN-2', { price: { amount: 'NaN', currency: 'USD' } }), jsonItem('OK-2')]),
    expect: { rejected: { 'NAN-2': /price/ }, accepted: ['OK-2'] },
  },
  {
    name: 'JSON price 1e400 (Infinity)',
    format: 'json',
    input: () => `[${JSON.stringify(jsonItem('INF-1')).replace('"amount":12', '"amount":1e400')},${JSON.stringify(jsonItem('OK-2'))}]`,
    expect: { rejected: { 'INF-1': /price/ }, accepted: ['OK-2'] },
  },
  {
    name: 'negative JSON price',
    format: 'json',
    input: () => JSON.stringify([jsonItem('NEG-2', { price: { amount: -1, currency: 'USD' } }), jsonItem('OK-2')]),
    expect: { rejected: { 'NEG-2': /price/ }, accepted: ['OK-2'] },
  },
  {
    name: 'unknown currency XYZ',
    format: 'csv',
    input: () => `${HEADER}\n${csvRow('CUR-1', { currency: 'XYZ' })}\n${csvRow('OK-1')}\n`,
    expect: { rejected: { 'CUR-1': /ISO 4217/ }, accepted: ['OK-1'] },
  },
  {
    name: 'currency that is not three letters',
    format: 'json',
    input: () => JSON.stringify([jsonItem('CUR-2', { price: { amount: 3, currency: 'DOLLARS' } }), jsonItem('OK-2')]),
    expect: { rejected: { 'CUR-2': /ISO 4217/ }, accepted: ['OK-2'] },
  },
  {
    name: 'a 2,000-character title',
    format: 'json',
    input: () => JSON.stringify([jsonItem('LONG-1', { title: 'T'.repeat(2000) }), jsonItem('OK-2')]),
    expect: { rejected: { 'LONG-1': /title/ }, accepted: ['OK-2'] },
  },
  {
    name: 'a title of zero-width characters only',
    format: 'json',
    input: () => JSON.stringify([jsonItem('ZW-1', { title: '\u200B\u200C\u200D\uFEFF' }), jsonItem('OK-2')]),
    expect: { rejected: { 'ZW-1': /title.*visible/ }, accepted: ['OK-2'] },
  },
  {
    name: 'a zero-width character inside the SKU',
    format: 'json',
    input: () => JSON.stringify([jsonItem('ZW\u200B-2'), jsonItem('OK-2')]),
    expect: { rejected: { 'ZW\u200B-2': /sku/ }, accepted: ['OK-2'] },
  },
  {
    name: 'duplicate SKUs',
    format: 'json',
    input: () => JSON.stringify([jsonItem('DUP-1'), jsonItem('DUP-1', { title: 'Second' })]),
    expect: { rejected: { 'DUP-1': /duplicate sku/ }, accepted: ['DUP-1'] },
  },
  {
    name: 'a SKU that is a path (../../etc)',
    format: 'json',
    input: () => JSON.stringify([jsonItem('../../etc'), jsonItem('OK-2')]),
    expect: { rejected: { '../../etc': /sku/ }, accepted: ['OK-2'] },
  },
  {
    name: 'JSONL with one broken line',
    format: 'jsonl',
    input: () => `${JSON.stringify(jsonItem('OK-3'))}\n{"sku": "BROKEN-1", \n`,
    expect: { rejected: {}, accepted: ['OK-3'] },
  },
  {
    name: 'too many images (11)',
    format: 'json',
    input: () => JSON.stringify([jsonItem('IMG-11', { images: Array.from({ length: 11 }, (_, i) => `${i}.jpg`) }), jsonItem('OK-2')]),
    expect: { rejected: { 'IMG-11': /images/ }, accepted: ['OK-2'] },
  },
  {
    name: '__proto__ keys in a product',
    format: 'json',
    input: () => `[{"sku":"PROTO-1","title":"Mug","price":{"amount":1,"currency":"USD"},"__proto__":{"polluted":true}}]`,
    expect: { rejected: {}, accepted: ['PROTO-1'] },
  },
];

describe('hostile and broken input: every case ends in a clear error for its item, the rest goes on', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-hostile-'));
  });
  afterAll(async () => {
    console.log(`hostile-input corpus: ${tried.length} cases tried\n${tried.map((c) => `  - ${c}`).join('\n')}`);
    await rm(root, { recursive: true, force: true });
  });

  it.each(CATALOG_CASES)('catalog: $name', ({ name, format, input, expect: want }) => {
    tried.push(`catalog: ${name}`);
    if ('fileError' in want) {
      expect(() => parseUpload(input(), format)).toThrow(want.fileError);
      return;
    }
    const parsed = parseUpload(input(), format);
    expect(parsed.items.map((i) => i.item.sku)).toEqual(want.accepted);
    for (const [sku, reason] of Object.entries(want.rejected)) {
      const rejection = parsed.rejected.find((r) => r.sku === sku || (r.reason.includes('sku') && sku.includes('..')));
      expect(rejection, `${sku} should be rejected`).toBeDefined();
      expect(rejection!.reason).toMatch(reason);
      expect(rejection!.row).toBeGreaterThan(0);
    }
    if (name.startsWith('JSONL')) expect(parsed.rejected[0].reason).toMatch(/not valid JSON/);
  });

  it('an upload in Latin-1 is refused with a report saying so, and starts nothing', async () => {
    tried.push('upload: invalid UTF-8 through the upload trigger (report, no run)');
    const store = new FsAssetStore(join(root, 'upload-store'));
    await store.putBytes(
      'uploads/r9/skus.csv',
      Buffer.concat([Buffer.from(`${HEADER}\nLAT-1,Caf`), Buffer.from([0xe9]), Buffer.from(',,12.00,USD,,,a.jpg,,,,\n')]),
    );
    const started: string[] = [];
    const starter = {
      start: async (_input: unknown, name: string) => {
        started.push(name);
        return { executionId: name, started: true };
      },
    };
    const outcome = await ingestUpload({ store, tracker: undefined as never, starter, now: () => new Date() } as never, {
      runId: 'r9',
      uploadKey: 'uploads/r9/skus.csv',
      campaignKey: 'campaigns/x.json',
    });
    expect(outcome).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/not valid UTF-8/) });
    expect(started).toEqual([]);
  });

  it('catalog: RTL text is kept, bidi override controls are dropped', () => {
    tried.push('catalog: RTL title with a right-to-left override control');
    const parsed = parseUpload(JSON.stringify([jsonItem('RTL-1', { title: '\u202Eكوب قهوة\u202C' })]), 'json');
    expect(parsed.items[0].item.title).toBe('كوب قهوة');
  });

  describe('images', () => {
    const secret = 'TOP-SECRET-XXE-CONTENT';
    const IMAGE_CASES: Array<{ name: string; file: string; bytes: () => Promise<Buffer> | Buffer; error: RegExp }> = [
      { name: '0-byte image', file: 'zero.jpg', bytes: () => Buffer.alloc(0), error: /empty \(0 bytes\)/ },
      { name: 'non-image (text named .jpg)', file: 'text.jpg', bytes: () => Buffer.from('hello, I am not a photo\n'), error: /not a readable image|JPEG, PNG/ },
      {
        name: 'decompression bomb (PNG header claiming 60000×60000)',
        file: 'bomb.png',
        bytes: () => pngHeaderOnly(60_000, 60_000),
        error: /pixel|limit|scale it down/i,
      },
      {
        name: 'SVG with an external entity',
        file: 'xxe.svg',
        bytes: () =>
          Buffer.from(
            `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file://${join(root, 'secret.txt')}">]>` +
              `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><text y="50">&x;</text></svg>`,
          ),
        error: /svg|not a readable image/i,
      },
      {
        name: 'PDF renamed .png',
        file: 'doc.png',
        bytes: () => Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
        error: /not a readable image|JPEG, PNG/,
      },
      { name: 'image path outside the catalog folder', file: '../../../etc/passwd', bytes: () => Buffer.alloc(0), error: /outside the catalog's folder/ },
      { name: 'image that does not exist', file: 'missing.jpg', bytes: () => Buffer.alloc(0), error: /not found next to the catalog/ },
    ];

    it.each(IMAGE_CASES)('image: $name', async ({ name, file, bytes, error }) => {
      tried.push(`image: ${name}`);
      await writeFile(join(root, 'secret.txt'), secret);
      const store = new FsAssetStore(join(root, 'store'));
      if (!file.startsWith('..') && file !== 'missing.jpg') await store.putBytes(`uploads/r1/${file}`, await bytes());
      const item = { sku: 'IMG-1', title: 'Mug', description: '', features: [], tags: [], price: { amount: 1, currency: 'USD' }, images: [file] };
      const attempt = ingestProduct({ store, media: MEDIA_ENGINE }, item as never, 'uploads/r1/catalog.json', 'json');
      await expect(attempt).rejects.toThrow(error);
      await expect(attempt.catch((e: Error) => e.message)).resolves.not.toContain(secret);
    });
  });

  describe('campaign files', () => {
    const good = {
      schemaVersion: 1,
      id: 'c1',
      name: 'C',
      brand: { name: 'B', colors: { primary: '#203040', secondary: '#6080a0', text: '#101010', accent: '#ffcc33' } },
      templates: ['product-hero'],
      channels: ['tiktok'],
      locale: 'en-US',
      cta: 'Buy now',
    };
    const CAMPAIGN_CASES: Array<{ name: string; text: string; error: RegExp }> = [
      { name: 'empty campaign file', text: '', error: /not valid JSON/ },
      { name: 'campaign that is not JSON', text: 'id: c1\nname: C\n', error: /not valid JSON/ },
      {
        name: 'campaign colour that is not a colour',
        text: JSON.stringify({ ...good, brand: { ...good.brand, colors: { ...good.brand.colors, primary: 'red;} body{x' } } }),
        error: /colour like #1a2b3c/,
      },
      { name: 'campaign CTA of 500 characters', text: JSON.stringify({ ...good, cta: 'Buy '.repeat(125) }), error: /cta/ },
      { name: 'campaign without templates', text: JSON.stringify({ ...good, templates: undefined }), error: /templates/ },
    ];
    it.each(CAMPAIGN_CASES)('campaign: $name', async ({ name, text, error }) => {
      tried.push(`campaign: ${name}`);
      const store = new FsAssetStore(join(root, 'store'));
      await store.putBytes('campaigns/bad.json', text);
      await expect(loadCampaign(store, 'campaigns/bad.json')).rejects.toThrow(error);
      expect(Campaign.safeParse(good).success).toBe(true);
    });
  });

  describe('templates', () => {
    const TEMPLATE_CASES: Array<{ name: string; file: string; text: string; error: RegExp }> = [
      { name: 'template that is not JSON', file: 'broken.json', text: '{"id": "broken",', error: /broken\.json is invalid: not valid JSON/ },
      { name: 'template whose id differs from its file name', file: 'other.json', text: 'TEMPLATE:product-hero', error: /expected "other"/ },
      { name: 'template with no shots', file: 'product-hero.json', text: 'TEMPLATE:shots=[]', error: /shots/ },
      { name: 'template with an unknown camera move', file: 'product-hero.json', text: 'TEMPLATE:camera=warp-drive', error: /camera/ },
    ];
    it.each(TEMPLATE_CASES)('template: $name', async ({ name, file, text, error }) => {
      tried.push(`template: ${name}`);
      const real = JSON.parse(await readFile(join(import.meta.dirname, '../../templates/product-hero.json'), 'utf8'));
      let body = text;
      if (text === 'TEMPLATE:product-hero') body = JSON.stringify(real);
      if (text === 'TEMPLATE:shots=[]') body = JSON.stringify({ ...real, shots: [] });
      if (text === 'TEMPLATE:camera=warp-drive') body = JSON.stringify({ ...real, shots: real.shots.map((s: object) => ({ ...s, camera: 'warp-drive' })) });
      expect(() => parseTemplateFile(file, body)).toThrow(error);
    });
  });

  it('one workflow run with bad items mixed in: each bad item gets its reason, the good ones are published', async () => {
    const channel = tinyChannel('tiktok', 180, 320, 2);
    const dir = join(root, 'mixed');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'a.jpg'), await productPhoto('#2255cc', 240));
    await writeFile(join(dir, 'zero.jpg'), Buffer.alloc(0));
    await writeFile(join(dir, 'bomb.png'), pngHeaderOnly(60_000, 60_000));
    await writeFile(join(dir, 'note.jpg'), 'not an image');
    await writeFile(join(dir, 'x.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    const whole = await productPhoto('#aa2222', 300);
    await writeFile(join(dir, 'truncated.jpg'), whole.subarray(0, Math.floor(whole.length / 3)));
    const products = [
      jsonItem('OK-PLAIN'),
      jsonItem('OK-HTML', {
        description: '<script>alert(1)</script><p>Keeps <b>coffee</b> hot</p><ul><li>Steel</li><li><img src=x onerror=alert(2)>Lid</li></ul>',
      }),
      jsonItem('OK-RTL', { title: '\u202Eكوب قهوة\u202C' }),
      jsonItem('BAD-CURRENCY', { price: { amount: 5, currency: 'XYZ' } }),
      jsonItem('BAD-TITLE', { title: 'T'.repeat(2000) }),
      jsonItem('BAD-ZERO', { images: ['zero.jpg'] }),
      jsonItem('BAD-BOMB', { images: ['bomb.png'] }),
      jsonItem('BAD-NOTIMG', { images: ['note.jpg'] }),
      jsonItem('BAD-SVG', { images: ['x.svg'] }),
      jsonItem('BAD-TRAVERSAL', { images: ['../../../../etc/hosts'] }),
      jsonItem('OK-PLAIN', { title: 'Duplicate' }),
      jsonItem('BAD-TRUNCATED', { images: ['truncated.jpg'] }),
    ];
    await writeFile(join(dir, 'catalog.json'), JSON.stringify(products));
    await writeFile(
      join(dir, 'campaign.json'),
      JSON.stringify({
        schemaVersion: 1,
        id: 'hostile',
        name: 'H',
        brand: { name: 'B', colors: { primary: '#203040', secondary: '#6080a0', text: '#101010', accent: '#ffcc33' } },
        templates: ['product-hero'],
        channels: [channel.id],
        locale: 'en-US',
        cta: 'Buy now',
      }),
    );
    tried.push('workflow: 12 products, 9 bad (currency, title, 0-byte, bomb, non-image, SVG, traversal, duplicate, truncated photo)');

    const host = await openLocalHost({ outDir: join(root, 'mixed-out'), stateDir: join(root, 'mixed-state'), extraChannels: [channel] });
    try {
      const input = await uploadRunInput(host, { catalogPath: join(dir, 'catalog.json'), campaignPath: join(dir, 'campaign.json'), runId: 'run-hostile' });
      const { executionId } = await host.start(input, 'run-hostile');
      const summary = await followRun(host, executionId);
      const reasons = Object.fromEntries(summary.rejections.map((r) => [r.sku ?? `row ${r.row}`, r.reason]));
      expect(reasons['BAD-CURRENCY']).toMatch(/ISO 4217/);
      expect(reasons['BAD-TITLE']).toMatch(/title/);
      expect(reasons['BAD-ZERO']).toMatch(/0 bytes/);
      expect(reasons['BAD-BOMB']).toMatch(/pixel|limit/i);
      expect(reasons['BAD-NOTIMG']).toMatch(/not a readable image/);
      expect(reasons['BAD-SVG']).toMatch(/svg/i);
      expect(reasons['BAD-TRAVERSAL']).toMatch(/outside the catalog/);
      expect(reasons['OK-PLAIN']).toMatch(/duplicate sku/);
      expect(summary.failures.map((f) => f.sku)).toEqual(['BAD-TRUNCATED']);
      expect(summary.failures[0].reason.length).toBeGreaterThan(10);
      const ads = await host.deps.tracker.listAds({ runId: 'run-hostile' });
      expect(
        ads
          .filter((a) => a.status === 'published')
          .map((a) => a.sku)
          .sort(),
      ).toEqual(['OK-HTML', 'OK-PLAIN', 'OK-RTL']);
      // The failure is recorded on the ad row, with its reason, not only in the summary.
      expect(ads.find((a) => a.sku === 'BAD-TRUNCATED')).toMatchObject({ status: 'failed', reason: expect.stringMatching(/\w/) });
      // No markup from the description reaches what the ad shows.
      const html = ads.find((a) => a.sku === 'OK-HTML')!;
      const storyboard = await readFile(join(root, 'mixed-out', `storyboards/${html.storyboardHash}.json`), 'utf8');
      expect(storyboard).not.toMatch(/<script|<b>|onerror|<img/);
    } finally {
      await host.close();
    }
  });
});

/** A PNG that is only a signature and an IHDR: tiny on disk, enormous if decoded (what a decompression bomb looks like to a header reader). */
function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body) >>> 0, 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const idat = deflateSync(Buffer.alloc(1 + width * 3)); // one row of real pixel data; the rest is promised, not present
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
