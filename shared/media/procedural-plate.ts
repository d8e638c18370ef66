import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import sharp from 'sharp';
import type { OverlayOptions } from 'sharp';
import type { RenderJob } from '#domain/render-job';
import { parseColor } from './color.ts';
import { MediaError } from './media-error.ts';

/** Product-photo bytes that sharp cannot decode, or that exceed the pixel cap. */
export class ImageDecodeError extends MediaError {
  override readonly name = 'ImageDecodeError';
  override readonly code = 'IMAGE_DECODE';
}

/** Decompression-bomb guard, set explicitly rather than trusting sharp's default. */
export const PLATE_MAX_INPUT_PIXELS = 50_000_000;

/** Share of the frame's width and height the product photo may fill. */
const PRODUCT_SCALE = 0.76;

export interface PlateOptions {
  job: RenderJob;
  /** The product photo; absent for typographic shots (background only). */
  image?: Buffer;
  /** `.jpg`/`.jpeg` writes a quality-92 JPEG; anything else a PNG. */
  outPath: string;
}

/** Builds the raw RGB vertical gradient row by row: exact, deterministic, no SVG renderer involved. */
function gradient(width: number, height: number, from: string, to: string): Buffer {
  const a = parseColor(from);
  const b = parseColor(to);
  const buf = Buffer.alloc(width * height * 3);
  const row = Buffer.alloc(width * 3);
  for (let y = 0; y < height; y++) {
    const t = height === 1 ? 0 : y / (height - 1);
    const r = Math.round(a.r + (b.r - a.r) * t);
    const g = Math.round(a.g + (b.g - a.g) * t);
    const bl = Math.round(a.b + (b.b - a.b) * t);
    for (let x = 0; x < width; x++) {
      row[x * 3] = r;
      row[x * 3 + 1] = g;
      row[x * 3 + 2] = bl;
    }
    row.copy(buf, y * width * 3);
  }
  return buf;
}

interface Fitted {
  data: Buffer;
  width: number;
  height: number;
}

/** Decodes, EXIF-rotates and fits the photo to sRGB RGBA inside the box; garbage bytes become ImageDecodeError. */
async function fitProduct(image: Buffer, boxW: number, boxH: number, sku: string): Promise<Fitted> {
  try {
    const { data, info } = await sharp(image, { limitInputPixels: PLATE_MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .toColourspace('srgb')
      .ensureAlpha()
      .resize(boxW, boxH, { fit: 'inside', kernel: 'lanczos3' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (error) {
    throw new ImageDecodeError(
      `The product photo for render ${sku} cannot be decoded (${(error as Error).message}): re-ingest it as a JPEG, PNG or WebP under ${PLATE_MAX_INPUT_PIXELS / 1e6} MP.`,
      { cause: error },
    );
  }
}

/** A soft shadow from the photo's own alpha: black at 35 %, blurred, on a padded canvas so the blur is not clipped. */
async function shadowOf(product: Fitted, blur: number): Promise<{ data: Buffer; width: number; height: number; pad: number }> {
  const pad = Math.ceil(blur * 3);
  const alpha = Buffer.alloc(product.width * product.height * 4);
  for (let i = 0; i < product.width * product.height; i++) alpha[i * 4 + 3] = Math.round(product.data[i * 4 + 3] * 0.35);
  const { data, info } = await sharp(alpha, { raw: { width: product.width, height: product.height, channels: 4 } })
    .extend({ top: pad, bottom: pad, left: pad, right: pad, background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .blur(blur)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, pad };
}

function place(focus: RenderJob['focus'], frame: number, size: number, axis: 'x' | 'y'): number {
  const margin = Math.round(frame * ((1 - PRODUCT_SCALE) / 2));
  const centred = Math.round((frame - size) / 2);
  const start = axis === 'x' ? 'left' : 'top';
  const end = axis === 'x' ? 'right' : 'bottom';
  if (focus === start) return margin;
  if (focus === end) return frame - margin - size;
  return centred;
}

/** Renders a procedural plate: gradient background plus the fitted product photo; the camera move is left to the assembler. */
export async function renderPlate(opts: PlateOptions): Promise<void> {
  const { job, image, outPath } = opts;
  const { width, height } = job;
  const composites: OverlayOptions[] = [];
  if (image) {
    const product = await fitProduct(image, Math.round(width * PRODUCT_SCALE), Math.round(height * PRODUCT_SCALE), job.renderHash);
    const left = place(job.focus, width, product.width, 'x');
    const top = place(job.focus, height, product.height, 'y');
    const blur = Math.max(1, Math.round(Math.min(width, height) * 0.02));
    const shadow = await shadowOf(product, blur);
    const offset = Math.round(blur * 0.8);
    composites.push(
      { input: shadow.data, raw: { width: shadow.width, height: shadow.height, channels: 4 }, left: left - shadow.pad + offset, top: top - shadow.pad + Math.round(offset * 1.5) },
      { input: product.data, raw: { width: product.width, height: product.height, channels: 4 }, left, top },
    );
  }
  const [from, to] = job.background;
  // Plates are opaque: dropping alpha keeps the PNG small and ffmpeg's input format simple.
  const canvas = sharp(gradient(width, height, from, to), { raw: { width, height, channels: 3 } }).composite(composites).removeAlpha();
  const ext = extname(outPath).toLowerCase();
  const bytes = ext === '.jpg' || ext === '.jpeg'
    ? await canvas.jpeg({ quality: 92, chromaSubsampling: '4:4:4' }).toBuffer()
    : await canvas.png({ compressionLevel: 6 }).toBuffer();
  await writeFile(outPath, bytes);
}
