import metrics from './font-metrics.json' with { type: 'json' };
import { dominantScript, scriptOf } from './scripts.ts';

/*
 * Text measurement from the shipped fonts' own advance widths (shared/domain/planning/font-metrics.json, made by
 * scripts/build-font-metrics.ts from the TTFs in #media/fonts). Pure and fast: one typed-array lookup
 * per code point. Kerning is not applied, so a measured width is an upper bound of what Pango draws.
 */

/** A font id of `#media/fonts` FONTS, in fallback order (Inter first, then Noto Sans and one Noto family per script). */
export type FontId = string;

interface FontTable {
  id: FontId;
  unitsPerEm: number;
  lineHeight: number;
  covers: readonly string[];
  /** Advance in font units per BMP code point; -1 = the font has no glyph (or it is outside the measured ranges). */
  advances: Int16Array;
}

function decodeBits(base64: string): Uint8Array {
  const raw = atob(base64);
  const bits = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bits[i] = raw.charCodeAt(i);
  return bits;
}

function loadFont(id: FontId, font: { unitsPerEm: number; lineHeight: number; covers?: string[]; coverage: string; advances: number[] }): FontTable {
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
  return { id, unitsPerEm: font.unitsPerEm, lineHeight: font.lineHeight, covers: font.covers ?? [], advances };
}

const FONTS: readonly FontTable[] = Object.entries(metrics.fonts).map(([id, font]) => loadFont(id, font));
const BY_ID = new Map(FONTS.map((f) => [f.id, f]));

/** Font ids in the order the planner (and Pango's fallback list) tries them. */
export const FONT_ORDER: readonly FontId[] = FONTS.map((f) => f.id);

function table(font: FontId): FontTable {
  const t = BY_ID.get(font);
  if (!t)
    throw new Error(`Unknown font "${font}": known fonts are ${FONT_ORDER.join(', ')} (re-run scripts/build-font-metrics.ts after changing #media/fonts).`);
  return t;
}

/** Whether a font has a glyph for the code point. */
export function hasGlyph(font: FontId, cp: number): boolean {
  return cp < 0x10000 && table(font).advances[cp] >= 0;
}

/** Whether any shipped font has a glyph for the code point. */
export function anyFontHas(cp: number): boolean {
  return cp < 0x10000 && FONTS.some((f) => f.advances[cp] >= 0);
}

// Zero-width space, word joiner and variation selectors only make sense beside emoji, which no font covers.
// ZWNJ and ZWJ stay where a shaping font has them (Persian words, Devanagari half forms).
const INVISIBLE = /[\u200b\u2060\ufe0e\ufe0f]/gu;
// Format characters draw nothing and take no room: joiners, variation selectors and the bidi marks Intl puts in prices (ar: U+061C, U+200F).
const ZERO_WIDTH = new Set([0x061c, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x2060, 0xfe0e, 0xfe0f]);

/**
 * Makes text drawable by the shipped fonts: NFC, whitespace collapsed, and every code point that no
 * font has (emoji, scripts outside font-metrics.json) removed — never drawn as tofu. What was removed is
 * reported by `undrawable` (the planner's text notices), never dropped silently.
 */
export function drawableText(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC').replace(INVISIBLE, '').replace(/\s+/gu, ' ')) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x20 || anyFontHas(cp)) out += ch;
  }
  // A ZWJ left beside a removed emoji is invisible noise.
  return out
    .replace(/(^|[ \u200d])\u200d+|\u200d+(?=$| )/gu, '$1')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** The characters of the text no shipped font draws, grouped by script (`emoji`, `tamil`, …), in order of appearance. */
export function undrawable(text: string): Array<{ script: string; count: number; sample: string }> {
  const out = new Map<string, { script: string; count: number; sample: string }>();
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0)!;
    if (/\s/u.test(ch) || ZERO_WIDTH.has(cp) || anyFontHas(cp)) continue;
    const script = scriptOf(ch);
    if (script === 'inherited') continue;
    const entry = out.get(script) ?? { script, count: 0, sample: '' };
    entry.count += 1;
    if ([...entry.sample].length < 8) entry.sample += ch;
    out.set(script, entry);
  }
  return [...out.values()];
}

