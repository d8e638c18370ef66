import metrics from './font-metrics.json' with { type: 'json' };

/*
 * Text measurement from the shipped fonts' own advance widths (shared/domain/font-metrics.json, made by
 * scripts/build-font-metrics.ts from the TTFs in #media/fonts). Pure and fast: one typed-array lookup
 * per code point. Kerning is not applied, so a measured width is an upper bound of what Pango draws.
 */

/** A font id of `#media/fonts` FONTS, in fallback order (Inter first, then the CJK font). */
export type FontId = string;

interface FontTable {
  id: FontId;
  unitsPerEm: number;
  lineHeight: number;
  /** Advance in font units per BMP code point; -1 = the font has no glyph (or it is outside the measured ranges). */
  advances: Int16Array;
}

function decodeBits(base64: string): Uint8Array {
  const raw = atob(base64);
  const bits = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bits[i] = raw.charCodeAt(i);
  return bits;
}

function loadFont(id: FontId, font: { unitsPerEm: number; lineHeight: number; coverage: string; advances: number[] }): FontTable {
  const advances = new Int16Array(0x10000).fill(-1);
  const bits = decodeBits(font.coverage);
  const values: number[] = [];
  for (let i = 0; i < font.advances.length; i++) {
    const v = font.advances[i];
    if (v < 0) for (let n = 0, next = font.advances[++i]; n < -v; n++) values.push(next);
    else values.push(v);
  }
  let offset = 0;
  let next = 0;
  for (const [from, to] of metrics.ranges) {
    for (let cp = from; cp <= to; cp++, offset++) if (bits[offset >> 3] & (1 << (offset & 7))) advances[cp] = values[next++];
  }
  return { id, unitsPerEm: font.unitsPerEm, lineHeight: font.lineHeight, advances };
}

const FONTS: readonly FontTable[] = Object.entries(metrics.fonts).map(([id, font]) => loadFont(id, font));
const BY_ID = new Map(FONTS.map((f) => [f.id, f]));

/** Font ids in the order the planner tries them. */
export const FONT_ORDER: readonly FontId[] = FONTS.map((f) => f.id);

function table(font: FontId): FontTable {
  const t = BY_ID.get(font);
  if (!t) throw new Error(`Unknown font "${font}": known fonts are ${FONT_ORDER.join(', ')} (re-run scripts/build-font-metrics.ts after changing #media/fonts).`);
  return t;
}

/** Whether a font has a glyph for the code point. */
export function hasGlyph(font: FontId, cp: number): boolean {
  return cp < 0x10000 && table(font).advances[cp] >= 0;
}

// Zero-width joiners and variation selectors only make sense beside emoji, which no font covers.
const INVISIBLE = /[\u200b-\u200d\u2060\ufe0e\ufe0f]/gu;

/**
 * Makes text drawable by the shipped fonts: NFC, whitespace collapsed, and every code point that no
 * font has (emoji, Hangul, scripts outside font-metrics.json) removed — never drawn as tofu.
 */
export function drawableText(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC').replace(INVISIBLE, '').replace(/\s+/gu, ' ')) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x20 || FONTS.some((f) => cp < 0x10000 && f.advances[cp] >= 0)) out += ch;
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

/** The first font (in FONT_ORDER) that has every glyph of the text; undefined when none does. */
export function fontFor(text: string): FontId | undefined {
  for (const font of FONTS) {
    let ok = true;
    for (let i = 0; i < text.length && ok; i++) {
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) { ok = false; break; }
      if (font.advances[cp] < 0) ok = false;
    }
    if (ok) return font.id;
  }
  return undefined;
}

/**
 * The font to draw the text with and the text it can draw: the first font with every glyph, else the
 * font with the most of them, with the glyphs it lacks removed (mixed "一 ❤" keeps "一" in Noto Sans JP).
 */
export function fontAndText(text: string): { font: FontId; text: string } | undefined {
  const whole = fontFor(text);
  if (whole) return { font: whole, text };
  let best: { font: FontId; text: string; count: number } | undefined;
  for (const font of FONTS) {
    let kept = '';
    let count = 0;
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x10000 && font.advances[cp] >= 0) { kept += ch; if (cp !== 0x20) count++; }
    }
    if (count > 0 && (!best || count > best.count)) best = { font: font.id, text: kept.replace(/ {2,}/g, ' ').trim(), count };
  }
  return best && { font: best.font, text: best.text };
}

/** Width in px of one line of text at `px`, from the font's advances (an upper bound: no kerning). */
export function measureText(text: string, font: FontId, px: number): number {
  const t = table(font);
  let units = 0;
  for (let i = 0; i < text.length; i++) {
    const a = t.advances[text.charCodeAt(i)];
    // A character the font lacks measures as one em: callers pass drawable text, so this is only a guard.
    units += a >= 0 ? a : t.unitsPerEm;
  }
  return (units * px) / t.unitsPerEm;
}

/** Height in px of one line of text at `px` (the font's ascent + descent, as Pango spaces lines). */
export function lineHeight(font: FontId, px: number): number {
  const t = table(font);
  return (t.lineHeight * px) / t.unitsPerEm;
}
