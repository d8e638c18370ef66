import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import sharp from 'sharp';
import type { OverlayOptions, Sharp } from 'sharp';
import type { PhotoAnalysis } from '#domain/model/photo-analysis';
import { planPlateLayout } from '#domain/planning/photo-layout';
import type { PlateFrame, RenderJob } from '#domain/model/render-job';
import type { Box } from '#domain/model/storyboard';
import { analyzeImage } from './photo-analysis.ts';
import { parseColor } from './color.ts';
import { ImageDecodeError, isolateProduct, MAX_INPUT_PIXELS, normalizeImage, productPalette } from './product-image.ts';
import type { IsolatedProduct, RgbaImage } from './product-image.ts';

export { ImageDecodeError };

/** Decompression-bomb guard, set explicitly rather than trusting sharp's default. */
export const PLATE_MAX_INPUT_PIXELS = MAX_INPUT_PIXELS;

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
  /** The photo's cached analysis (from ingest); measured here when absent. */
  analysis?: PhotoAnalysis;
}

export interface PlateResult {
  /** Whether the two layers were written. */
  layered: boolean;
  /** How the product was separated from its photo. */
  isolation?: IsolatedProduct['method'];
  background: [string, string];
  /** What the plate shows: photo class, layout and the product's box (for the creative QC). */
  frame?: PlateFrame;
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

/** Scales the isolated product to fit the layout's box (aspect kept), never past 2×, which would look soft. */
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

async function encode(image: Sharp, outPath: string): Promise<void> {
  const ext = extname(outPath).toLowerCase();
  const bytes =
    ext === '.jpg' || ext === '.jpeg'
      ? await image.jpeg({ quality: 92, chromaSubsampling: '4:4:4' }).toBuffer()
      : await image.png({ compressionLevel: 6 }).toBuffer();
  await writeFile(outPath, bytes);
}

/**
 * Renders a procedural plate, laid out by photo class (#domain/photo-layout): an isolated product large on a
 * designed backdrop (brand gradient, a soft light behind the product, a floor with the product's shadow and
 * reflection), a busy photo full-bleed around its salient region, or whole over a blurred,
 * dimmed fill of itself. The camera move is left to the assembler's filter graph (one encode per shot).
 */
export async function renderPlate(opts: PlateOptions): Promise<PlateResult> {
  const { job, image, outPath } = opts;
  const { width, height } = job;
  const from = opts.backgroundFrom ?? (job as { backgroundFrom?: 'brand' | 'product' }).backgroundFrom ?? 'brand';
  let background: [string, string] = job.background;
  const area = job.area ?? { x: 0, y: 0, w: width, h: height };
  if (!image) {
    const bg = designedBackdrop(width, height, background, undefined, job.seed);
    await encode(sharp(bg, { raw: { width, height, channels: 3 } }), outPath);
    return { layered: false, background };
  }
  const img = await normalizeImage(image, `render ${job.renderHash}`);
  const analysis = opts.analysis ?? (await analyzeImage(img, job.renderHash));
  // The analysis decides; a busy photo is never keyed (a keyer would eat into the scene).
  const isolated: IsolatedProduct = analysis.photoClass === 'busy' ? { ...img, method: 'none' } : isolateProduct(img);
  const photoClass = isolated.method === 'none' ? 'busy' : analysis.photoClass;
  // Boxes are fractions, so the analysis of the original photo applies to its decoded working copy.
  const layout = planPlateLayout({
    analysis: { ...analysis, photoClass, width: img.width, height: img.height },
    frame: { width, height },
    area,
    detail: job.detail,
  });
  if (layout.kind !== 'isolated') {
    const plate = layout.kind === 'cover' ? await coverPlate(img, layout.crop, width, height) : await blurFillPlate(img, layout.photo, width, height);
    await encode(sharp(plate, { raw: { width, height, channels: 3 } }), outPath);
    return { layered: false, isolation: isolated.method, background, frame: { photoClass, layout: layout.kind, width, height, productBox: layout.productBox } };
  }
  if (from === 'product') background = productPalette(isolated);
  const product = await fitProduct(isolated, layout.product.w, layout.product.h);
  const left = layout.product.x + Math.round((layout.product.w - product.width) / 2);
  const top = layout.floorY - product.height;
  const layers = await productLayers(product, left, top, width, height);
  const bg = designedBackdrop(
    width,
    height,
    background,
    { cx: left + product.width / 2, cy: top + product.height / 2, r: Math.max(product.width, product.height), floorY: layout.floorY },
    job.seed,
  );
  const plate = () => sharp(bg, { raw: { width, height, channels: 3 } });
  await encode(plate().composite(layers).removeAlpha(), outPath);
  const layered = opts.layers !== undefined;
  if (layered) {
    await encode(plate().removeAlpha(), opts.layers!.backgroundPath);
    const empty = sharp({ create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } });
    await writeFile(opts.layers!.productPath, await empty.composite(layers).png({ compressionLevel: 6 }).toBuffer());
  }
  const productBox = { x: left, y: top, w: product.width, h: product.height };
  return { layered, isolation: isolated.method, background, frame: { photoClass, layout: 'isolated', width, height, productBox } };
}

