import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import sharp from 'sharp';
import type { OverlayOptions, Sharp } from 'sharp';
import type { RenderJob } from '#domain/render-job';
import { parseColor } from './color.ts';
import { ImageDecodeError, isolateProduct, MAX_INPUT_PIXELS, normalizeImage, productPalette } from './product-image.ts';
import type { IsolatedProduct } from './product-image.ts';

export { ImageDecodeError };

/** Decompression-bomb guard, set explicitly rather than trusting sharp's default. */
export const PLATE_MAX_INPUT_PIXELS = MAX_INPUT_PIXELS;

/** Share of the frame's width and height the product may fill. */
const PRODUCT_SCALE = 0.76;

export interface PlateOptions {
  job: RenderJob;
  /** The product photo; absent for typographic shots (background only). */
  image?: Buffer;
  /** `.jpg`/`.jpeg` writes a quality-92 JPEG; anything else a PNG. */
  outPath: string;
  /**
   * Also write the plate as two layers for a parallax move: the background alone (opaque) and the
   * product with its shadow (full-frame RGBA). Skipped when the product cannot be separated from its
   * photo (a busy lifestyle shot); `outPath` always gets the composed plate.
   */
  layers?: { backgroundPath: string; productPath: string };
  /** Background source; default `job.backgroundFrom`, else the brand palette in `job.background`. */
  backgroundFrom?: 'brand' | 'product';
}

export interface PlateResult {
  /** Whether the two layers were written. */
  layered: boolean;
  /** How the product was separated from its photo. */
  isolation?: IsolatedProduct['method'];
  background: [string, string];
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

/** Fits the isolated product inside the box (never upscaled past 2×, which would look soft). */
async function fitProduct(product: IsolatedProduct, boxW: number, boxH: number): Promise<Fitted> {
  const scale = Math.min(boxW / product.width, boxH / product.height, 2);
  const w = Math.max(1, Math.round(product.width * scale));
  const h = Math.max(1, Math.round(product.height * scale));
  const { data, info } = await sharp(product.data, { raw: { width: product.width, height: product.height, channels: 4 } })
    .resize(w, h, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** A soft shadow from the product's own alpha: black at 35 %, blurred, on a padded canvas so the blur is not clipped. */
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

async function encode(image: Sharp, outPath: string): Promise<void> {
  const ext = extname(outPath).toLowerCase();
  const bytes = ext === '.jpg' || ext === '.jpeg'
    ? await image.jpeg({ quality: 92, chromaSubsampling: '4:4:4' }).toBuffer()
    : await image.png({ compressionLevel: 6 }).toBuffer();
  await writeFile(outPath, bytes);
}

/**
 * Renders a procedural plate: a gradient background (brand palette, or the product's own colours) and
 * the isolated product with a soft shadow; optionally the product as a separate layer for parallax.
 * The camera move itself is left to the assembler's filter graph, so the shot is encoded only once.
 */
export async function renderPlate(opts: PlateOptions): Promise<PlateResult> {
  const { job, image, outPath } = opts;
  const { width, height } = job;
  const layers: OverlayOptions[] = [];
  let isolation: IsolatedProduct['method'] | undefined;
  let background: [string, string] = job.background;
  if (image) {
    const isolated = isolateProduct(await normalizeImage(image, `render ${job.renderHash}`));
    isolation = isolated.method;
    const from = opts.backgroundFrom ?? (job as { backgroundFrom?: 'brand' | 'product' }).backgroundFrom ?? 'brand';
    if (from === 'product') background = productPalette(isolated);
    const product = await fitProduct(isolated, Math.round(width * PRODUCT_SCALE), Math.round(height * PRODUCT_SCALE));
    const left = place(job.focus, width, product.width, 'x');
    const top = place(job.focus, height, product.height, 'y');
    const blur = Math.max(1, Math.round(Math.min(width, height) * 0.02));
    const shadow = await shadowOf(product, blur);
    const offset = Math.round(blur * 0.8);
    layers.push(
      { input: shadow.data, raw: { width: shadow.width, height: shadow.height, channels: 4 }, left: left - shadow.pad + offset, top: top - shadow.pad + Math.round(offset * 1.5) },
      { input: product.data, raw: { width: product.width, height: product.height, channels: 4 }, left, top },
    );
  }
  const layered = opts.layers !== undefined && isolation !== undefined && isolation !== 'none';
  const [from, to] = background;
  const bg = gradient(width, height, from, to);
  // Plates are opaque: dropping alpha keeps the PNG small and ffmpeg's input format simple.
  const plate = () => sharp(bg, { raw: { width, height, channels: 3 } });
  await encode(plate().composite(layers).removeAlpha(), outPath);
  if (layered) {
    await encode(plate().removeAlpha(), opts.layers!.backgroundPath);
    const empty = sharp({ create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } });
    await writeFile(opts.layers!.productPath, await empty.composite(layers).png({ compressionLevel: 6 }).toBuffer());
  }
  return { layered, isolation, background };
}
