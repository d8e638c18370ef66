import sharp from 'sharp';
import { parseColor } from './color.ts';
import { fontDescription, FONTS, registerFonts, resolveFont } from './fonts.ts';
import type { FontId, FontWeight } from './fonts.ts';
import type { Overlay } from '#domain/model/storyboard';
import { MediaError } from './media-error.ts';

/** A text box the caller asked for cannot exist (zero or fractional size). */
export class TextImageError extends MediaError {
  override readonly name = 'TextImageError';
  override readonly code = 'TEXT_IMAGE_INVALID';
}

export interface TextImageOptions {
  text: string;
  /** Largest size to use; the text is only ever scaled down from here, to fit. */
  fontPx: number;
  color: string;
  /** Fill of a rounded box behind the text, e.g. `#000000b3`; absent means transparent. */
  background?: string;
  width: number;
  height: number;
  weight?: FontWeight;
  /** Font id or family (the overlay's optional `font`); absent or unknown → Inter, with every shipped family as fallback. */
  font?: string;
  align?: 'left' | 'center';
  /** A part of `text` drawn struck through and dimmed (the compare-at price). */
  strikethrough?: string;
  /** `pill`: a button with fully rounded ends and a soft shadow under it. */
  shape?: 'box' | 'pill';
  /** A campaign's own font (family name and file, see brand-font.ts): tried before the shipped fonts. */
  brandFont?: { family: string; path: string };
}

/** The drawing options of one storyboard overlay, on the background the contrast check chose for it. */
export function overlayTextOptions(o: Overlay, background: string | undefined, brandFont: TextImageOptions['brandFont']): TextImageOptions {
  return {
    text: o.text,
    fontPx: o.fontPx,
    color: o.color,
    background,
    width: o.box.w,
    height: o.box.h,
    font: o.font,
    strikethrough: o.strikethrough,
    shape: o.shape,
    brandFont,
  };
}

interface MaskStyle {
  font: FontId;
  weight: FontWeight;
  align: 'left' | 'center';
  strikethrough?: string;
  brandFont?: { family: string; path: string };
}

interface Mask {
  data: Buffer;
  width: number;
  height: number;
}

// sharp's text input is always Pango markup, so user text must be escaped or `<` breaks it.
function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Escaped markup of the text, with the struck-through part (its last occurrence) in a dimmed strikethrough span. */
function markup(text: string, strike: string | undefined): string {
  const at = strike ? text.lastIndexOf(strike) : -1;
  if (!strike || at < 0) return escapeMarkup(text);
  return (
    `${escapeMarkup(text.slice(0, at))}` +
    `<span strikethrough="true" alpha="62%">${escapeMarkup(strike)}</span>${escapeMarkup(text.slice(at + strike.length))}`
  );
}

