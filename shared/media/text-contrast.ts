import { parseColor } from './color.ts';

/** Packed 8-bit RGB triplets of the pixels a text box will sit on. */
export type RgbSamples = Uint8Array;

/** What is behind text we cannot see in advance (a generated clip): black, white, greys and saturated colours. */
export const WORST_CASE_BACKDROP: RgbSamples = Uint8Array.from([
  0, 0, 0, 255, 255, 255, 128, 128, 128, 200, 200, 200, 60, 60, 60, 255, 0, 0, 0, 160, 0, 0, 0, 255, 255, 220, 0,
]);

/** Relative luminance per WCAG 2.x from 8-bit sRGB. */
export function relativeLuminance(r: number, g: number, b: number): number {
  const lin = (c: number) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio (1–21) of two relative luminances. */
export function contrastRatio(l1: number, l2: number): number {
  return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
}

const hex2 = (v: number) =>
  Math.round(Math.max(0, Math.min(255, v)))
    .toString(16)
    .padStart(2, '0');

/** The worst (lowest) contrast of `text` over a box of `box` colour at `alpha` across every backdrop sample. */
export function worstContrast(text: string, box: { r: number; g: number; b: number } | undefined, alpha: number, behind: RgbSamples): number {
  const t = parseColor(text);
  const lt = relativeLuminance(t.r, t.g, t.b);
  let worst = Infinity;
  for (let i = 0; i + 2 < behind.length; i += 3) {
    const mix = (c: number, k: number) => (box ? c * alpha + behind[i + k] * (1 - alpha) : behind[i + k]);
    const l = relativeLuminance(mix(box?.r ?? 0, 0), mix(box?.g ?? 0, 1), mix(box?.b ?? 0, 2));
    worst = Math.min(worst, contrastRatio(lt, l));
  }
  return worst === Infinity ? 21 : worst;
}

/**
 * Returns the box fill (`#rrggbbaa`, or the original) that gives the text at least `min`:1 contrast
 * against everything behind it: the overlay's own box if it already does, else the same hue made more
 * opaque, else a black or white scrim (whichever suits the text colour) as opaque as needed.
 */
export function ensureContrast(
  text: string,
  background: string | undefined,
  behind: RgbSamples,
  min = 4.5,
): { background: string | undefined; contrast: number } {
  const own = background ? parseColor(background) : undefined;
  const current = worstContrast(text, own, own?.alpha ?? 0, behind);
  if (current >= min) return { background, contrast: current };
  const t = parseColor(text);
  const lt = relativeLuminance(t.r, t.g, t.b);
  const candidates: Array<{ r: number; g: number; b: number }> = [];
  // Keep the designer's box colour when, fully opaque, it would be legible.
  if (own && contrastRatio(lt, relativeLuminance(own.r, own.g, own.b)) >= min) candidates.push(own);
  candidates.push(contrastRatio(lt, 0) >= contrastRatio(lt, 1) ? { r: 0, g: 0, b: 0 } : { r: 255, g: 255, b: 255 });
  for (const c of candidates) {
    for (let alpha = Math.max(0.5, own?.alpha ?? 0); alpha <= 1.0001; alpha += 0.05) {
      const a = Math.min(1, alpha);
      const contrast = worstContrast(text, c, a, behind);
      if (contrast >= min) return { background: `#${hex2(c.r)}${hex2(c.g)}${hex2(c.b)}${hex2(a * 255)}`, contrast };
    }
  }
  // Text whose colour is mid-grey cannot reach the ratio on any box: an opaque scrim is the best there is.
  const c = candidates[candidates.length - 1];
  return { background: `#${hex2(c.r)}${hex2(c.g)}${hex2(c.b)}ff`, contrast: worstContrast(text, c, 1, behind) };
}
