import type { Box } from '#domain/model/storyboard';
import { fontAndText, measureText, textLineHeight, type FontId } from './text-metrics.ts';

/*
 * Fitting copy into boxes with measured text. A box is sized so that, after the renderer's own padding
 * (textInset, which mirrors #media/text-image), every planned line fits at the planned size: the
 * renderer then never needs to shrink or re-wrap the text.
 */

/** The padding the text renderer keeps inside a box (kept in step with renderTextImage). */
export function textInset(fontPx: number, w: number, h: number): { padX: number; padY: number } {
  return { padX: Math.min(Math.round(fontPx * 0.5), Math.floor(w * 0.08)), padY: Math.min(Math.round(fontPx * 0.15), Math.floor(h * 0.1)) };
}

export interface FittedText {
  lines: string[];
  font: FontId;
  fontPx: number;
  /** Widest line in px at fontPx. */
  width: number;
  /** The copy had to be shortened (an ellipsis was added). */
  truncated: boolean;
  /** Box size that holds the lines with the renderer's padding. */
  w: number;
  h: number;
}

const ELLIPSIS = '…';
// Break anywhere around ideographs and kana (as Pango does), except before closing punctuation.
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]/u;
const NO_BREAK_BEFORE = /[、。，．・：；？！）」』】〕〉》ー゛゜ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ）,.!?:;%]/u;

// Thai writes no spaces between words: ICU's dictionary finds the breaks. Everything breaks between graphemes only,
// so a vowel sign or tone mark never starts a line on its own.
const THAI = /\p{Script=Thai}/u;
const thaiWords = new Intl.Segmenter('th', { granularity: 'word' });
const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const graphemes = (text: string): string[] => Array.from(graphemeSegmenter.segment(text), (s) => s.segment);

/** Splits text into unbreakable pieces; `space` marks a piece that follows a space. */
function pieces(text: string): Array<{ text: string; space: boolean }> {
  const out: Array<{ text: string; space: boolean }> = [];
  let space = false;
  for (const word of text.split(' ')) {
    if (word === '') {
      space = out.length > 0;
      continue;
    }
    if (THAI.test(word)) {
      Array.from(thaiWords.segment(word), (s) => s.segment).forEach((piece, i) => out.push({ text: piece, space: i === 0 && space }));
      space = true;
      continue;
    }
    let current = '';
    for (const ch of graphemes(word)) {
      const breakHere = current !== '' && (CJK.test(ch) || CJK.test(current.at(-1)!)) && !NO_BREAK_BEFORE.test(ch);
      if (breakHere) {
        out.push({ text: current, space });
        space = false;
        current = '';
      }
      current += ch;
    }
    out.push({ text: current, space });
    space = true;
  }
  return out;
}

/** Cuts a piece that is wider than a line into character chunks that fit. */
function hardBreak(piece: string, font: FontId, px: number, maxWidth: number): string[] {
  const chunks: string[] = [];
  let current = '';
  let width = 0;
  for (const ch of graphemes(piece)) {
    const w = measureText(ch, font, px);
    if (current && width + w > maxWidth) {
      chunks.push(current);
      current = '';
      width = 0;
    }
    current += ch;
    width += w;
  }
  if (current) chunks.push(current);
  return chunks;
}

