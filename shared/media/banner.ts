import { stat, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { Metadata, OverlayOptions } from 'sharp';
import type { ChannelSpec } from '#domain/model/channel-spec';
import type { Box, Storyboard } from '#domain/model/storyboard';
import { outputKind } from '#domain/model/output-kinds';
import { parseColor } from './color.ts';
import { MediaError } from './media-error.ts';
import { isolateProduct, normalizeImage } from './product-image.ts';
import { ensureContrast } from './text-contrast.ts';
import type { BrandFont } from './brand-font.ts';
import { overlayTextOptions, renderTextImage } from './text-image.ts';

/** The storyboard is not a banner, or does not match the channel. */
export class BannerError extends MediaError {
  override readonly name = 'BannerError';
  override readonly code = 'BANNER_INVALID';
}

/** No quality of any allowed format brings the banner under the channel's byte cap. */
export class BannerTooLargeError extends MediaError {
  override readonly name = 'BannerTooLargeError';
  override readonly code = 'BANNER_TOO_LARGE';
}

export interface BannerOptions {
  /** The campaign's own font (brand.font), tried before the shipped fonts. */
  brandFont?: BrandFont;
  storyboard: Storyboard;
  channel: ChannelSpec;
  /** The product photo bytes (the still's imageKey, loaded by the caller). */
  image?: Buffer;
  /** Written with the chosen format's extension appended (`.jpg` or `.png`). */
  outPathBase: string;
}

export interface BannerResult {
  path: string;
  format: 'jpeg' | 'png';
  bytes: number;
  /** JPEG quality used (absent for PNG). */
  quality?: number;
}

/** The raw RGB vertical gradient of the banner background. */
function gradient(width: number, height: number, from: string, to: string): Buffer {
  const a = parseColor(from);
  const b = parseColor(to);
  const buf = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    const t = height === 1 ? 0 : y / (height - 1);
    const r = Math.round(a.r + (b.r - a.r) * t),
      g = Math.round(a.g + (b.g - a.g) * t),
      bl = Math.round(a.b + (b.b - a.b) * t);
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3;
      buf[p] = r;
      buf[p + 1] = g;
      buf[p + 2] = bl;
    }
  }
  return buf;
}

/** Where a w×h product sits inside its box: centred, or pushed towards the focus side. */
function placeIn(box: Box, w: number, h: number, focus: string): { left: number; top: number } {
  let left = box.x + Math.round((box.w - w) / 2);
  let top = box.y + Math.round((box.h - h) / 2);
  if (focus === 'left') left = box.x;
  if (focus === 'right') left = box.x + box.w - w;
  if (focus === 'top') top = box.y;
  if (focus === 'bottom') top = box.y + box.h - h;
  return { left, top };
}

/** The pixels under a box of the composed background, for the contrast check. */
function samplesUnder(rgb: Buffer, width: number, box: Box, height: number): Uint8Array {
  const out: number[] = [];
  const x1 = Math.min(width, box.x + box.w),
    y1 = Math.min(height, box.y + box.h);
  const step = Math.max(1, Math.round(Math.sqrt((box.w * box.h) / 3000)));
  for (let y = Math.max(0, box.y); y < y1; y += step) {
    for (let x = Math.max(0, box.x); x < x1; x += step) {
      const p = (y * width + x) * 3;
      out.push(rgb[p], rgb[p + 1], rgb[p + 2]);
    }
  }
  return Uint8Array.from(out);
}

/**
 * Renders a static display banner from an image storyboard with sharp: brand gradient, the isolated
 * product with a soft shadow in its box, then headline, price and CTA (each box made legible, WCAG
 * ≥ 4.5:1). Encodes at exactly the channel size and under its byte cap: a palette PNG when that is
 * small (flat, typographic art keeps crisp text), else the best JPEG quality that fits (binary search).
 */
