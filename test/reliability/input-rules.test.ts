import { createServer, request as httpRequest, type Server } from 'node:http';
import { MEDIA_ENGINE } from '#media/media-engine';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsAssetStore } from '#adapters/local/fs-asset-store';
import type { AssetStore } from '#ports/asset-store';
import { BlockedAddressError, GuardedImageFetcher, type Resolver } from '#adapters/http/image-fetcher';
import { parseCatalog } from '#domain/catalog/catalog-parser';
import { photoProblem, priceProblem } from '#domain/catalog/input-rules';
import { classifyAddress } from '#adapters/http/ip-policy';
import { CatalogItem } from '#domain/model/product';
import { ingestProduct } from '#usecases/ingest-product';

const item = (over: Record<string, unknown>) => ({ sku: 'R-1', title: 'Trail Mug', price: { amount: 24, currency: 'USD' }, ...over });
const reasonOf = (value: unknown) => {
  const parsed = CatalogItem.safeParse(value);
  return parsed.success ? undefined : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
};

/** DW5: inputs that would publish a broken ad are refused, each with the reason the report shows. */
describe('DW5: input rules with reasons', () => {
  it('prices: finite, above zero, within the currency cap (1e308 is refused, 400,000 JPY is not)', () => {
    expect(reasonOf(item({ price: { amount: 1e308, currency: 'USD' } }))).toMatch(/price\.amount: .*above the 1,000,000 USD cap/);
    expect(reasonOf(item({ price: { amount: 0, currency: 'USD' } }))).toMatch(/above zero/);
    expect(reasonOf(item({ compareAtPrice: { amount: 1e308, currency: 'USD' } }))).toMatch(/compareAtPrice\.amount/);
    expect(reasonOf(item({ price: { amount: 400_000, currency: 'JPY' } }))).toBeUndefined();
    expect(reasonOf(item({ price: { amount: 5_000_000, currency: 'IDR' } }))).toBeUndefined();
    expect(priceProblem(Number.POSITIVE_INFINITY, 'EUR')).toMatch(/finite/);
    // A CSV cell of 1 and 308 zeros is a "decimal" by shape; the rule refuses it on its row.
    const csv = `sku,title,price,currency\nOK-1,Mug,24.00,USD\nHUGE-1,Mug,1${'0'.repeat(308)},USD\n`;
    const parsed = parseCatalog(csv, 'csv');
    expect(parsed.items.map((i) => i.item.sku)).toEqual(['OK-1']);
    expect(parsed.rejected[0]).toMatchObject({ row: 3, sku: 'HUGE-1' });
    expect(parsed.rejected[0].reason).toMatch(/cap/);
  });

  it.each([
    ['U+3164 Hangul filler', '\u3164\u3164\u3164'],
    ['U+2800 blank Braille', '\u2800\u2800'],
    ['tag characters', '\u{E0054}\u{E0045}\u{E0053}\u{E0054}'],
    ['zero-width and format characters', '\u200B\u200D\u2060\uFEFF\u00AD'],
    ['Hangul fillers U+115F, U+1160, U+FFA0', '\u115F\u1160\uFFA0'],
    ['combining marks alone', '\u0301\u0308'],
  ])('a title of only %s is refused', (_name, title) => {
    expect(reasonOf(item({ title }))).toMatch(/title: has no visible characters/);
  });

  it('titles with visible characters pass, in any script', () => {
    for (const title of ['Trail Mug', '머그컵', '保温杯', 'كوب', '☕ Mug', 'Mug\u3164X']) expect(reasonOf(item({ title })), title).toBeUndefined();
  });

  it('photos: 1×1, 20000×10 and 10×20000 are refused at ingest with their size; 400×300 is taken', async () => {
    expect(photoProblem(1, 1)).toMatch(/1×1 px.*at least 100 px/);
    expect(photoProblem(20000, 10)).toMatch(/at least 100 px/);
    expect(photoProblem(2000, 100)).toMatch(/20\.0:1.*at most 5:1/);
    const root = await mkdtemp(join(tmpdir(), 'adline-photos-'));
    try {
      const store: AssetStore = new FsAssetStore(root);
      const png = (width: number, height: number) =>
        sharp({ create: { width, height, channels: 3, background: '#a53' } })
          .png()
          .toBuffer();
      for (const [w, h] of [
        [1, 1],
        [20000, 10],
        [10, 20000],
        [1000, 120],
      ]) {
        await store.putBytes(`cat/p-${w}x${h}.png`, await png(w, h), 'image/png');
        const error = await ingestProduct(
          { store, media: MEDIA_ENGINE },
          CatalogItem.parse(item({ images: [`p-${w}x${h}.png`] })),
          'cat/catalog.json',
          'json',
        ).catch((e: unknown) => e);
        expect(error, `${w}×${h}`).toMatchObject({ code: 'IMAGE_SOURCE' });
        expect((error as Error).message).toContain(`${w}×${h} px`);
      }
      await store.putBytes('cat/ok.png', await png(400, 300), 'image/png');
      const product = await ingestProduct({ store, media: MEDIA_ENGINE }, CatalogItem.parse(item({ images: ['ok.png'] })), 'cat/catalog.json', 'json');
      expect(product.images).toHaveLength(1);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

/** Every IPv6 form that embeds an IPv4 address is judged by that IPv4 (ipaddr.js parses them all). */
const EMBEDDED: Array<[address: string, kind: string]> = [
  ['::127.0.0.1', 'loopback'],
  ['::7f00:1', 'loopback'],
  ['::169.254.169.254', 'metadata'],
  ['::a9fe:a9fe', 'metadata'],
  ['::ffff:0:7f00:1', 'loopback'],
  ['::ffff:0:169.254.169.254', 'metadata'],
  ['::ffff:10.0.0.1', 'private'],
  ['::ffff:a00:1', 'private'],
  ['64:ff9b::127.0.0.1', 'loopback'],
  ['64:ff9b::a9fe:a9fe', 'metadata'],
  ['64:ff9b:1::10.1.2.3', 'private'],
  ['2002:7f00:1::1', 'loopback'],
  ['2002:a9fe:a9fe::', 'metadata'],
  ['2002:c0a8:101::1', 'private'],
  ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'loopback'], // Teredo: client 127.0.0.1 (obfuscated)
  ['fe80::5efe:10.0.0.1', 'private'],
  ['::ffff:0.0.0.0', 'unspecified'],
];

describe('DW5: SSRF forms, on the guard (ipaddr.js)', () => {
  it.each(EMBEDDED)('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
    expect(classifyAddress(`[${address}]`)).toBe(kind);
  });

  it('translation forms of a public IPv4 stay public; the IPv6 ranges themselves still count', () => {
    expect(classifyAddress('64:ff9b::8.8.8.8')).toBe('public');
    expect(classifyAddress('2002:808:808::1')).toBe('public');
    expect(classifyAddress('::ffff:8.8.8.8')).toBe('public');
    expect(classifyAddress('2001:db8::1')).toBe('reserved');
    expect(classifyAddress('fec0::1')).toBe('reserved');
    expect(classifyAddress('100::1')).toBe('reserved');
    expect(classifyAddress('0x7f000001')).toBe('loopback');
    expect(classifyAddress('2130706433')).toBe('loopback');
  });
});

describe('DW5: SSRF forms, through the fetcher (fake resolver, redirects)', () => {
  const names = Object.fromEntries(EMBEDDED.map(([address], i) => [`aaaa-${i}.test`, address]));
  const resolve: Resolver = async (host) => (names[host] ? [{ address: names[host], family: 6 }] : []);
  const connections: string[] = [];
  const transport = (url: URL, options: Parameters<typeof httpRequest>[1]) => {
    connections.push(url.toString());
    return httpRequest(url, options);
  };
  const fetcher = (localMode = false) => new GuardedImageFetcher({ resolve, transport, timeoutMs: 2000, localMode });
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const target = decodeURIComponent((req.url ?? '/').slice(1));
      res.writeHead(302, { location: target }).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it.each(EMBEDDED.map(([address, kind], i) => [address, kind, i] as const))(
    'an AAAA answer %s (%s) is refused before any connection',
    async (address, kind, i) => {
      const before = connections.length;
      const error = await fetcher()
        .fetch(`https://aaaa-${i}.test/photo.jpg`)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BlockedAddressError);
      expect(error).toMatchObject({ kind });
      expect(connections.length).toBe(before);
    },
  );

  it.each(EMBEDDED)('a literal https://[%s]/ is refused (%s)', async (address, kind) => {
    await expect(fetcher().fetch(`https://[${address}]/photo.jpg`)).rejects.toMatchObject({ code: 'SSRF_BLOCKED', kind });
  });

  it.each(EMBEDDED.filter(([, kind]) => kind !== 'loopback'))('a redirect to [%s] is refused, even in local mode (%s)', async (address, kind) => {
    // Local mode allows loopback (the first hop here); every other kind stays refused on the redirect.
    await expect(fetcher(true).fetch(`${base}/${encodeURIComponent(`http://[${address}]/x.jpg`)}`)).rejects.toMatchObject({ code: 'SSRF_BLOCKED', kind });
    await expect(
      fetcher(true).fetch(`${base}/${encodeURIComponent(`http://aaaa-${EMBEDDED.findIndex(([a]) => a === address)}.test/x.jpg`)}`),
    ).rejects.toMatchObject({ code: 'SSRF_BLOCKED', kind });
  });
});
