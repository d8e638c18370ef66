import type { Money } from './product.ts';

/** Formats a price for the campaign's locale, e.g. "$24.00" or "24,00 €". */
export function formatPrice(money: Money, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency }).format(money.amount);
}

/** The price line of an ad: the price, and the discount when a higher compare-at price exists. */
export function priceLine(price: Money, compareAt: Money | undefined, locale: string): string {
  const now = formatPrice(price, locale);
  if (!compareAt || compareAt.currency !== price.currency || compareAt.amount <= price.amount) return now;
  const percent = Math.round((1 - price.amount / compareAt.amount) * 100);
  return `${now}  −${percent}%`;
}

/**
 * Shortens text at a word boundary so it fits `maxChars`, adding an ellipsis.
 * (Width in characters is an estimate; the renderer also scales text down rather than cut it.)
 */
export function shortenAtWord(text: string, maxChars: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if ([...clean].length <= maxChars) return clean;
  const chars = [...clean].slice(0, Math.max(1, maxChars - 1)).join('');
  const cut = chars.lastIndexOf(' ');
  return `${(cut > maxChars / 3 ? chars.slice(0, cut) : chars).replace(/[\s,.;:–-]+$/, '')}…`;
}
