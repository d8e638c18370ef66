import { MediaError } from './media-error.ts';

/** A colour string the media engine cannot read. */
export class ColorError extends MediaError {
  override readonly name = 'ColorError';
  override readonly code = 'COLOR_INVALID';
}

/** 8-bit channels; alpha is 0–1, the form sharp's `background` options take. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  alpha: number;
}

const NAMED: Record<string, string> = {
  black: '#000000',
  white: '#ffffff',
  red: '#ff0000',
  green: '#008000',
  blue: '#0000ff',
  transparent: '#00000000',
};

/** Parses #rgb, #rgba, #rrggbb, #rrggbbaa, rgb()/rgba() and a few names; brand kits use hex. */
export function parseColor(input: string): Rgba {
  const value = input.trim().toLowerCase();
  const hex = NAMED[value] ?? value;
  let m = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(hex);
  if (m) {
    let digits = m[1];
    if (digits.length <= 4) digits = [...digits].map((d) => d + d).join('');
    const n = (i: number) => parseInt(digits.slice(i, i + 2), 16);
    return { r: n(0), g: n(2), b: n(4), alpha: digits.length === 8 ? Math.round((n(6) / 255) * 1000) / 1000 : 1 };
  }
  m = /^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*([\d.]+)\s*)?\)$/.exec(value);
  if (m) {
    const c = (s: string) => Math.min(255, Number(s));
    return { r: c(m[1]), g: c(m[2]), b: c(m[3]), alpha: m[4] === undefined ? 1 : Math.min(1, Number(m[4])) };
  }
  throw new ColorError(`Colour "${input}" is not understood: use hex like #1a2b3c or #1a2b3cb3 (with alpha), or rgb(r, g, b).`);
}
