import type { OverlaySlot } from '#domain/model/template';
import type { TextLayers } from './text-image.ts';

/*
 * Text that animates in, inside the one ffmpeg pass at almost no cost per frame: the entry is drawn here
 * once as a strip of tiles (one per frame of the entry, the last one the text at rest), and the filter
 * graph shows tile min(n, last) with a per-frame crop, which moves a pointer and copies nothing. Exits are
 * an alpha fade plus an upward drift (an overlay y expression of t).
 */

/**
 * `rise`: box and text slide up into place; `stagger`: the box fades in, then each line rises after the one before;
 * `pop`: scales up with a small overshoot; `fade`: alpha only.
 */
export type TextMotion = 'fade' | 'rise' | 'stagger' | 'pop';

/** The motion a slot gets: headlines and features rise line by line, prices rise, the badge and the CTA button pop. */
export function motionFor(slot: OverlaySlot): TextMotion {
  switch (slot) {
    case 'headline':
    case 'feature':
      return 'stagger';
    case 'price':
      return 'rise';
    case 'discount':
    case 'cta':
      return 'pop';
    case 'brand':
      return 'fade';
  }
}

/** Seconds one line (or the whole box) takes to come in, and the delay between lines of a stagger. */
export const ENTRY_SECONDS = 0.45;
export const LINE_LAG = 0.12;
/** The longest entry any overlay has (poster time waits for it): three staggered lines. */
export const MAX_ENTRY_SECONDS = ENTRY_SECONDS + 2 * LINE_LAG;

