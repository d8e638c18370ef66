import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { BrandFontError, fontFamilyOf } from '#media/brand-font';
import { buttonShadow, renderTextImage } from '#media/text-image';

const notoRegular = join(dirname(createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans/package.json')), '400Regular', 'NotoSans_400Regular.ttf');

async function rgba(png: Buffer) {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, w: info.width, h: info.height, at: (x: number, y: number) => [...data.subarray((y * info.width + x) * 4, (y * info.width + x) * 4 + 4)] };
}

/** The longest horizontal run of opaque pixels in any row between columns [from, to). */
function longestRun(img: Awaited<ReturnType<typeof rgba>>, from: number, to: number): number {
  let best = 0;
  for (let y = 0; y < img.h; y++) {
    for (let x = from, run = 0; x < to; x++) {
      run = img.data[(y * img.w + x) * 4 + 3] >= 128 ? run + 1 : 0;
      best = Math.max(best, run);
    }
  }
  return best;
}

describe('typography', () => {
  it('strikes the compare-at price through (one unbroken line across it) and dims it, leaving the new price as it was', async () => {
    const opts = { text: '$14.00 $19.00', fontPx: 40, color: '#ffffff', width: 330, height: 64 };
    const plain = await rgba(await renderTextImage(opts));
    const struck = await rgba(await renderTextImage({ ...opts, strikethrough: '$19.00' }));
    const half = Math.floor(opts.width / 2);
    // Glyphs never make a 90 px horizontal run; a strikethrough across "$19.00" does.
    expect(longestRun(plain, half, opts.width)).toBeLessThan(60);
    expect(longestRun(struck, half, opts.width)).toBeGreaterThan(90);
    expect(longestRun(struck, 0, half)).toBeLessThan(60);
    // Dimmed: no fully opaque ink in the struck half, full-strength ink in the new price.
    const maxAlpha = (img: typeof struck, a: number, b: number) => {
      let m = 0;
      for (let y = 0; y < img.h; y++) for (let x = a; x < b; x++) m = Math.max(m, img.data[(y * img.w + x) * 4 + 3]);
      return m;
    };
    expect(maxAlpha(struck, half + 10, opts.width)).toBeLessThan(240);
    expect(maxAlpha(struck, 0, half - 10)).toBe(255);
  });

  it('draws the CTA as a pill button with a shadow under its face', async () => {
    const w = 260,
      h = 72;
    const pill = await rgba(
      await renderTextImage({ text: 'Shop now', fontPx: 36, color: '#000000', background: '#ffcc00', shape: 'pill', width: w, height: h }),
    );
    const box = await rgba(await renderTextImage({ text: 'Shop now', fontPx: 36, color: '#000000', background: '#ffcc00', width: w, height: h }));
    const r = Math.floor((h - buttonShadow(h)) / 2);
    // A quarter of the radius in from the end, near the top: outside a semicircle, inside a box's small corner.
    const probe = [Math.round(r * 0.2), Math.round(r * 0.2)] as const;
    expect(pill.at(...probe)[3]).toBe(0);
    expect(box.at(...probe)[3]).toBeGreaterThan(200);
    expect(pill.at(Math.floor(w / 2), h - 1).slice(0, 3)).toEqual([0, 0, 0]);
    expect(pill.at(Math.floor(w / 2), h - 1)[3]).toBeGreaterThan(50);
    expect(pill.at(8, Math.floor((h - buttonShadow(h)) / 2)).slice(0, 3)).toEqual([255, 204, 0]);
  });

  it('uses a campaign font file before the shipped fonts, and refuses a file that is not a font', async () => {
    expect(fontFamilyOf(readFileSync(notoRegular), 'NotoSans_400Regular.ttf')).toBe('Noto Sans');
    const opts = { text: 'Shop now', fontPx: 36, color: '#ffffff', width: 260, height: 60 };
    const shipped = await sharp(await renderTextImage(opts))
      .raw()
      .toBuffer();
    const brand = await sharp(await renderTextImage({ ...opts, brandFont: { family: 'Noto Sans', path: notoRegular } }))
      .raw()
      .toBuffer();
    expect(brand.equals(shipped)).toBe(false);
    expect(() => fontFamilyOf(Buffer.from('wOF2 not a ttf at all'), 'logo.woff2')).toThrow(BrandFontError);
  });
});
