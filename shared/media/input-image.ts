import sharp from 'sharp';
import { MediaError } from './media-error.ts';
import { MAX_INPUT_PIXELS } from './product-image.ts';
import { MIME } from '#domain/model/content-types';

/** The photo cannot be brought under the model's byte cap. */
export class InputImageTooLargeError extends MediaError {
  override readonly name = 'InputImageTooLargeError';
  override readonly code = 'INPUT_IMAGE_TOO_LARGE';
}

export interface InputImageSpec {
  /** exact: the canvas is width×height; aspect: the canvas has the shot's aspect, long side ≤ maxSide. */
  fit: 'exact' | 'aspect';
  width?: number;
  height?: number;
  maxSide: number;
  format: 'jpeg' | 'png';
  maxBytes: number;
}

/**
 * The product photo as a model wants it: on a canvas of the model's size (Nova Reel: exactly 1280×720) or
 * of the shot's aspect (models whose clip follows the image), filled with the brand colour, the product
 * contained in the centred square of the short side at 90 %, so every placement's crop of the clip (9:16 →
 * 1:1 keeps the middle square) still shows all of it. Encoded as the model takes it, under its byte cap.
 */
export async function prepareInputImage(
  bytes: Buffer,
  spec: InputImageSpec,
  shot: { width: number; height: number; background: string },
): Promise<{ bytes: Buffer; contentType: string; width: number; height: number }> {
  let W: number, H: number;
  if (spec.fit === 'exact') {
    W = spec.width!;
    H = spec.height!;
  } else {
    const scale = Math.min(1, spec.maxSide / Math.max(shot.width, shot.height));
    W = even(shot.width * scale);
    H = even(shot.height * scale);
  }
  const box = Math.round(Math.min(W, H) * 0.9);
  const product = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
    .rotate()
    .flatten({ background: shot.background })
    .resize(box, box, { fit: 'inside' })
    .toBuffer({ resolveWithObject: true });
  const canvas = sharp({ create: { width: W, height: H, channels: 3, background: shot.background } }).composite([
    { input: product.data, left: Math.round((W - product.info.width) / 2), top: Math.round((H - product.info.height) / 2) },
  ]);
  const flat = await canvas.png().toBuffer();
  // Lower the JPEG quality, then the size, until the model's byte cap holds.
  for (const [quality, shrink] of [
    [90, 1],
    [80, 1],
    [70, 0.75],
    [60, 0.5],
  ] as const) {
    const img = shrink === 1 || spec.fit === 'exact' ? sharp(flat) : sharp(flat).resize(even(W * shrink), even(H * shrink));
    const out = spec.format === 'png' ? await img.png({ compressionLevel: 9 }).toBuffer() : await img.jpeg({ quality, mozjpeg: false }).toBuffer();
    if (out.length <= spec.maxBytes) {
      const meta = await sharp(out).metadata();
      return { bytes: out, contentType: spec.format === 'png' ? MIME.png : MIME.jpeg, width: meta.width ?? W, height: meta.height ?? H };
    }
  }
  throw new InputImageTooLargeError(
    `The product photo cannot be brought under ${spec.maxBytes} bytes for this model even at half size and JPEG quality 60: ` +
      `use a smaller photo or raise the profile's image.maxBytes.`,
  );
}

const even = (n: number) => Math.max(2, 2 * Math.round(n / 2));
