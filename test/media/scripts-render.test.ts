import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fitText, textInset } from '#domain/planning/layout';
import { planStoryboard } from '#domain/planning/planner';
import { CHANNELS } from '#domain/planning/channels';
import { dominantScript, isRtl } from '#domain/planning/scripts';
import { textNotices } from '#domain/model/text-notices';
import { renderTextImage } from '#media/text-image';
import { CAMPAIGN, TEMPLATES, product as makeProduct } from '../support/planner-fixtures.ts';

/** Every script the shipped fonts draw: a line of product copy, its language and the font the planner must pick. */
const LINES = [
  { script: 'latin', text: 'Ceramic Mug, hand glazed', locale: 'en-US', font: 'inter' },
  { script: 'cyrillic', text: 'Керамическая кружка', locale: 'ru-RU', font: 'inter' },
  { script: 'greek', text: 'Κεραμική κούπα', locale: 'el-GR', font: 'inter' },
  { script: 'japanese', text: '有田焼のマグカップ', locale: 'ja-JP', font: 'noto-sans-jp' },
  { script: 'korean', text: '세라믹 머그컵 특가', locale: 'ko-KR', font: 'noto-sans-kr' },
  { script: 'simplified chinese', text: '陶瓷马克杯 限时特价', locale: 'zh-CN', font: 'noto-sans-sc' },
  { script: 'traditional chinese', text: '陶瓷馬克杯 限時特價', locale: 'zh-TW', font: 'noto-sans-tc' },
  { script: 'arabic', text: 'كوب سيراميك مصنوع يدويا', locale: 'ar-EG', font: 'noto-sans-arabic' },
  { script: 'hebrew', text: 'ספל קרמיקה בעבודת יד', locale: 'he-IL', font: 'noto-sans-hebrew' },
  { script: 'devanagari', text: 'हस्तनिर्मित सिरेमिक मग', locale: 'hi-IN', font: 'noto-sans-devanagari' },
  { script: 'thai', text: 'แก้วเซรามิกทำมือ', locale: 'th-TH', font: 'noto-sans-thai' },
] as const;

interface Ink {
  count: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Where the opaque pixels of a text PNG are. */
async function ink(png: Buffer): Promise<Ink & { width: number; height: number }> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const r: Ink = { count: 0, left: info.width, right: -1, top: info.height, bottom: -1 };
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      if (data[(y * info.width + x) * 4 + 3] < 128) continue;
      r.count++;
      r.left = Math.min(r.left, x);
      r.right = Math.max(r.right, x);
      r.top = Math.min(r.top, y);
      r.bottom = Math.max(r.bottom, y);
    }
  }
  return { ...r, width: info.width, height: info.height };
}

describe('every listed script renders with its own font, measured and inside its box', () => {
  it.each(LINES)('$script: the planner picks $font and the line is drawn inside the planned box', async ({ text, locale, font }) => {
    const fit = fitText({ text, minPx: 20, preferredPx: 40, maxBoxWidth: 1000, maxLines: 1, locale });
    expect(fit, 'the line fits one line').toBeDefined();
    expect(fit!.font).toBe(font);
    expect(fit!.lines).toEqual([text]);
    const png = await renderTextImage({ text: fit!.lines[0], fontPx: fit!.fontPx, font: fit!.font, color: '#ffffff', width: fit!.w, height: fit!.h });
    const r = await ink(png);
    expect(r.width).toBe(fit!.w);
    expect(r.height).toBe(fit!.h);
    // Real glyphs at the planned size: a good share of the box is ink, and the ink is as tall as the font size asks.
    expect(r.count).toBeGreaterThan(fit!.fontPx * fit!.fontPx * 0.8);
    expect(r.bottom - r.top + 1).toBeGreaterThan(fit!.fontPx * 0.55);
    // Inside the box, off its edges; the measured width is an upper bound of the drawn line (the renderer never had to shrink it).
    const { padX } = textInset(fit!.fontPx, fit!.w, fit!.h);
    expect(r.left).toBeGreaterThanOrEqual(1);
    expect(r.top).toBeGreaterThanOrEqual(1);
    expect(r.right).toBeLessThan(fit!.w - 1);
    expect(r.bottom).toBeLessThan(fit!.h - 1);
    expect(r.right - r.left + 1).toBeLessThanOrEqual(fit!.w - 2 * padX + 2);
    expect(r.right - r.left + 1).toBeGreaterThan((fit!.w - 2 * padX) * 0.6);
  });

  it.each([
    { script: 'arabic', first: 'ممممممممم', second: 'ب', rtl: true },
    { script: 'hebrew', first: 'שששששששש', second: 'ל', rtl: true },
    { script: 'latin', first: 'mmmmmmmm', second: 'i', rtl: false },
    { script: 'devanagari', first: 'ममममममम', second: 'क', rtl: false },
  ])('$script runs the right way (right to left: $rtl): the first logical word is drawn first in reading order', async ({ first, second, rtl }) => {
    const text = `${first} ${second}`;
    expect(isRtl(text)).toBe(rtl);
    const fit = fitText({ text, minPx: 20, preferredPx: 40, maxBoxWidth: 1000, maxLines: 1 })!;
    const png = await renderTextImage({ text, fontPx: fit.fontPx, font: fit.font, color: '#ffffff', width: fit.w, height: fit.h });
    const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const inked = Array.from({ length: info.width }, (_, x) => {
      for (let y = 0; y < info.height; y++) if (data[(y * info.width + x) * 4 + 3] >= 128) return true;
      return false;
    });
    const left = inked.indexOf(true);
    const right = inked.lastIndexOf(true);
    // The widest run of empty columns inside the ink is the space between the words.
    let gap = { from: 0, length: 0 };
    for (let x = left, run = 0; x <= right; x++) {
      run = inked[x] ? 0 : run + 1;
      if (run > gap.length) gap = { from: x - run + 1, length: run };
    }
    const gapCentre = gap.from + gap.length / 2;
    // The long first word is on the right for right-to-left text, so the gap sits left of centre; the opposite for left to right.
    if (rtl) expect(gapCentre).toBeLessThan((left + right) / 2);
    else expect(gapCentre).toBeGreaterThan((left + right) / 2);
    expect(gap.length).toBeGreaterThan(fit.fontPx * 0.1);
  });

  it('shapes Arabic: joined letters are drawn narrower than the same letters standing alone', async () => {
    const joined = await ink(await renderTextImage({ text: 'سيراميك', fontPx: 40, color: '#ffffff', width: 600, height: 100 }));
    const isolated = await ink(await renderTextImage({ text: 'س ي ر ا م ي ك', fontPx: 40, color: '#ffffff', width: 600, height: 100 }));
    expect(dominantScript('سيراميك')).toBe('arabic');
    expect(joined.right - joined.left).toBeLessThan((isolated.right - isolated.left) * 0.75);
  });
});

