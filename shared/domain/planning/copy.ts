import type { Money, Product } from '#domain/model/product';

/*
 * Ad copy from product data. Everything here returns plain text; fitting it into a box (and shortening
 * it at a word boundary) is the layout's job, with measured fonts.
 */

const formatters = new Map<string, Intl.NumberFormat>();

/** Intl formatters are costly to build; keep one per (locale, options). Falls back to en-US for a locale Intl rejects. */
function formatter(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(locale, options);
    } catch {
      f = new Intl.NumberFormat('en-US', options);
    }
    formatters.set(key, f);
  }
  return f;
}

/**
 * Formats a price for the campaign's locale, e.g. "$24.00" or "24,00 €". Digits are always Latin
 * (numberingSystem latn): the shipped fonts have no Arabic-Indic or Devanagari digits.
 */
export function formatPrice(money: Money, locale: string): string {
  return formatter(locale, { style: 'currency', currency: money.currency, numberingSystem: 'latn' }).format(money.amount);
}

/** The discount as a whole percent when a higher compare-at price in the same currency exists, else undefined. */
export function discountPercent(price: Money, compareAt: Money | undefined): number | undefined {
  if (!compareAt || compareAt.currency !== price.currency || compareAt.amount <= price.amount) return undefined;
  const percent = Math.round((1 - price.amount / compareAt.amount) * 100);
  return percent >= 1 ? percent : undefined;
}

/** The discount badge, e.g. "-25%" (en-US) or "-25 %" (de-DE), formatted by Intl for the locale. */
export function discountText(price: Money, compareAt: Money | undefined, locale: string): string | undefined {
  const percent = discountPercent(price, compareAt);
  return percent === undefined
    ? undefined
    : formatter(locale, { style: 'percent', signDisplay: 'always', maximumFractionDigits: 0, numberingSystem: 'latn' }).format(-percent / 100);
}

/** The price line of an ad: the price, and the discount when a higher compare-at price exists. */
export function priceLine(price: Money, compareAt: Money | undefined, locale: string): string {
  const now = formatPrice(price, locale);
  const off = discountText(price, compareAt, locale);
  return off ? `${now}  ${off}` : now;
}

/**
 * The price as an ad shows it: the new price, then the compare-at price (drawn struck through) when a
 * higher one exists in the same currency, e.g. "$14.00  $19.00" with `was` "$19.00". The discount
 * percentage is a separate badge (discountText).
 */
export function priceWithWas(price: Money, compareAt: Money | undefined, locale: string): { line: string; was?: string } {
  const now = formatPrice(price, locale);
  if (discountPercent(price, compareAt) === undefined) return { line: now };
  const was = formatPrice(compareAt!, locale);
  return { line: `${now}  ${was}`, was };
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  euro: '€',
  pound: '£',
  yen: '¥',
  copy: '©',
  reg: '®',
  trade: '™',
  deg: '°',
  times: '×',
  middot: '·',
  bull: '•',
};

/** Decodes HTML character references (named ones common in product copy, and every numeric one). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, ref: string) => {
    if (ref[0] === '#') {
      const cp = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : '';
    }
    return ENTITIES[ref.toLowerCase()] ?? match;
  });
}

/** Strips tags (and script/style bodies), decodes entities, collapses whitespace. */
export function htmlToText(html: string): string {
  return decodeEntities(html.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

/** The `<li>` items of an HTML description (Shopify body_html), as plain text. */
export function listItems(html: string): string[] {
  const items: string[] = [];
  for (const match of html.matchAll(/<li\b[^>]*>([\s\S]*?)(?=<\/li\s*>|<li\b|<\/[uo]l\s*>|$)/gi)) {
    const text = htmlToText(match[1]);
    if (text) items.push(text);
  }
  return items;
}

/** Feature bullets: the catalog's `features`, else the list items of the description; plain text, deduplicated. */
export function featureBullets(product: Pick<Product, 'features' | 'description'>): string[] {
  const raw = product.features.length > 0 ? product.features.map(htmlToText) : listItems(product.description ?? '');
  return [...new Set(raw.filter((f) => f !== ''))];
}

/** Shortens text to at most `maxChars` characters at a word boundary, with an ellipsis (for places without a font, e.g. logs). */
export function shortenAtWord(text: string, maxChars: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if ([...clean].length <= maxChars) return clean;
  const chars = [...clean].slice(0, Math.max(1, maxChars - 1)).join('');
  const cut = chars.lastIndexOf(' ');
  return `${(cut > maxChars / 3 ? chars.slice(0, cut) : chars).replace(/[\s,.;:–-]+$/, '')}…`;
}
