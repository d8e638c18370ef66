import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageDecodeError, renderPlate } from '#media/procedural-plate';
import { productPhoto, renderJob, tempDir } from './media-fixtures.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('plate')));
afterAll(() => cleanup());

async function pixel(path: string, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
  const p = (y * info.width + x) * info.channels;
  return [...data.subarray(p, p + 3)];
}

const near = (a: number[], b: number[], tolerance = 6) => a.every((v, i) => Math.abs(v - b[i]) <= tolerance);

describe('renderPlate', () => {
  it('writes exactly the job size with the designed gradient behind a large, centred product', async () => {
    const outPath = join(dir, 'plate.png');
    const result = await renderPlate({
      job: renderJob({ width: 180, height: 320, background: ['#ff0000', '#0000ff'] }),
      image: await productPhoto(400, '#00c000'),
      outPath,
    });
    const meta = await sharp(outPath).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 180, height: 320 });
    expect(near(await pixel(outPath, 2, 0), [255, 0, 0])).toBe(true); // gradient top (grain only)
    const [r, g, b] = await pixel(outPath, 2, 319); // gradient bottom, on the slightly darker floor
    expect(b).toBeGreaterThan(180);
    expect(Math.max(r, g)).toBeLessThan(30);
    expect(result.frame).toMatchObject({ photoClass: 'plain', layout: 'isolated' });
    const box = result.frame!.productBox!;
    // Centred, and large: the product is sized to 68 % of the area's width (its height permitting).
    expect(Math.abs(box.x + box.w / 2 - 90)).toBeLessThanOrEqual(2);
    expect(box.w).toBeGreaterThanOrEqual(Math.floor(180 * 0.55));
    expect(near(await pixel(outPath, box.x + Math.round(box.w / 2), box.y + Math.round(box.h / 2)), [0, 192, 0])).toBe(true);
  });

  it('honours EXIF orientation, and writes JPEG for a .jpg path', async () => {
    // A tall bar stored sideways: orientation 6 turns the 200×100 photo (bar 160×40) into 100×200 (bar 40×160).
    const sideways = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#ffffff' } })
      .composite([{ input: { create: { width: 160, height: 40, channels: 3, background: '#00c000' } }, left: 20, top: 30 }])
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const outPath = join(dir, 'top.jpg');
    const result = await renderPlate({ job: renderJob({ width: 180, height: 320, background: ['#ffffff', '#ffffff'] }), image: sideways, outPath });
    expect(await sharp(outPath).metadata()).toMatchObject({ format: 'jpeg', width: 180, height: 320 });
    const box = result.frame!.productBox!;
    expect(box.h).toBeGreaterThan(box.w * 3);
    expect(near(await pixel(outPath, box.x + Math.round(box.w / 2), box.y + Math.round(box.h / 2)), [0, 192, 0])).toBe(true);
  });

  it('renders background only for a typographic shot', async () => {
    const outPath = join(dir, 'type.png');
    await renderPlate({ job: renderJob({ width: 90, height: 160, background: ['#202020', '#202020'] }), outPath });
    expect(near(await pixel(outPath, 45, 80), [32, 32, 32])).toBe(true);
  });

  it('throws ImageDecodeError on bytes that are not an image', async () => {
    const error = await renderPlate({ job: renderJob(), image: Buffer.from('<html>not a photo</html>'), outPath: join(dir, 'bad.png') }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImageDecodeError);
    expect(error).toMatchObject({ name: 'ImageDecodeError', code: 'IMAGE_DECODE' });
    expect((error as Error).message).toMatch(/JPEG, PNG, WebP or AVIF/);
  });

  it('refuses an image above the pixel cap before decoding it', async () => {
    // A decompression bomb: a tiny PNG whose header claims 10000×10000 (100 MP, above the 50 MP cap).
    const png = Buffer.from(
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
        .png()
        .toBuffer(),
    );
    png.writeUInt32BE(10_000, 16);
    png.writeUInt32BE(10_000, 20);
    png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
    const error = await renderPlate({ job: renderJob(), image: png, outPath: join(dir, 'huge.png') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageDecodeError);
    expect((error as Error).message).toMatch(/pixel limit/);
    expect((error as Error).message).toMatch(/decompression bomb|scale it down/);
  });

  it('fails truncated and empty files with a clear ImageDecodeError', async () => {
    const jpeg = await productPhoto(400);
    const truncated = jpeg.subarray(0, Math.round(jpeg.length * 0.5));
    for (const bytes of [truncated, Buffer.alloc(0), Buffer.from('%PDF-1.4 not an image')]) {
      const error = await renderPlate({ job: renderJob(), image: bytes, outPath: join(dir, 'broken.png') }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImageDecodeError);
      expect((error as Error).message).toMatch(/render r-test/);
    }
  });
});

/** Mean absolute RGB difference between two same-size images. */
async function diff(a: string, b: string): Promise<number> {
  const [x, y] = await Promise.all([a, b].map((p) => sharp(p).removeAlpha().raw().toBuffer()));
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i] - y[i]);
  return s / x.length;
}

