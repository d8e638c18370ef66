import sharp, { type Metadata } from 'sharp';
import { MIME } from '#domain/model/content-types';

/** Decompression-bomb guard: sharp refuses images with more pixels than this. */
export const MAX_INPUT_PIXELS = 50_000_000;

const ACCEPTED: Record<string, { ext: string; contentType: string }> = {
  jpeg: { ext: 'jpg', contentType: MIME.jpeg },
  png: { ext: 'png', contentType: MIME.png },
  webp: { ext: 'webp', contentType: MIME.webp },
  heif: { ext: 'avif', contentType: MIME.avif },
  gif: { ext: 'gif', contentType: MIME.gif },
  tiff: { ext: 'tiff', contentType: MIME.tiff },
};

export interface ImageInfo {
  format: string;
  ext: string;
  contentType: string;
  width: number;
  height: number;
}

export class UnsupportedImageError extends Error {
  override readonly name = 'UnsupportedImageError';
  readonly code = 'IMAGE_UNSUPPORTED';
}

/** Checks product-photo bytes by sniffing them (never trusting a name): a raster format sharp can decode, within the pixel cap. */
export async function inspectImage(bytes: Uint8Array, label: string): Promise<ImageInfo> {
  if (bytes.byteLength === 0) throw new UnsupportedImageError(`Image ${label} is empty (0 bytes): upload the photo again.`);
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  } catch (error) {
    throw new UnsupportedImageError(`Image ${label} is not a readable image (${(error as Error).message}): use a JPEG, PNG, WebP or AVIF file.`, {
      cause: error,
    });
  }
  const kind = meta.format ? ACCEPTED[meta.format] : undefined;
  if (!kind) throw new UnsupportedImageError(`Image ${label} is ${meta.format ?? 'of an unknown type'}: use a JPEG, PNG, WebP or AVIF file.`);
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width * height > MAX_INPUT_PIXELS)
    throw new UnsupportedImageError(`Image ${label} has ${width}×${height} pixels, above the ${MAX_INPUT_PIXELS} limit: scale it down.`);
  return { format: meta.format!, ext: kind.ext, contentType: kind.contentType, width, height };
}