/** The product's floor shadow, a faint reflection below its base, its contact shadow and the product itself. */
async function productLayers(product: Fitted, left: number, top: number, width: number, height: number): Promise<OverlayOptions[]> {
  const raw = (f: { data: Buffer; width: number; height: number }) => ({ width: f.width, height: f.height, channels: 4 as const });
  const blur = Math.max(1, Math.round(Math.min(width, height) * 0.012));
  const contact = await shadowOf(product, blur);
  // A wide, soft ellipse on the floor: the product stands on something.
  const ew = Math.max(4, Math.round(product.width * 0.95)),
    eh = Math.max(2, Math.round(product.height * 0.07));
  const floor = await sharp(
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${ew * 2}" height="${eh * 6}">` +
        `<ellipse cx="${ew}" cy="${eh * 3}" rx="${ew / 2}" ry="${eh / 2}" fill="black" fill-opacity="0.5"/></svg>`,
    ),
  )
    .blur(Math.max(1, eh * 0.6))
    .raw()
    .toBuffer({ resolveWithObject: true });
  // The reflection: the product flipped under its base, fading out within a fifth of its height.
  const rh = Math.max(1, Math.round(product.height * 0.22));
  const flipped = await sharp(product.data, { raw: raw(product) })
    .flip()
    .extract({ left: 0, top: 0, width: product.width, height: Math.min(rh, product.height) })
    .raw()
    .toBuffer();
  for (let y = 0; y < rh; y++) {
    const fade = 0.22 * (1 - y / rh) ** 2;
    for (let x = 0; x < product.width; x++) flipped[(y * product.width + x) * 4 + 3] = Math.round(flipped[(y * product.width + x) * 4 + 3] * fade);
  }
  const layers: OverlayOptions[] = [];
  const push = (input: Buffer, w: number, h: number, l: number, t: number) => {
    // sharp refuses overlays that reach past the canvas: crop what falls outside.
    const x0 = Math.max(0, -l),
      y0 = Math.max(0, -t),
      x1 = Math.min(w, width - l),
      y1 = Math.min(h, height - t);
    if (x1 <= x0 || y1 <= y0) return;
    if (x0 === 0 && y0 === 0 && x1 === w && y1 === h) {
      layers.push({ input, raw: { width: w, height: h, channels: 4 }, left: l, top: t });
      return;
    }
    const out = Buffer.alloc((x1 - x0) * (y1 - y0) * 4);
    for (let y = y0; y < y1; y++) input.copy(out, (y - y0) * (x1 - x0) * 4, (y * w + x0) * 4, (y * w + x1) * 4);
    layers.push({ input: out, raw: { width: x1 - x0, height: y1 - y0, channels: 4 }, left: l + x0, top: t + y0 });
  };
  push(
    floor.data,
    floor.info.width,
    floor.info.height,
    Math.round(left + product.width / 2 - floor.info.width / 2),
    Math.round(top + product.height - floor.info.height / 2),
  );
  push(flipped, product.width, rh, left, top + product.height);
  push(contact.data, contact.width, contact.height, left - contact.pad + Math.round(blur * 0.6), top - contact.pad + Math.round(blur));
  push(product.data, product.width, product.height, left, top);
  return layers;
}