/** The first font (in FONT_ORDER) that has every glyph of the text; undefined when none does. */
export function fontFor(text: string): FontId | undefined {
  for (const font of FONTS) {
    let ok = true;
    for (let i = 0; i < text.length && ok; i++) {
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) {
        ok = false;
        break;
      }
      if (font.advances[cp] < 0) ok = false;
    }
    if (ok) return font.id;
  }
  return undefined;
}

/** The CJK font for Han ideographs: kana means Japanese, Hangul Korean, else the locale decides (Simplified Chinese by default). */
function hanFont(text: string, locale: string | undefined): FontId {
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text)) return 'noto-sans-jp';
  if (/\p{Script=Hangul}/u.test(text)) return 'noto-sans-kr';
  const l = (locale ?? '').toLowerCase();
  if (l.startsWith('ja')) return 'noto-sans-jp';
  if (l.startsWith('ko')) return 'noto-sans-kr';
  if (/^zh-(hant|tw|hk|mo)/.test(l)) return 'noto-sans-tc';
  return 'noto-sans-sc';
}

/**
 * The primary font for a text: the font made for its dominant script (Han by language), Inter for Latin,
 * digits and punctuation. Glyphs the primary font lacks come from FONT_ORDER (see `measureText`).
 */
export function primaryFont(text: string, locale?: string): FontId {
  const script = dominantScript(text);
  if (script === 'han' || script === 'kana' || script === 'hangul')
    return script === 'han' ? hanFont(text, locale) : script === 'kana' ? 'noto-sans-jp' : 'noto-sans-kr';
  return FONTS.find((f) => f.covers.includes(script))?.id ?? FONT_ORDER[0];
}

/**
 * The font to draw the text with and the text it can draw: the primary font for its scripts, and the
 * text without the characters no font has. Undefined when nothing drawable is left.
 */
export function fontAndText(text: string, locale?: string): { font: FontId; text: string } | undefined {
  const kept = drawableText(text);
  if (kept === '') return undefined;
  return { font: primaryFont(kept, locale), text: kept };
}

/**
 * Latin advances without kerning bound what Pango draws; for the other scripts shaping and Pango's spacing
 * around spaces can add a little (Hangul lines measure ~1 % wider), so their widths carry this margin.
 */
const SHAPED_MARGIN = 1.03;

/** The font that draws one code point: the primary font when it has it, else the first in FONT_ORDER that does. */
function glyphTable(primary: FontTable, cp: number): FontTable | undefined {
  if (cp < 0x10000 && primary.advances[cp] >= 0) return primary;
  return cp < 0x10000 ? FONTS.find((f) => f.advances[cp] >= 0) : undefined;
}

/**
 * Width in px of one line of text at `px`, from the advances of the font that draws each character (the
 * primary font, else Pango's fallback in FONT_ORDER): an upper bound, with no kerning and shaping.
 */
export function measureText(text: string, font: FontId, px: number): number {
  const t = table(font);
  let width = 0;
  for (let i = 0; i < text.length; i++) {
    const cp = text.charCodeAt(i);
    if (ZERO_WIDTH.has(cp)) continue;
    const g = glyphTable(t, cp);
    // A character no font has measures as one em: callers pass drawable text, so this is only a guard.
    width += g ? g.advances[cp] / g.unitsPerEm : 1;
  }
  return width * px * (t.covers.includes('latin') ? 1 : SHAPED_MARGIN);
}

/** Height in px of one line of text at `px`: the tallest line box among the fonts that draw its characters. */
export function textLineHeight(text: string, font: FontId, px: number): number {
  const t = table(font);
  let units = t.lineHeight / t.unitsPerEm;
  for (let i = 0; i < text.length; i++) {
    const cp = text.charCodeAt(i);
    const g = ZERO_WIDTH.has(cp) ? undefined : glyphTable(t, cp);
    if (g && g !== t) units = Math.max(units, g.lineHeight / g.unitsPerEm);
  }
  return units * px;
}

/** Height in px of one line of text at `px` (the font's ascent + descent, as Pango spaces lines). */
export function lineHeight(font: FontId, px: number): number {
  const t = table(font);
  return (t.lineHeight * px) / t.unitsPerEm;
}