describe('text no shipped font draws', () => {
  const template = TEMPLATES.find((t) => t.id === 'product-hero')!;
  const tiktok = CHANNELS.find((c) => c.id === 'tiktok')!;
  const banner = CHANNELS.find((c) => c.kind === 'image')!;

  it('a Tamil title is left out of the ad with a report line naming product, field and script, never swapped for the brand', () => {
    const product = makeProduct({ sku: 'TA-1', title: 'பீங்கான் குவளை', brand: 'Acme' });
    const campaign = { ...CAMPAIGN, cta: 'வாங்கு' };
    for (const channel of [tiktok, banner]) {
      const { storyboard } = planStoryboard({ product, campaign, template, channel });
      expect(
        storyboard.overlays.find((o) => o.slot === 'headline'),
        channel.id,
      ).toBeUndefined();
      expect(
        storyboard.overlays.find((o) => o.slot === 'cta'),
        channel.id,
      ).toBeUndefined();
      expect(storyboard.overlays.some((o) => o.slot !== 'brand' && o.text.includes('Acme'))).toBe(false);
      expect(storyboard.overlays.some((o) => /Shop now/.test(o.text))).toBe(false);
    }
    const notices = textNotices(product, campaign);
    expect(notices).toEqual([
      expect.objectContaining({ sku: 'TA-1', field: 'title', script: 'tamil', action: expect.stringMatching(/^no headline/) }),
      expect.objectContaining({ sku: 'TA-1', field: 'cta', script: 'tamil', action: expect.stringMatching(/^no CTA button/) }),
    ]);
  });

  it('Korean copy is drawn (no notice), and emoji are reported as left out', () => {
    const korean = makeProduct({ title: '세라믹 머그컵' });
    expect(textNotices(korean, { ...CAMPAIGN, cta: '지금 구매' })).toEqual([]);
    const { storyboard } = planStoryboard({ product: korean, campaign: { ...CAMPAIGN, cta: '지금 구매' }, template, channel: tiktok });
    expect(storyboard.overlays.find((o) => o.slot === 'headline')).toMatchObject({ text: '세라믹 머그컵', font: 'noto-sans-kr' });
    expect(storyboard.overlays.find((o) => o.slot === 'cta')).toMatchObject({ text: '지금 구매', font: 'noto-sans-kr' });
    expect(textNotices(makeProduct({ title: 'Mug 🎉🔥' }), CAMPAIGN)).toEqual([
      expect.objectContaining({ field: 'title', script: 'emoji', count: 2, action: 'the headline leaves out 2 emoji characters' }),
    ]);
  });
});

describe('line breaking and runs', () => {
  it('breaks Thai between words (it has no spaces) and never before a combining mark; splits text into script runs', async () => {
    const { wrapText } = await import('#domain/planning/layout');
    const { scriptRuns } = await import('#domain/planning/scripts');
    const lines = wrapText('แก้วเซรามิกทำมือคุณภาพดี', 'noto-sans-thai', 40, 200);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join('')).toBe('แก้วเซรามิกทำมือคุณภาพดี');
    for (const line of lines) expect(line).not.toMatch(/^[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]/u);
    expect(scriptRuns('Nike 운동화 2')).toEqual([
      { script: 'latin', text: 'Nike ' },
      { script: 'hangul', text: '운동화 2' },
    ]);
    expect(scriptRuns('«مرحبا» Nike').map((r) => r.script)).toEqual(['arabic', 'latin']);
  });
});
