import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fontDescription, FONT_IDS, FONTS, resolveFont } from '#media/fonts';
import { renderTextImage } from '#media/text-image';
import { existsSync } from 'node:fs';

/** Pixels whose alpha is ≥ 250 and whose colour is close to `rgb`. */
async function countInk(png: Buffer, rgb: [number, number, number]): Promise<number> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  let n = 0;
  for (let i = 0; i < info.width * info.height; i++) {
    const p = i * 4;
    if (data[p + 3] >= 250 && Math.abs(data[p] - rgb[0]) < 20 && Math.abs(data[p + 1] - rgb[1]) < 20 && Math.abs(data[p + 2] - rgb[2]) < 20) n++;
  }
  return n;
}

describe('renderTextImage', () => {
  it('uses the npm TTFs (Inter for Latin, Noto Sans JP for CJK), not system fonts', () => {
    for (const id of FONT_IDS) for (const path of Object.values(FONTS[id].files)) expect(existsSync(path), path).toBe(true);
    expect(FONTS.inter.files.bold).toMatch(/@expo-google-fonts\/inter\/700Bold\/Inter_700Bold\.ttf$/);
    expect(FONTS['noto-sans-jp'].files.bold).toMatch(/@expo-google-fonts\/noto-sans-jp\/700Bold\/NotoSansJP_700Bold\.ttf$/);
    expect(fontDescription('inter', 'bold', 40)).toBe(`${FONT_IDS.map((id) => FONTS[id].family).join(', ')} Bold 40`);
    expect(fontDescription('noto-sans-kr', 'bold', 40).startsWith('Noto Sans KR, Inter, Noto Sans, Noto Sans JP')).toBe(true);
    expect(resolveFont('Noto Sans JP')).toBe('noto-sans-jp');
    expect(resolveFont('no-such-font')).toBe('inter');
    expect(resolveFont(undefined)).toBe('inter');
  });

  it('draws CJK text with the CJK font even when the overlay asks for Inter (fallback, not tofu)', async () => {
    const opts = { text: 'セール 半額', fontPx: 24, color: '#ffffff', width: 220, height: 40 };
    const viaFallback = await sharp(await renderTextImage({ ...opts, font: 'inter' }))
      .raw()
      .toBuffer();
    const direct = await sharp(await renderTextImage({ ...opts, font: 'noto-sans-jp' }))
      .raw()
      .toBuffer();
    expect(await countInk(await renderTextImage(opts), [255, 255, 255])).toBeGreaterThan(300);
    // Kana and kanji come from Noto Sans JP either way: the same glyphs, so the same pixels.
    expect(viaFallback.equals(direct)).toBe(true);
    // Latin copy keeps Inter's look unless the overlay picks the CJK family.
    const latin = { text: 'Shop now', fontPx: 24, color: '#ffffff', width: 220, height: 40 };
    const inter = await sharp(await renderTextImage(latin))
      .raw()
      .toBuffer();
    const noto = await sharp(await renderTextImage({ ...latin, font: 'noto-sans-jp' }))
      .raw()
      .toBuffer();
    expect(inter.equals(noto)).toBe(false);
  });

  it('returns an RGBA PNG of exactly the box size with opaque text pixels', async () => {
    const png = await renderTextImage({ text: 'Shop now', fontPx: 28, color: '#ff0000', width: 200, height: 48 });
    const meta = await sharp(png).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 200, height: 48, channels: 4 });
    expect(await countInk(png, [255, 0, 0])).toBeGreaterThan(200);
  });

  it('fills a translucent rounded box behind the text', async () => {
    const png = await renderTextImage({ text: 'Hi', fontPx: 20, color: '#ffffff', background: '#000000b3', width: 120, height: 40 });
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => [...data.subarray((y * info.width + x) * 4, (y * info.width + x) * 4 + 4)];
    expect(at(0, 0)[3]).toBe(0); // the rounded corner stays clear
    expect(at(10, 20)).toEqual([0, 0, 0, 179]); // 0xb3 alpha inside the box
  });

  it('escapes markup characters instead of failing on them', async () => {
    const png = await renderTextImage({ text: '$89 <was $120> & "free"', fontPx: 20, color: '#ffffff', background: '#000', width: 300, height: 40 });
    expect(await countInk(png, [255, 255, 255])).toBeGreaterThan(100);
  });

  it('shrinks long text to fit instead of cutting it off, and never grows short text', async () => {
    const width = 160;
    const height = 40;
    const long = await renderTextImage({ text: 'An extraordinarily long product title that cannot fit', fontPx: 30, color: '#00ff00', width, height });
    const { data, info } = await sharp(long).raw().toBuffer({ resolveWithObject: true });
    // Nothing touches the outer edge: all ink sits inside the box with a margin.
    for (let x = 0; x < info.width; x++) {
      expect(data[x * 4 + 3]).toBe(0);
      expect(data[((info.height - 1) * info.width + x) * 4 + 3]).toBe(0);
    }
    for (let y = 0; y < info.height; y++) {
      expect(data[y * info.width * 4 + 3]).toBe(0);
      expect(data[(y * info.width + info.width - 1) * 4 + 3]).toBe(0);
    }
    expect(await countInk(long, [0, 255, 0])).toBeGreaterThan(50);
    // Same short text in a huge box: ink stays the size fontPx gives, it does not grow to fill the box.
    const small = await countInk(await renderTextImage({ text: 'Sale', fontPx: 20, color: '#00ff00', width: 200, height: 60 }), [0, 255, 0]);
    const big = await countInk(await renderTextImage({ text: 'Sale', fontPx: 20, color: '#00ff00', width: 800, height: 400 }), [0, 255, 0]);
    expect(Math.abs(big - small)).toBeLessThan(small * 0.05);
  });

  it('rejects a box that is not a positive whole-pixel size', async () => {
    await expect(renderTextImage({ text: 'x', fontPx: 10, color: '#fff', width: 0, height: 10 })).rejects.toMatchObject({ code: 'TEXT_IMAGE_INVALID' });
  });
});
