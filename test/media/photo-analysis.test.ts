import { readFile } from 'node:fs/promises';
import { MEDIA_ENGINE } from '#media/media-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsAssetStore } from '#adapters/local/fs-asset-store';
import type { AssetStore } from '#ports/asset-store';
import { analysisKey, classifyPhoto, PhotoAnalysis } from '#domain/model/photo-analysis';
import { analyzePhoto } from '#media/photo-analysis';
import { isolateProduct, normalizeImage } from '#media/product-image';
import { ingestProduct } from '#usecases/ingest-product';
import { catalogPhoto, catalogPhotos } from '../support/catalog-photos.ts';
import { tempDir } from './media-fixtures.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('analysis')));
afterAll(() => cleanup());

const lumaOf = (d: Buffer, i: number) => 0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2];

describe('photo analysis', () => {
  it('decides the class from the measured figures', () => {
    expect(classifyPhoto({ transparentShare: 0.4, ringResidual: 0, backdropRange: 0, keptShare: 0.6 })).toBe('alpha');
    expect(classifyPhoto({ transparentShare: 0, ringResidual: 2, backdropRange: 3, keptShare: 0.2 })).toBe('plain');
    expect(classifyPhoto({ transparentShare: 0, ringResidual: 4, backdropRange: 60, keptShare: 0.2 })).toBe('sweep');
    expect(classifyPhoto({ transparentShare: 0, ringResidual: 14, backdropRange: 90, keptShare: 1 })).toBe('busy');
    // A smooth border but keying removes everything: nothing to lift off.
    expect(classifyPhoto({ transparentShare: 0, ringResidual: 2, backdropRange: 3, keptShare: 0.001 })).toBe('busy');
  });

  it('keys the example mug with no light fringe on a dark plate (feathered, decontaminated edge)', async () => {
    const keyed = isolateProduct(await normalizeImage(await readFile('examples/images/mug-front.jpg'), 'mug'));
    expect(keyed.method).toBe('keyed');
    const { data, width, height } = keyed;
    // The edge band: visible pixels within 2 px of a mostly transparent one. Composited on black, a
    // white fringe shows as bright pixels there (the keyer before this one left 42 % of the band bright).
    let band = 0,
      bright = 0,
      holes = 0;
    for (let y = 2; y < height - 2; y++) {
      for (let x = 2; x < width - 2; x++) {
        const i = (y * width + x) * 4;
        if (data[i + 3] < 16) {
          holes++;
          continue;
        }
        let edge = false;
        for (let dy = -2; dy <= 2 && !edge; dy++)
          for (let dx = -2; dx <= 2; dx++)
            if (data[((y + dy) * width + x + dx) * 4 + 3] < 128) {
              edge = true;
              break;
            }
        if (!edge) continue;
        band++;
        if ((lumaOf(data, i) * data[i + 3]) / 255 > 150) bright++;
      }
    }
    expect(band).toBeGreaterThan(1000);
    expect(bright / band).toBeLessThan(0.01);
    // The hole inside the handle is backdrop too: the pixel in its middle (about 85 % across, 45 % down) is clear.
    const hx = Math.round(width * 0.86),
      hy = Math.round(height * 0.45);
    expect(data[(hy * width + hx) * 4 + 3]).toBeLessThan(16);
    expect(holes).toBeGreaterThan(0);
  });

  it('is computed once at ingest and cached beside the photo by its content hash', async () => {
    const store: AssetStore = new FsAssetStore(dir);
    await store.putBytes('cat/mug.jpg', await readFile('examples/images/mug-front.jpg'), 'image/jpeg');
    const item = { sku: 'MUG-1', title: 'Mug', description: '', features: [], price: { amount: 12, currency: 'USD' }, images: ['mug.jpg'], tags: [] };
    const product = await ingestProduct({ store, media: MEDIA_ENGINE }, item, 'cat/catalog.json', 'json');
    const key = analysisKey(product.images[0]);
    expect(key).toMatch(/^analysis\/[0-9a-f]{32}\.json$/);
    const analysis = PhotoAnalysis.parse(JSON.parse((await store.getBytes(key)).toString('utf8')));
    expect(analysis).toMatchObject({ photoClass: 'plain', width: 800, height: 800 });
    expect(analysis.productBox.w).toBeGreaterThan(0.5);
    expect(analysis.colors[0]).toMatch(/^#/);
    // A second ingest of the same photo finds the cached analysis and leaves it as it is.
    await store.putBytes(key, JSON.stringify({ ...analysis, figures: { marker: 1 } }), 'application/json');
    await ingestProduct({ store, media: MEDIA_ENGINE }, item, 'cat/catalog.json', 'json');
    expect(JSON.parse((await store.getBytes(key)).toString('utf8')).figures).toEqual({ marker: 1 });
  });

  it('measures the example photos quickly', async () => {
    const started = performance.now();
    const a = await analyzePhoto(await readFile('examples/images/sneaker-side.jpg'), 'sneaker');
    expect(['plain', 'sweep']).toContain(a.photoClass);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe('catalog-like test photos', () => {
  const overlap = (a: { x: number; y: number; w: number; h: number }, b: typeof a) => {
    const w = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
    const h = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
    return (w * h) / (a.w * a.h + b.w * b.h - w * h);
  };

  it('detects the class of each kind and finds the product', async () => {
    const photos = await catalogPhotos();
    for (const [kind, photo] of photos) {
      const a = await analyzePhoto(photo.bytes, kind);
      expect(a.photoClass, kind).toBe(kind);
      if (kind === 'busy') {
        // Without a cut-out, the product box is the attention region: it must hold the product's middle.
        const cx = photo.productBox.x + photo.productBox.w / 2,
          cy = photo.productBox.y + photo.productBox.h / 2;
        expect(cx).toBeGreaterThan(a.productBox.x);
        expect(cx).toBeLessThan(a.productBox.x + a.productBox.w);
        expect(cy).toBeGreaterThan(a.productBox.y);
        expect(cy).toBeLessThan(a.productBox.y + a.productBox.h);
      } else {
        expect(overlap(a.productBox, photo.productBox), kind).toBeGreaterThan(0.85);
        // The mug's red is among its dominant colours.
        expect(
          a.colors.some((c) => parseInt(c.slice(1, 3), 16) > 150 && parseInt(c.slice(3, 5), 16) < 80),
          kind,
        ).toBe(true);
      }
      expect(overlap(a.salient, a.productBox), kind).toBeGreaterThan(0);
    }
  });

  it('generates the same photo for the same seed, another for another seed', async () => {
    const [a, b, c] = await Promise.all([catalogPhoto('busy', { seed: 1 }), catalogPhoto('busy', { seed: 1 }), catalogPhoto('busy', { seed: 2 })]);
    expect(a.bytes.equals(b.bytes)).toBe(true);
    expect(a.bytes.equals(c.bytes)).toBe(false);
  });
});