/**
 * A designed backdrop (raw RGB): the two-colour gradient, a soft light behind the product, a floor a
 * little darker than the wall from the product's base down, and a faint deterministic dither.
 */
function designedBackdrop(
  width: number,
  height: number,
  colors: [string, string],
  light: { cx: number; cy: number; r: number; floorY: number } | undefined,
  seed: number,
): Buffer {
  const buf = gradient(width, height, colors[0], colors[1]);
  let state = (seed * 2654435761) >>> 0 || 1;
  const rand = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296;
  const soft = Math.max(1, height * 0.02);
  for (let y = 0; y < height; y++) {
    const floor = light ? 1 - 0.16 / (1 + Math.exp(-(y - light.floorY) / soft)) : 1;
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      let glow = 0;
      if (light) {
        const d2 = ((x - light.cx) ** 2 + (y - light.cy) ** 2) / (light.r * light.r);
        glow = 0.22 * Math.exp(-d2 * 1.2);
      }
      // A whisper of dither against banding in the gradient; stronger grain would cost every encode bitrate.
      const grain = (rand() - 0.5) * 1.5;
      for (let c = 0; c < 3; c++) {
        const v = buf[i + c] * floor;
        buf[i + c] = clamp8(v + (255 - v) * glow + grain);
      }
    }
  }
  return buf;
}

const clamp8 = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** A busy photo's cover crop, scaled to the frame (raw RGB). */
async function coverPlate(img: RgbaImage, crop: Box, width: number, height: number): Promise<Buffer> {
  const c = clampBox(crop, img.width, img.height);
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } })
    .extract({ left: c.x, top: c.y, width: c.w, height: c.h })
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .removeAlpha()
    .raw()
    .toBuffer();
}

/** The whole photo at `photo` over a blurred, dimmed cover of itself (raw RGB). */
async function blurFillPlate(img: RgbaImage, photo: Box, width: number, height: number): Promise<Buffer> {
  const input = () => sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } }).removeAlpha();
  const fill = await input()
    .resize(width, height, { fit: 'cover' })
    .blur(Math.max(1, width * 0.012))
    .modulate({ brightness: 0.55 })
    .raw()
    .toBuffer();
  const front = await input().resize(photo.w, photo.h, { fit: 'fill', kernel: 'lanczos3' }).raw().toBuffer();
  const x0 = Math.max(0, photo.x),
    y0 = Math.max(0, photo.y),
    x1 = Math.min(width, photo.x + photo.w),
    y1 = Math.min(height, photo.y + photo.h);
  // A soft dark edge around the photo lifts it off the fill.
  const edge = Math.max(2, Math.round(width * 0.02));
  for (let y = Math.max(0, y0 - edge); y < Math.min(height, y1 + edge); y++) {
    for (let x = Math.max(0, x0 - edge); x < Math.min(width, x1 + edge); x++) {
      const i = (y * width + x) * 3;
      if (x >= x0 && x < x1 && y >= y0 && y < y1) {
        const j = ((y - photo.y) * photo.w + (x - photo.x)) * 3;
        fill[i] = front[j];
        fill[i + 1] = front[j + 1];
        fill[i + 2] = front[j + 2];
        continue;
      }
      const d = Math.max(x0 - x, x - x1 + 1, y0 - y, y - y1 + 1, 0) / edge;
      const k = 1 - 0.45 * (1 - d);
      fill[i] = clamp8(fill[i] * k);
      fill[i + 1] = clamp8(fill[i + 1] * k);
      fill[i + 2] = clamp8(fill[i + 2] * k);
    }
  }
  return fill;
}

function clampBox(b: Box, w: number, h: number): Box {
  const x = Math.min(w - 1, Math.max(0, b.x)),
    y = Math.min(h - 1, Math.max(0, b.y));
  return { x, y, w: Math.max(1, Math.min(w - x, b.w)), h: Math.max(1, Math.min(h - y, b.h)) };
}