export async function renderBanner(opts: BannerOptions): Promise<BannerResult> {
  const { storyboard, channel } = opts;
  const still = storyboard.still;
  if (outputKind(storyboard.kind).plan !== 'still' || !still)
    throw new BannerError(`Storyboard ${storyboard.hash} is not an image storyboard: plan it for an image channel.`);
  const { width: W, height: H } = channel;
  if (storyboard.width !== W || storyboard.height !== H) {
    throw new BannerError(
      `Storyboard ${storyboard.hash} is ${storyboard.width}×${storyboard.height} but ${channel.id} is ${W}×${H}: re-plan it for this channel.`,
    );
  }
  const layers: OverlayOptions[] = [];
  if (opts.image && still.productBox) {
    const box = still.productBox;
    const product = isolateProduct(await normalizeImage(opts.image, `banner ${storyboard.sku}/${channel.id}`));
    const scale = Math.min(box.w / product.width, box.h / product.height);
    const w = Math.max(1, Math.round(product.width * scale));
    const h = Math.max(1, Math.round(product.height * scale));
    const fitted = await sharp(product.data, { raw: { width: product.width, height: product.height, channels: 4 } })
      .resize(w, h, { fit: 'fill', kernel: 'lanczos3' })
      .raw()
      .toBuffer();
    const { left, top } = placeIn(box, w, h, still.focus);
    if (product.method !== 'none') {
      // The same soft contact shadow as the video plates, drawn on a full-canvas layer so its blur is never clipped.
      const blur = Math.max(0.5, Math.min(W, H) * 0.015);
      const off = Math.round(blur);
      const canvas = Buffer.alloc(W * H * 4);
      for (let y = 0; y < h; y++) {
        const cy = top + off + y;
        if (cy < 0 || cy >= H) continue;
        for (let x = 0; x < w; x++) {
          const cx = left + off + x;
          if (cx >= 0 && cx < W) canvas[(cy * W + cx) * 4 + 3] = Math.round(fitted[(y * w + x) * 4 + 3] * 0.35);
        }
      }
      layers.push({
        input: await sharp(canvas, { raw: { width: W, height: H, channels: 4 } })
          .blur(blur)
          .png()
          .toBuffer(),
        left: 0,
        top: 0,
      });
    }
    layers.push({ input: fitted, raw: { width: w, height: h, channels: 4 }, left, top });
  }
  const backdrop = await sharp(gradient(W, H, still.background[0], still.background[1]), { raw: { width: W, height: H, channels: 3 } })
    .composite(layers)
    .removeAlpha()
    .raw()
    .toBuffer();
  const texts: OverlayOptions[] = [];
  for (const o of storyboard.overlays) {
    const { background } = ensureContrast(o.color, o.background, samplesUnder(backdrop, W, o.box, H));
    const png = await renderTextImage(overlayTextOptions(o, background, opts.brandFont));
    texts.push({ input: png, left: o.box.x, top: o.box.y });
  }
  const art = await sharp(backdrop, { raw: { width: W, height: H, channels: 3 } })
    .composite(texts)
    .removeAlpha()
    .raw()
    .toBuffer();
  return encodeUnderCap(art, channel, opts.outPathBase);
}

/** Picks the format and quality: PNG when allowed and at most 60% of the cap, else the highest JPEG quality under the cap. */
async function encodeUnderCap(rgb: Buffer, channel: ChannelSpec, outPathBase: string): Promise<BannerResult> {
  const { width, height, maxBytes } = channel;
  const formats = channel.image?.formats ?? ['jpeg', 'png'];
  const img = () => sharp(rgb, { raw: { width, height, channels: 3 } });
  if (formats.includes('png')) {
    const png = await img().png({ palette: true, quality: 90, compressionLevel: 9, effort: 7 }).toBuffer();
    if (png.length <= maxBytes * 0.6 || !formats.includes('jpeg')) {
      if (png.length > maxBytes)
        throw new BannerTooLargeError(
          `The ${channel.id} banner is ${png.length} bytes as PNG, above the ${maxBytes}-byte cap, and JPEG is not allowed: allow JPEG for this channel.`,
        );
      const path = `${outPathBase}.png`;
      await writeFile(path, png);
      return { path, format: 'png', bytes: png.length };
    }
  }
  const jpeg = (quality: number) =>
    img()
      .jpeg({ quality, mozjpeg: true, chromaSubsampling: quality >= 90 ? '4:4:4' : '4:2:0' })
      .toBuffer();
  // Binary search for the highest quality under the cap: quality is monotone in bytes for one image.
  let lo = 30,
    hi = 95;
  let best: { quality: number; bytes: Buffer } | undefined;
  const top = await jpeg(hi);
  if (top.length <= maxBytes) best = { quality: hi, bytes: top };
  while (!best && lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const bytes = await jpeg(mid);
    if (bytes.length <= maxBytes) {
      best = { quality: mid, bytes };
      lo = mid + 1;
      // Keep searching upward for a better quality that still fits.
      while (lo <= hi) {
        const m = Math.floor((lo + hi) / 2);
        const b = await jpeg(m);
        if (b.length <= maxBytes) {
          best = { quality: m, bytes: b };
          lo = m + 1;
        } else hi = m - 1;
      }
    } else hi = mid - 1;
  }
  if (!best)
    throw new BannerTooLargeError(`The ${channel.id} banner is above the ${maxBytes}-byte cap even as a quality-30 JPEG: simplify the art or raise the cap.`);
  const path = `${outPathBase}.jpg`;
  await writeFile(path, best.bytes);
  return { path, format: 'jpeg', bytes: best.bytes.length, quality: best.quality };
}

/** Checks a banner file: exact size, bytes within the cap, a format the channel accepts. */
export async function validateBanner(path: string, channel: ChannelSpec): Promise<{ ok: boolean; problems: string[]; bytes: number; format: string }> {
  const problems: string[] = [];
  let meta: Metadata;
  try {
    meta = await sharp(path).metadata();
  } catch (error) {
    return { ok: false, problems: [`The banner is not a readable image (${(error as Error).message}).`], bytes: 0, format: 'unknown' };
  }
  const { size } = await stat(path);
  const format = meta.format ?? 'unknown';
  const allowed = channel.image?.formats ?? ['jpeg', 'png'];
  if (!allowed.includes(format as 'jpeg')) problems.push(`Format is ${format}, but ${channel.id} accepts ${allowed.join(' or ')}.`);
  if (meta.width !== channel.width || meta.height !== channel.height)
    problems.push(`Size is ${meta.width}×${meta.height}, but ${channel.id} needs exactly ${channel.width}×${channel.height}.`);
  if (size > channel.maxBytes) problems.push(`File is ${size} bytes, above ${channel.id}'s ${channel.maxBytes}-byte cap.`);
  return { ok: problems.length === 0, problems, bytes: size, format };
}
