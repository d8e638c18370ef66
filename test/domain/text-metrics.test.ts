import { readFileSync } from 'node:fs';
import opentype from 'opentype.js';
import { describe, expect, it } from 'vitest';
import { FONTS } from '#media/fonts';
import { fitText, wrapText } from '#domain/planning/layout';
import { drawableText, FONT_ORDER, fontFor, hasGlyph, lineHeight, measureText } from '#domain/planning/text-metrics';
import { decodeEntities, discountText, featureBullets, htmlToText, priceLine } from '#domain/planning/copy';

describe('font metrics', () => {
  it('covers the fonts of #media/fonts, Inter first, and measures what the TTF says', () => {
    expect(FONT_ORDER).toEqual(Object.keys(FONTS));
    expect(FONT_ORDER[0]).toBe('inter');
    const bytes = readFileSync(FONTS.inter.files.bold);
    const font = opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const text = 'Harbor Ceramic Mug — €24,99';
    const units = [...text].reduce((sum, ch) => sum + (font.glyphs.get(font.tables.cmap.glyphIndexMap[ch.codePointAt(0)!]).advanceWidth ?? 0), 0);
    expect(measureText(text, 'inter', 100)).toBeCloseTo((units * 100) / font.unitsPerEm, 6);
    expect(lineHeight('inter', 100)).toBeGreaterThan(100);
  });

  it('picks the first font with every glyph and drops what no font has', () => {
    expect(fontFor('Crème brûlée')).toBe('inter');
    expect(fontFor('有田焼 mug')).toBe('noto-sans-jp');
    expect(hasGlyph('inter', 0x6709)).toBe(false);
    expect(drawableText('Mug 🎉 👩‍👩‍👧 한국 ☕️ ok')).toBe('Mug 한국 ok');
    expect(drawableText('Mug 🎉 ஒன்று ok')).toBe('Mug ok');
    expect(drawableText('🎉🔥')).toBe('');
  });

  it('wraps at spaces, between ideographs, and shortens with an ellipsis at a word boundary', () => {
    expect(wrapText('one two three four', 'inter', 20, measureText('three four', 'inter', 20) + 1)).toEqual(['one two', 'three four']);
    expect(wrapText('東京都の陶器', 'noto-sans-jp', 20, measureText('東京都', 'noto-sans-jp', 20) + 1)).toEqual(['東京都', 'の陶器']);
    const fit = fitText({
      text: 'one two three four five six seven',
      minPx: 20,
      preferredPx: 20,
      maxBoxWidth: measureText('one two three', 'inter', 20) + 22,
      maxLines: 1,
    })!;
    expect(fit.truncated).toBe(true);
    expect(fit.lines).toEqual(['one two…']);
    expect(fitText({ text: '$1,234.00', minPx: 20, preferredPx: 20, maxBoxWidth: 30, maxLines: 1, whole: true })).toBeUndefined();
  });
});

describe('copy', () => {
  it('takes feature bullets from list items of the description, HTML stripped and entities decoded', () => {
    expect(
      featureBullets({
        features: [],
        description: '<p>Intro</p><ul><li>350&nbsp;ml</li><li><b>Dishwasher</b> safe &amp; sound</li><li>caf&#233; &#x2615;</li><li> </li></ul>',
      }),
    ).toEqual(['350 ml', 'Dishwasher safe & sound', 'café ☕']);
    expect(featureBullets({ features: ['A', 'A', 'B'], description: '<li>x</li>' })).toEqual(['A', 'B']);
    expect(htmlToText('<script>x()</script><p>a&lt;b</p>')).toBe('a<b');
    expect(decodeEntities('&unknown; &#0;')).toBe('&unknown; ');
  });

  it('formats price and discount with Intl for the currency and locale, in Latin digits', () => {
    const price = { amount: 18, currency: 'EUR' };
    expect(priceLine(price, { amount: 24, currency: 'EUR' }, 'de-DE')).toMatch(/^18,00\s€\s+-25\s%$/);
    expect(priceLine({ amount: 1800, currency: 'JPY' }, undefined, 'ja-JP')).toBe('￥1,800');
    expect(priceLine(price, { amount: 24, currency: 'USD' }, 'en-US')).toBe('€18.00');
    expect(priceLine({ amount: 18, currency: 'USD' }, undefined, 'ar-EG')).toMatch(/18\.00/);
    expect(discountText(price, { amount: 18, currency: 'EUR' }, 'en-US')).toBeUndefined();
    expect(priceLine(price, undefined, 'not a locale')).toBe('€18.00');
  });
});
