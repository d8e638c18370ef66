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

const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) <= 6);

describe('renderPlate', () => {
  it('writes exactly the job size with the gradient behind a centred product', async () => {
    const outPath = join(dir, 'plate.png');
    await renderPlate({ job: renderJob({ width: 180, height: 320, background: ['#ff0000', '#0000ff'] }), image: await productPhoto(400, '#00c000'), outPath });
    const meta = await sharp(outPath).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 180, height: 320 });
    expect(near(await pixel(outPath, 2, 0), [255, 0, 0])).toBe(true); // gradient top
    expect(near(await pixel(outPath, 2, 319), [0, 0, 255])).toBe(true); // gradient bottom
    expect(near(await pixel(outPath, 90, 160), [0, 192, 0])).toBe(true); // product centre
  });

  it('honours EXIF orientation and focus, and writes JPEG for a .jpg path', async () => {
    // A tall photo stored sideways: orientation 6 turns 200×100 into 100×200.
    const sideways = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#00c000' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const outPath = join(dir, 'top.jpg');
    await renderPlate({ job: renderJob({ width: 180, height: 320, focus: 'top', background: ['#ffffff', '#ffffff'] }), image: sideways, outPath });
    expect(await sharp(outPath).metadata()).toMatchObject({ format: 'jpeg', width: 180, height: 320 });
    // Fitted into 137×243 a 1:2 photo is 122×243 and sits 38 px from the top; the bottom band stays background.
    expect(near(await pixel(outPath, 90, 45), [0, 192, 0])).toBe(true);
    expect(near(await pixel(outPath, 90, 300), [255, 255, 255])).toBe(true);
  });

  it('renders background only for a typographic shot', async () => {
    const outPath = join(dir, 'type.png');
    await renderPlate({ job: renderJob({ width: 90, height: 160, background: ['#202020', '#202020'] }), outPath });
    expect(near(await pixel(outPath, 45, 80), [32, 32, 32])).toBe(true);
  });

  it('throws ImageDecodeError on bytes that are not an image', async () => {
    const error = await renderPlate({ job: renderJob(), image: Buffer.from('<html>not a photo</html>'), outPath: join(dir, 'bad.png') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageDecodeError);
    expect(error).toMatchObject({ name: 'ImageDecodeError', code: 'IMAGE_DECODE' });
    expect((error as Error).message).toMatch(/JPEG, PNG or WebP/);
  });

  it('refuses an image above the pixel cap before decoding it', async () => {
    // A decompression bomb: a tiny PNG whose header claims 10000×10000 (100 MP, above the 50 MP cap).
    const png = Buffer.from(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } }).png().toBuffer());
    png.writeUInt32BE(10_000, 16);
    png.writeUInt32BE(10_000, 20);
    png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
    const error = await renderPlate({ job: renderJob(), image: png, outPath: join(dir, 'huge.png') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageDecodeError);
    expect((error as Error).message).toMatch(/pixel limit/);
  });
});