describe('renderPlate: odd inputs and product isolation', () => {
  const job = renderJob({ width: 180, height: 320, background: ['#203040', '#203040'] });
  const green = [0, 160, 60];

  /** Every odd kind of the same product photo: a green square on white. */
  async function kinds(): Promise<Record<string, Buffer>> {
    const base = () =>
      sharp({ create: { width: 300, height: 300, channels: 3, background: '#ffffff' } }).composite([
        { input: { create: { width: 200, height: 90, channels: 3, background: { r: 0, g: 160, b: 60 } } }, left: 50, top: 105 },
      ]);
    const flat = await base().png().toBuffer();
    const cutout = await sharp({ create: { width: 200, height: 90, channels: 4, background: { r: 0, g: 160, b: 60, alpha: 1 } } })
      .extend({ top: 105, bottom: 105, left: 50, right: 50, background: { r: 0, g: 0, b: 0, alpha: 0 } })
      .png()
      .toBuffer();
    return {
      jpeg: await sharp(flat).jpeg({ quality: 95 }).toBuffer(),
      alphaPng: cutout,
      cmykJpeg: await sharp(flat).toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer(),
      // Stored rotated 90° with orientation 8, so only EXIF-aware decoding stands it upright.
      exifRotated: await sharp(flat).rotate(90).jpeg({ quality: 95 }).withMetadata({ orientation: 8 }).toBuffer(),
      avif: await sharp(flat).avif({ quality: 80 }).toBuffer(),
      webp: await sharp(flat).webp({ quality: 95 }).toBuffer(),
      png16: await sharp(flat).toColourspace('rgb16').png().toBuffer(),
    };
  }

  it('renders every kind the same way: product keyed onto the brand background, upright, 8-bit sRGB', async () => {
    const all = await kinds();
    const reference = join(dir, 'kind-jpeg.png');
    await renderPlate({ job, image: all.jpeg, outPath: reference });
    // The white backdrop is gone: the corner next to the product is the brand colour, not white.
    // (The designed backdrop lightens behind the product and carries a fine grain: a looser match.)
    expect(near(await pixel(reference, 20, 40), [32, 48, 64], 16)).toBe(true);
    // Wide stays wide: above the bar's middle, at a quarter of the height, is background.
    expect(near(await pixel(reference, 90, 80), [32, 48, 64], 40)).toBe(true);
    expect(near(await pixel(reference, 90, 150), green)).toBe(true);
    for (const [kind, bytes] of Object.entries(all)) {
      const out = join(dir, `kind-${kind}.png`);
      const result = await renderPlate({ job, image: bytes, outPath: out });
      expect(result.isolation, kind).toBe(kind === 'alphaPng' ? 'alpha' : 'keyed');
      expect(await sharp(out).metadata(), kind).toMatchObject({ width: 180, height: 320, depth: 'uchar', space: 'srgb' });
      expect(await diff(out, reference), kind).toBeLessThan(4);
    }
    // Greyscale: same geometry, grey product.
    const grey = join(dir, 'kind-grey.png');
    await renderPlate({ job, image: await sharp(all.jpeg).greyscale().jpeg().toBuffer(), outPath: grey });
    const [r, g, b] = await pixel(grey, 90, 160);
    expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeLessThan(6);
  });

  it('keeps a white detail inside the product (the key only removes backdrop connected to the border)', async () => {
    const photo = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#ffffff' } })
      .composite([
        { input: { create: { width: 200, height: 200, channels: 3, background: { r: 20, g: 20, b: 120 } } }, left: 50, top: 50 },
        { input: { create: { width: 60, height: 60, channels: 3, background: { r: 255, g: 255, b: 255 } } }, left: 120, top: 120 },
      ])
      .png()
      .toBuffer();
    const out = join(dir, 'hole.png');
    await renderPlate({ job, image: photo, outPath: out });
    expect(near(await pixel(out, 90, 160), [255, 255, 255])).toBe(true);
  });

  it('writes background and product as separate layers for parallax, and derives a background from the product', async () => {
    const composed = join(dir, 'layer-plate.png');
    const out = join(dir, 'layer-bg.png');
    const productOutPath = join(dir, 'layer-product.png');
    const result = await renderPlate({
      job,
      image: (await kinds()).jpeg,
      outPath: composed,
      layers: { backgroundPath: out, productPath: productOutPath },
      backgroundFrom: 'product',
    });
    expect(result.layered).toBe(true);
    // The composed plate still shows the product; the background layer does not.
    expect(near(await pixel(composed, 90, 160), green)).toBe(true);
    // A dark green gradient from the product's own colour.
    const [r, g, b] = await pixel(out, 90, 160);
    expect(g).toBeGreaterThan(r + 20);
    expect(g).toBeGreaterThan(b);
    const { data, info } = await sharp(productOutPath).raw().toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: 180, height: 320, channels: 4 });
    expect(data[(160 * 180 + 90) * 4 + 3]).toBe(255);
    expect(data[(5 * 180 + 5) * 4 + 3]).toBe(0);
  });

  it('keeps a busy lifestyle photo whole and unlayered', async () => {
    const busy = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#804020', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
      .jpeg()
      .toBuffer();
    const result = await renderPlate({
      job,
      image: busy,
      outPath: join(dir, 'busy.png'),
      layers: { backgroundPath: join(dir, 'busy-bg.png'), productPath: join(dir, 'busy-product.png') },
    });
    expect(result).toMatchObject({ layered: false, isolation: 'none' });
  });
});