/** Greedy word wrap of drawable text into lines of at most maxWidth px (widths add up: no kerning). */
export function wrapText(text: string, font: FontId, px: number, maxWidth: number, maxLines = Infinity): string[] {
  const lines: string[] = [];
  const spaceW = measureText(' ', font, px);
  let line = '';
  let lineW = 0;
  for (const piece of pieces(text)) {
    const w = measureText(piece.text, font, px);
    const extra = line === '' ? w : w + (piece.space ? spaceW : 0);
    if (lineW + extra <= maxWidth) {
      line += line === '' ? piece.text : (piece.space ? ' ' : '') + piece.text;
      lineW += extra;
      continue;
    }
    if (line !== '') lines.push(line);
    // Past the last line the caller only needs to know there is more.
    if (lines.length > maxLines) return lines;
    if (w <= maxWidth) {
      line = piece.text;
      lineW = w;
      continue;
    }
    const chunks = hardBreak(piece.text, font, px, maxWidth);
    lines.push(...chunks.slice(0, -1));
    line = chunks.at(-1) ?? '';
    lineW = measureText(line, font, px);
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Shortens the last line at a word boundary (a character boundary only when no word fits) so "…" fits. */
function withEllipsis(line: string, rest: boolean, font: FontId, px: number, maxWidth: number): string {
  if (!rest && measureText(line, font, px) <= maxWidth) return line;
  const parts = pieces(line);
  for (let n = parts.length; n > 0; n--) {
    const head = parts
      .slice(0, n)
      .map((p, i) => (i > 0 && p.space ? ' ' : '') + p.text)
      .join('')
      .replace(/[\s,.;:–—-]+$/u, '');
    if (head && measureText(head + ELLIPSIS, font, px) <= maxWidth) return head + ELLIPSIS;
  }
  let head = '';
  for (const ch of line) {
    if (measureText(head + ch + ELLIPSIS, font, px) > maxWidth) break;
    head += ch;
  }
  return head + ELLIPSIS;
}

export interface FitRequest {
  /** Drawable text (see drawableText): every code point is in some font. */
  text: string;
  minPx: number;
  preferredPx: number;
  /** Widest box allowed, in px. */
  maxBoxWidth: number;
  maxLines: number;
  /** Tallest box allowed, in px (defaults to no limit). */
  maxBoxHeight?: number;
  /** Never shorten: give up (undefined) rather than cut (prices). */
  whole?: boolean;
  /** BCP 47 language of the copy: picks the CJK font for Han (ja, ko, zh-Hans, zh-Hant). */
  locale?: string;
}

/** Box size for lines of a measured width, padded the way the renderer pads (plus 1 px for rounding). */
function boxSize(width: number, lines: number, unitLine: number, px: number): { w: number; h: number } {
  return { w: Math.ceil(width + 2 * Math.round(px * 0.5)) + 1, h: Math.ceil(blockHeight(lines, unitLine) * px + 2 * Math.round(px * 0.15)) + 1 };
}

/**
 * The renderer crops a text block to its ink and centres it, so one line needs its ink height (at most
 * FIRST_LINE_EM), not the font's whole line box: Noto Sans Arabic spaces lines 2.17 em apart, and a
 * single Arabic letter in a Latin title must not make a banner's headline box twice as tall.
 */
const FIRST_LINE_EM = 1.5;

/** Height in em of n lines spaced `unitLine` em apart, the first counted at its ink height. */
export function blockHeight(lines: number, unitLine: number): number {
  return lines <= 0 ? 0 : Math.min(unitLine, FIRST_LINE_EM) + (lines - 1) * unitLine;
}

/** How many lines spaced `unitLine` em apart fit in `height` px at `px`. */
function linesIn(height: number, unitLine: number, px: number): number {
  const first = Math.min(unitLine, FIRST_LINE_EM) * px;
  return height < first ? 0 : 1 + Math.floor((height - first) / (unitLine * px));
}

/**
 * Fits text at the largest size from preferredPx down to minPx where it fits whole in maxLines;
 * if it fits at no size, it is shortened at a word boundary at minPx. Undefined when not even the
 * ellipsis fits (or `whole` text does not fit).
 */
export function fitText(req: FitRequest): FittedText | undefined {
  // The same copy meets the same box on many channels and templates: remember recent answers.
  const key = `${req.minPx}|${req.preferredPx}|${req.maxBoxWidth}|${req.maxLines}|${req.maxBoxHeight}|${req.whole ? 1 : 0}|${req.locale ?? ''}|${req.text}`;
  if (fitCache.has(key)) return fitCache.get(key);
  const result = computeFit(req);
  if (fitCache.size >= 20_000) fitCache.clear();
  fitCache.set(key, result);
  return result;
}

const fitCache = new Map<string, FittedText | undefined>();

function computeFit(req: FitRequest): FittedText | undefined {
  const chosen = fontAndText(req.text, req.locale);
  if (!chosen || chosen.text === '') return undefined;
  const { font } = chosen;
  // Lines are as tall as the tallest font drawing any of their characters (Pango's fallback fonts too).
  const unitLine = textLineHeight(chosen.text, font, 1);
  req = { ...req, text: chosen.text };
  const maxH = req.maxBoxHeight ?? Infinity;
  const sizes: number[] = [];
  for (let px = Math.round(req.preferredPx); px > req.minPx; px = Math.min(px - 1, Math.floor(px * 0.9))) sizes.push(px);
  sizes.push(Math.round(req.minPx));
  for (const px of sizes) {
    const innerW = req.maxBoxWidth - 2 * Math.round(px * 0.5) - 1;
    if (innerW <= 0) continue;
    const maxLines = Math.min(req.maxLines, linesIn(maxH - 2 * Math.round(px * 0.15) - 1, unitLine, px));
    const lines = wrapText(req.text, font, px, innerW, maxLines);
    if (lines.length <= maxLines) return fitted(lines, font, px, false, unitLine);
  }
  if (req.whole) return undefined;
  const px = Math.round(req.minPx);
  const innerW = req.maxBoxWidth - 2 * Math.round(px * 0.5) - 1;
  const maxLines = Math.min(req.maxLines, linesIn(maxH - 2 * Math.round(px * 0.15) - 1, unitLine, px));
  if (innerW <= 0 || maxLines < 1) return undefined;
  const lines = wrapText(req.text, font, px, innerW, maxLines).slice(0, maxLines + 1);
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = withEllipsis(kept[maxLines - 1], lines.length > maxLines, font, px, innerW);
  if (kept[maxLines - 1] === ELLIPSIS || measureText(kept[maxLines - 1], font, px) > innerW) return undefined;
  return fitted(kept, font, px, true, unitLine);
}

function fitted(lines: string[], font: FontId, fontPx: number, truncated: boolean, unitLine: number): FittedText {
  const width = Math.max(...lines.map((l) => measureText(l, font, fontPx)));
  return { lines, font, fontPx, width, truncated, ...boxSize(width, lines.length, unitLine, fontPx) };
}

/** Centres a w×h box horizontally in `area` with its top at y. */
export function centredBox(area: Box, w: number, h: number, y: number): Box {
  return { x: area.x + Math.floor((area.w - w) / 2), y, w, h };
}
