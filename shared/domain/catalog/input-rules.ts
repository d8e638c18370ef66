/**
 * The product input rules that are not about shape: a price an ad can print, a photo the layout can
 * use, a title a viewer can see. Each returns the reason a value is refused (undefined when it is fine),
 * worded for the validation report.
 */

/** The highest price accepted, in US dollars; other currencies by their rough number of units per dollar. */
export const PRICE_CAP_USD = 1_000_000;

/**
 * Order-of-magnitude units per US dollar (2026) for currencies whose units are worth far less than a
 * dollar, so a genuine 5,000,000 IDR or 400,000 JPY price passes while 1e308 never does. Others: 1.
 */
const UNITS_PER_USD: Record<string, number> = {
  JPY: 160,
  KRW: 1500,
  CNY: 8,
  INR: 90,
  IDR: 17_000,
  VND: 27_000,
  IRR: 1_000_000,
  LAK: 22_000,
  UZS: 13_000,
  COP: 4500,
  CLP: 1000,
  PYG: 8000,
  HUF: 400,
  ISK: 150,
  LBP: 90_000,
  MMK: 2100,
  KHR: 4100,
  UGX: 3800,
  TZS: 2700,
  MGA: 4700,
  GNF: 8700,
  SLE: 25,
  SYP: 13_000,
  IQD: 1300,
  KZT: 520,
  NGN: 1600,
  ARS: 1500,
  AMD: 400,
  RWF: 1400,
  MNT: 3500,
  PKR: 290,
  LKR: 300,
  BDT: 125,
  NPR: 140,
  PHP: 60,
  THB: 36,
  TWD: 33,
  RUB: 100,
  UAH: 42,
  TRY: 42,
  EGP: 50,
  KES: 130,
  ZAR: 19,
  MXN: 20,
  BRL: 6,
  CZK: 24,
  SEK: 11,
  NOK: 11,
  DKK: 7,
  PLN: 4,
  HKD: 8,
  XAF: 620,
  XOF: 620,
  BIF: 3000,
  CDF: 2900,
  MWK: 1800,
};

/** The price cap of a currency, in its own units. */
export function priceCap(currency: string): number {
  return PRICE_CAP_USD * Math.max(1, UNITS_PER_USD[currency] ?? 1);
}

/** Why an amount cannot be a price: not finite, not above zero, or beyond the currency's cap. */
export function priceProblem(amount: number, currency: string): string | undefined {
  if (!Number.isFinite(amount)) return `is not a finite number (${amount})`;
  if (amount <= 0) return `must be above zero (got ${amount})`;
  const cap = priceCap(currency);
  if (amount > cap)
    return `${amount} ${currency} is above the ${cap.toLocaleString('en-US')} ${currency} cap: check the price column (units, not cents; no exponent)`;
  return undefined;
}

/** The shortest side a product photo may have, in pixels: smaller ones print as a blur at 1080 px. */
export const MIN_PHOTO_SIDE = 100;
/** The most elongated photo accepted (long side over short side): beyond it the product is a line. */
export const MAX_PHOTO_ASPECT = 5;

/** Why a photo of this size cannot carry a product shot: too small, or too long and thin. */
export function photoProblem(width: number, height: number): string | undefined {
  const short = Math.min(width, height);
  const long = Math.max(width, height);
  if (short < MIN_PHOTO_SIDE) return `is ${width}×${height} px; a product photo needs at least ${MIN_PHOTO_SIDE} px on its shorter side`;
  if (long / short > MAX_PHOTO_ASPECT)
    return `is ${width}×${height} px, ${(long / short).toFixed(1)}:1; a product photo may be at most ${MAX_PHOTO_ASPECT}:1 (crop it closer to the product)`;
  return undefined;
}

/**
 * Characters that draw nothing: white space, controls, format characters (zero-width ones, bidi marks,
 * the tag characters U+E0000–E007F), combining marks on their own, and letters that render blank
 * (Hangul fillers U+115F, U+1160, U+3164, U+FFA0; the blank Braille pattern U+2800; Khmer U+17B4/5).
 */
const INVISIBLE = /[\p{White_Space}\p{Cc}\p{Cf}\p{Mn}\p{Me}\p{Zs}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0\u2800\u17B4\u17B5\u180E]/gu;

/** True when a text has at least one character that draws something on screen. */
export function hasVisibleCharacters(text: string): boolean {
  return text.replace(INVISIBLE, '').length > 0;
}