export interface MotionStrip {
  /** Raw RGBA, tileW × (tileH · tiles), tile k = frame k of the entry; the last tile is the overlay at rest. */
  data: Buffer;
  tileW: number;
  tileH: number;
  tiles: number;
  /** Where the tile's top-left sits relative to the overlay box (margins for the slide or the overshoot). */
  offsetX: number;
  offsetY: number;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const easeOutCubic = (p: number) => 1 - (1 - p) ** 3;
/** Overshoots by about 6 % before settling (easeOutBack with a small constant). */
const easeOutBack = (p: number) => {
  const c = 1.2;
  return 1 + (c + 1) * (p - 1) ** 3 + c * (p - 1) ** 2;
};
const evenUp = (n: number) => Math.ceil(n / 2) * 2;

/** Row bands of the text's lines: splits the ink block at its `lines - 1` widest empty row runs; one band when they cannot be found. */
export function lineBands(layers: TextLayers, lines: number): Array<{ from: number; to: number }> {
  const { width, text, textTop, textHeight } = layers;
  const whole = [{ from: textTop, to: textTop + textHeight }];
  if (lines < 2 || textHeight < 2) return whole;
  const inked: boolean[] = [];
  for (let y = textTop; y < textTop + textHeight; y++) {
    let any = false;
    for (let x = 0, o = y * width * 4 + 3; x < width && !any; x++, o += 4) any = text[o] > 0;
    inked.push(any);
  }
  const gaps: Array<{ at: number; length: number }> = [];
  for (let i = 0; i < inked.length;) {
    if (inked[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j < inked.length && !inked[j]) j++;
    if (i > 0 && j < inked.length) gaps.push({ at: i, length: j - i });
    i = j;
  }
  if (gaps.length < lines - 1) return whole;
  const cuts = gaps
    .sort((a, b) => b.length - a.length)
    .slice(0, lines - 1)
    .map((g) => textTop + g.at + Math.floor(g.length / 2))
    .sort((a, b) => a - b);
  const edges = [textTop, ...cuts, textTop + textHeight];
  return edges.slice(0, -1).map((from, i) => ({ from, to: edges[i + 1] }));
}

/**
 * Draws rows [from, to) of a w-wide RGBA layer into a tile at (dx, dy), its alpha scaled by `alpha`.
 * `over` blends onto what the tile holds (text over its box); else the tile is empty there and pixels are copied.
 */
function drawLayer(
  out: Buffer,
  base: number,
  tileW: number,
  src: Buffer,
  w: number,
  from: number,
  to: number,
  dx: number,
  dy: number,
  alpha: number,
  over: boolean,
): void {
  const a256 = Math.round(Math.min(1, Math.max(0, alpha)) * 256);
  if (a256 <= 0) return;
  for (let y = from; y < to; y++) {
    const s0 = y * w * 4;
    const o0 = base + ((y + dy) * tileW + dx) * 4;
    if (!over && a256 >= 256) {
      src.copy(out, o0, s0, s0 + w * 4);
      continue;
    }
    for (let x = 0, s = s0, o = o0; x < w; x++, s += 4, o += 4) {
      const sa = (src[s + 3] * a256) >> 8;
      if (sa === 0) continue;
      const da = out[o + 3];
      if (!over || da === 0) {
        out[o] = src[s];
        out[o + 1] = src[s + 1];
        out[o + 2] = src[s + 2];
        out[o + 3] = sa;
        continue;
      }
      // Source-over, non-premultiplied, in 0..255 integers.
      const keep = (da * (255 - sa) + 127) / 255;
      const oa = sa + keep;
      out[o] = (src[s] * sa + out[o] * keep) / oa;
      out[o + 1] = (src[s + 1] * sa + out[o + 1] * keep) / oa;
      out[o + 2] = (src[s + 2] * sa + out[o + 2] * keep) / oa;
      out[o + 3] = oa;
    }
  }
}

/**
 * Draws the entry of an overlay as a strip of tiles at `fps` (undefined for `fade`, which the filter graph
 * does by itself). `lines` is the number of text lines the planner laid out; `seconds` caps the entry
 * (a third of the overlay's time on screen).
 */
export function motionStrip(layers: TextLayers, motion: TextMotion, lines: number, fps: number, seconds: number): MotionStrip | undefined {
  if (motion === 'fade') return undefined;
  const { width: w, height: h } = layers;
  const bands = motion === 'stagger' ? lineBands(layers, lines) : [{ from: 0, to: h }];
  const lag = bands.length > 1 ? LINE_LAG : 0;
  const total = Math.min(seconds, ENTRY_SECONDS + lag * (bands.length - 1));
  const tiles = Math.max(2, Math.round(total * fps));
  const scale = total / (ENTRY_SECONDS + lag * (bands.length - 1));
  const dur = ENTRY_SECONDS * scale;
  const lagS = lag * scale;
  // Margins: a rise comes from below the box; a pop overshoots a little on every side.
  const rise = motion === 'pop' ? 0 : Math.round(Math.min(h * 0.45, Math.max(8, (bands[0].to - bands[0].from) * 0.6)));
  const mx = motion === 'pop' ? evenUp(w * 0.05) : 0;
  const my = motion === 'pop' ? evenUp(h * 0.05) : 0;
  const tileW = evenUp(w + 2 * mx);
  const tileH = evenUp(h + 2 * my + rise);
  const data = Buffer.alloc(tileW * tileH * tiles * 4);
  // A pop scales box and text together: compose them once, then sample that image per tile.
  let rest: Buffer | undefined;
  if (motion === 'pop') {
    rest = Buffer.alloc(w * h * 4);
    if (layers.box) drawLayer(rest, 0, w, layers.box, w, 0, h, 0, 0, 1, false);
    drawLayer(rest, 0, w, layers.text, w, 0, h, 0, 0, 1, true);
  }
  const sxs = new Int32Array(tileW);
  for (let k = 0; k < tiles; k++) {
    const t = k === tiles - 1 ? Infinity : ((k + 1) / tiles) * total;
    const base = k * tileW * tileH * 4;
    if (rest) {
      // Nearest sample about the centre: each tile lasts one frame of a quick move.
      const p = clamp01(t / dur);
      const sc = 0.6 + 0.4 * easeOutBack(p);
      const a256 = Math.round(clamp01(p * 2.5) * 256);
      for (let x = 0; x < tileW; x++) sxs[x] = Math.floor(w / 2 + (x - mx - w / 2) / sc);
      for (let y = 0; y < tileH; y++) {
        const sy = Math.floor(h / 2 + (y - my - h / 2) / sc);
        if (sy < 0 || sy >= h) continue;
        for (let x = 0, o = base + y * tileW * 4; x < tileW; x++, o += 4) {
          const sx = sxs[x];
          if (sx < 0 || sx >= w) continue;
          const src = (sy * w + sx) * 4;
          const sa = (rest[src + 3] * a256) >> 8;
          if (sa === 0) continue;
          data[o] = rest[src];
          data[o + 1] = rest[src + 1];
          data[o + 2] = rest[src + 2];
          data[o + 3] = sa;
        }
      }
      continue;
    }
    const boxP = clamp01(t / (motion === 'rise' ? dur : dur * 0.6));
    const boxDy = motion === 'rise' ? Math.round((1 - easeOutCubic(boxP)) * rise) : 0;
    if (layers.box) drawLayer(data, base, tileW, layers.box, w, 0, h, 0, boxDy, easeOutCubic(boxP), false);
    bands.forEach((band, j) => {
      const p = clamp01((t - j * lagS) / dur);
      if (p <= 0) return;
      const dy = Math.round((1 - easeOutCubic(p)) * rise);
      drawLayer(data, base, tileW, layers.text, w, band.from, band.to, 0, dy, p, true);
    });
  }
  return { data, tileW, tileH, tiles, offsetX: -mx, offsetY: -my };
}
