import sharp from 'sharp';
import { MediaError } from './media-error.ts';
import { alphaBounds, separateProduct } from './photo-analysis.ts';

/** Product-photo bytes that sharp cannot decode, that are truncated, or that exceed the pixel cap. */
export class ImageDecodeError extends MediaError {
  override readonly name = 'ImageDecodeError';
  override readonly code = 'IMAGE_DECODE';
}

/** Decompression-bomb guard, set explicitly rather than trusting sharp's default (about 268 MP). */
export const MAX_INPUT_PIXELS = 50_000_000;
/** Longest side kept after decoding: the largest plate shows the product at under 1,500 px. */
const MAX_WORKING_SIDE = 1600;

/** Straight (not premultiplied) 8-bit sRGB RGBA pixels. */
export interface RgbaImage {
  data: Buffer;
  width: number;
  height: number;
}

/**
 * Decodes any common photo (JPEG, PNG with alpha, WebP, AVIF, TIFF, 16-bit, CMYK, greyscale, EXIF-rotated)
 * to upright 8-bit sRGB RGBA no larger than the working size. Garbage, truncated and oversized inputs
 * become ImageDecodeError with what to do about it.
 */
export async function normalizeImage(bytes: Buffer, label: string): Promise<RgbaImage> {
  if (bytes.byteLength === 0) throw new ImageDecodeError(`The photo for ${label} is empty (0 bytes): re-upload it.`);
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', sequentialRead: true })
      // EXIF orientation first, so "rotated" phone photos stand upright.
      .rotate()
      .resize(MAX_WORKING_SIDE, MAX_WORKING_SIDE, { fit: 'inside', withoutEnlargement: true })
      // CMYK (with its ICC profile), greyscale and 16-bit all end as 8-bit sRGB here.
      .toColourspace('srgb')
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) throw new Error(`decoded to ${info.channels} channels`);
    return { data, width: info.width, height: info.height };
  } catch (error) {
    const message = (error as Error).message;
    const hint = /pixel limit/i.test(message)
      ? `it has more than ${MAX_INPUT_PIXELS / 1e6} MP (a decompression bomb or a huge scan): scale it down`
      : /unsupported image format|bad seek|premature end|truncated|corrupt|invalid|Input buffer/i.test(message)
        ? 'it is not a complete image file: re-export it as a JPEG, PNG, WebP or AVIF'
        : 're-export it as a JPEG, PNG, WebP or AVIF';
    throw new ImageDecodeError(`The photo for ${label} cannot be decoded (${message.split('\n')[0]}); ${hint}.`, { cause: error });
  }
}

export interface IsolatedProduct extends RgbaImage {
  /** How the product was separated: its own alpha, a keyed plain background, or not at all (a busy photo). */
  method: 'alpha' | 'keyed' | 'none';
}

/** Crops to the bounding box of pixels with alpha above `threshold`, with a small margin for soft edges. */
function trimToAlpha(img: RgbaImage, threshold = 8): RgbaImage {
  const { data, width, height } = img;
  const bounds = alphaBounds(img, threshold);
  if (!bounds) return img;
  let { x0, y0, x1, y1 } = bounds;
  const margin = 2;
  x0 = Math.max(0, x0 - margin);
  y0 = Math.max(0, y0 - margin);
  x1 = Math.min(width - 1, x1 + margin);
  y1 = Math.min(height - 1, y1 + margin);
  const w = x1 - x0 + 1,
    h = y1 - y0 + 1;
  if (w === width && h === height) return img;
  const out = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++) data.copy(out, y * w * 4, ((y + y0) * width + x0) * 4, ((y + y0) * width + x0 + w) * 4);
  return { data: out, width: w, height: h };
}

/**
 * Separates the product from its photo: its own alpha where it has some, else its plain or studio-sweep
 * backdrop keyed out with clean edges (#media/photo-analysis), else (a busy scene) the photo as it is.
 * The result is trimmed to the product.
 */
export function isolateProduct(img: RgbaImage): IsolatedProduct {
  const separated = separateProduct(img);
  if (separated.photoClass === 'busy') return { ...img, method: 'none' };
  // Trim at a visible alpha: a faint remnant of a keyed floor shadow must not widen the product's box.
  return { ...trimToAlpha(separated.image, 48), method: separated.photoClass === 'alpha' ? 'alpha' : 'keyed' };
}

/** Hex #rrggbb of 8-bit channels. */
function hex(r: number, g: number, b: number): string {
  const c = (v: number) =>
    Math.max(0, Math.min(255, Math.round(v)))
      .toString(16)
      .padStart(2, '0');
  return `#${c(r)}${c(g)}${c(b)}`;
}

/**
 * The product's dominant colour (the most common saturated hue among opaque pixels, else its mean),
 * turned into a dark two-stop gradient that flatters the product instead of competing with it.
 */
export function productPalette(img: RgbaImage): [string, string] {
  const { data } = img;
  const bins = new Map<number, { n: number; r: number; g: number; b: number }>();
  let mr = 0,
    mg = 0,
    mb = 0,
    mn = 0;
  for (let i = 0; i < data.length; i += 4 * 3) {
    if (data[i + 3] < 200) continue;
    const r = data[i],
      g = data[i + 1],
      b = data[i + 2];
    mr += r;
    mg += g;
    mb += b;
    mn++;
    const max = Math.max(r, g, b),
      min = Math.min(r, g, b);
    // Near-white, near-black and grey pixels say little about the product's colour.
    if (max - min < 40 || max < 40) continue;
    const key = ((r >> 5) << 6) | ((g >> 5) << 3) | (b >> 5);
    const bin = bins.get(key) ?? { n: 0, r: 0, g: 0, b: 0 };
    bin.n++;
    bin.r += r;
    bin.g += g;
    bin.b += b;
    bins.set(key, bin);
  }
  let best = { n: 0, r: mn ? mr : 96, g: mn ? mg : 96, b: mn ? mb : 110 };
  let count = Math.max(1, mn);
  for (const bin of bins.values()) if (bin.n > best.n) best = bin;
  if (best.n > 0) count = best.n;
  const r = best.r / count,
    g = best.g / count,
    b = best.b / count;
  // Scale the colour so its brightest channel lands at a fixed dark level: same hue, always a dark plate.
  const top = Math.max(r, g, b, 1);
  return [hex((r / top) * 92, (g / top) * 92, (b / top) * 92), hex((r / top) * 28, (g / top) * 28, (b / top) * 28)];
}