/** Renders the text's coverage (one band, ink-cropped) at `size` px, wrapped at words inside `wrapWidth`. */
async function textMask(text: string, size: number, wrapWidth: number, style: MaskStyle): Promise<Mask> {
  const { font, weight, align } = style;
  const { data, info } = await sharp({
    text: {
      text: markup(text, style.strikethrough),
      // At 72 dpi a Pango point is one pixel, so `size` is the font size in px.
      font: fontDescription(font, weight, size, style.brandFont?.family),
      fontfile: style.brandFont?.path ?? FONTS[font].files[weight],
      dpi: 72,
      width: wrapWidth,
      wrap: 'word',
      align: align === 'center' ? 'centre' : 'left',
      rgba: true,
    },
  })
    .extractChannel(3)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Fits the text at the largest size ≤ requested; a last-resort resample guarantees nothing is cut off. */
async function fitMask(text: string, fontPx: number, innerW: number, innerH: number, style: MaskStyle): Promise<Mask> {
  let size = Math.max(1, Math.round(fontPx));
  let mask = await textMask(text, size, innerW, style);
  for (let attempt = 0; attempt < 8 && (mask.width > innerW || mask.height > innerH) && size > 1; attempt++) {
    // Wrapping changes with size, so shrink by the overflow ratio and re-measure rather than solve.
    const ratio = Math.min(innerW / mask.width, innerH / mask.height);
    size = Math.max(1, Math.min(size - 1, Math.floor(size * Math.max(ratio, 0.5) * 0.98)));
    mask = await textMask(text, size, innerW, style);
  }
  if (mask.width > innerW || mask.height > innerH) {
    const { data, info } = await sharp(mask.data, { raw: { width: mask.width, height: mask.height, channels: 1 } })
      .resize(innerW, innerH, { fit: 'inside' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    mask = { data, width: info.width, height: info.height };
  }
  return mask;
}

/** Pixels of a button's shadow under its face, at the bottom of the box. */
export function buttonShadow(height: number): number {
  return Math.max(1, Math.round(height * 0.06));
}

function roundedBoxSvg(width: number, height: number, fill: string, shape: 'box' | 'pill'): Buffer {
  const c = parseColor(fill);
  const fillAttrs = `fill="rgb(${c.r},${c.g},${c.b})" fill-opacity="${c.alpha}"`;
  if (shape === 'pill') {
    // A button: fully round ends, and a soft shadow peeking out under its face.
    const sh = buttonShadow(height);
    const r = Math.floor((height - sh) / 2);
    return Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
        `<rect x="0" y="${sh}" width="${width}" height="${height - sh}" rx="${r}" ry="${r}" fill="#000000" fill-opacity="${Math.min(0.45, c.alpha * 0.45)}"/>` +
        `<rect x="0" y="0" width="${width}" height="${height - sh}" rx="${r}" ry="${r}" ${fillAttrs}/></svg>`,
    );
  }
  const radius = Math.round(Math.min(height, width) * 0.2);
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<rect x="0" y="0" width="${width}" height="${height}" rx="${radius}" ry="${radius}" ${fillAttrs}/></svg>`,
  );
}

/** A text box as two layers: the box (absent without a background) and the coloured text, each raw RGBA of exactly width×height. */
export interface TextLayers {
  width: number;
  height: number;
  box?: Buffer;
  text: Buffer;
  /** Where the text's ink block sits (its rows); text motion splits it into lines. */
  textTop: number;
  textHeight: number;
}

/** Renders the box and the text of an overlay as separate raw RGBA layers (text motion animates them apart). */
export async function renderTextLayers(opts: TextImageOptions): Promise<TextLayers> {
  const { text, fontPx, width, height } = opts;
  const weight = opts.weight ?? 'bold';
  const align = opts.align ?? 'center';
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new TextImageError(`A text image must have a positive whole-pixel size, got ${width}×${height}: fix the overlay box.`);
  }
  if (!(fontPx > 0)) throw new TextImageError(`Font size must be positive, got ${fontPx}: fix the overlay's fontPx.`);
  await registerFonts();
  const font = resolveFont(opts.font);
  const color = parseColor(opts.color);
  const shape = opts.shape ?? 'box';
  const box = opts.background
    ? await sharp(roundedBoxSvg(width, height, opts.background, shape))
        .ensureAlpha()
        .raw()
        .toBuffer()
    : undefined;
  const layer = Buffer.alloc(width * height * 4);
  if (text.trim() === '') return { width, height, box, text: layer, textTop: 0, textHeight: 0 };

  // Padding keeps glyphs off the rounded corners; it shrinks with small boxes so text still fits.
  const padX = Math.min(Math.round(fontPx * 0.5), Math.floor(width * 0.08));
  const padY = Math.min(Math.round(fontPx * 0.15), Math.floor(height * 0.1));
  const innerW = Math.max(1, width - 2 * padX);
  const innerH = Math.max(1, height - 2 * padY);
  const faceH = shape === 'pill' && opts.background ? height - buttonShadow(height) : height;
  const mask = await fitMask(text, fontPx, innerW, Math.max(1, innerH - (height - faceH)), {
    font,
    weight,
    align,
    strikethrough: opts.strikethrough,
    brandFont: opts.brandFont,
  });

  // Colour the coverage ourselves: Pango markup colours would put user text back into markup.
  const left = align === 'center' ? Math.round((width - mask.width) / 2) : padX;
  const top = Math.max(0, Math.round((faceH - mask.height) / 2));
  for (let y = 0; y < mask.height && top + y < height; y++) {
    for (let x = 0; x < mask.width && left + x < width; x++) {
      const a = mask.data[y * mask.width + x];
      if (a === 0) continue;
      const o = ((top + y) * width + left + x) * 4;
      layer[o] = color.r;
      layer[o + 1] = color.g;
      layer[o + 2] = color.b;
      layer[o + 3] = Math.round(a * color.alpha);
    }
  }
  return { width, height, box, text: layer, textTop: top, textHeight: Math.min(mask.height, height - top) };
}

/** Renders text (shipped TTFs, never a system font) into an RGBA PNG of exactly width×height, with an optional rounded box. */
export async function renderTextImage(opts: TextImageOptions): Promise<Buffer> {
  const layers = await renderTextLayers(opts);
  const raw = { width: layers.width, height: layers.height, channels: 4 as const };
  const base = layers.box ? sharp(layers.box, { raw }) : sharp({ create: { ...raw, background: { r: 0, g: 0, b: 0, alpha: 0 } } });
  return base
    .composite([{ input: layers.text, raw }])
    .png()
    .toBuffer();
}
