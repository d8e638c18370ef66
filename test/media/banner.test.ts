import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '#domain/planning/channels';
import { planStoryboard } from '#domain/planning/planner';
import { BannerError, renderBanner, validateBanner } from '#media/banner';
import { CAMPAIGN, TEMPLATES, product } from '../support/planner-fixtures.ts';
import { tempDir } from './media-fixtures.ts';

const BANNERS = CHANNELS.filter((c) => c.kind === 'image');
const template = TEMPLATES.find((t) => t.id === 'product-hero')!;
let dir: string;
let cleanup: () => Promise<void>;
let photo: Buffer;
let noisy: Buffer;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('banner'));
  photo = await readFile('examples/images/sneaker-side.jpg');
  // A detailed 2000×2000 photo (noise defeats compression) forces the quality search to work for its bytes.
  noisy = await sharp({ create: { width: 2000, height: 2000, channels: 3, background: '#886644', noise: { type: 'gaussian', mean: 120, sigma: 70 } } })
    .jpeg({ quality: 95 })
    .toBuffer();
});
afterAll(() => cleanup());

describe('renderBanner', () => {
  it('covers every IAB banner size in the registry', () => {
    expect(BANNERS.map((c) => c.id).sort()).toEqual([
      'banner-160x600',
      'banner-300x250',
      'banner-300x600',
      'banner-320x100',
      'banner-320x50',
      'banner-336x280',
      'banner-728x90',
      'banner-970x250',
    ]);
  });

  for (const channel of BANNERS) {
    it(`renders ${channel.id} at its exact size, under ${channel.maxBytes} bytes, as JPEG or PNG`, async () => {
      for (const [name, image] of [
        ['photo', photo],
        ['detailed', noisy],
      ] as const) {
        const p = product({
          title: 'Trail Runner 3 — all-terrain running shoe',
          images: ['images/a.jpg'],
          compareAtPrice: { amount: 120, currency: 'USD' },
          price: { amount: 89, currency: 'USD' },
        });
        const { storyboard } = planStoryboard({ product: p, campaign: CAMPAIGN, template, channel });
        const result = await renderBanner({ storyboard, channel, image, outPathBase: join(dir, `${channel.id}-${name}`) });
        const report = await validateBanner(result.path, channel);
        expect(report.problems, `${channel.id} ${name}`).toEqual([]);
        expect(result.bytes).toBeLessThanOrEqual(channel.maxBytes);
        expect(await sharp(result.path).metadata()).toMatchObject({ width: channel.width, height: channel.height });
        if (name === 'detailed' && result.format === 'jpeg') expect(result.quality).toBeGreaterThanOrEqual(30);
      }
    });
  }

  it('draws legible text: the CTA pixels differ from the background around them', async () => {
    const channel = BANNERS.find((c) => c.id === 'banner-300x250')!;
    const { storyboard } = planStoryboard({ product: product({ images: ['images/a.jpg'] }), campaign: CAMPAIGN, template, channel });
    const result = await renderBanner({ storyboard, channel, image: photo, outPathBase: join(dir, 'legible') });
    const cta = storyboard.overlays.find((o) => o.slot === 'cta')!.box;
    const { data, info } = await sharp(result.path)
      .extract({ left: cta.x, top: cta.y, width: cta.w, height: cta.h })
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    let min = 255,
      max = 0;
    for (const v of data) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(max - min).toBeGreaterThan(120);
    expect(info.width).toBe(cta.w);
  });

  it('renders a typographic banner (no photo) and a CJK headline', async () => {
    const channel = BANNERS.find((c) => c.id === 'banner-336x280')!;
    const p = product({ title: '軽量ランニングシューズ 春の新作', images: [] });
    const { storyboard } = planStoryboard({ product: p, campaign: CAMPAIGN, template, channel });
    const result = await renderBanner({ storyboard, channel, outPathBase: join(dir, 'cjk') });
    expect((await validateBanner(result.path, channel)).ok).toBe(true);
  });

  it('refuses a video storyboard and reports a wrong-size file', async () => {
    const tiktok = CHANNELS.find((c) => c.id === 'tiktok')!;
    const { storyboard } = planStoryboard({ product: product({ images: ['images/a.jpg'] }), campaign: CAMPAIGN, template, channel: tiktok });
    await expect(renderBanner({ storyboard, channel: BANNERS[0], outPathBase: join(dir, 'x') })).rejects.toBeInstanceOf(BannerError);
    const wrong = join(dir, 'wrong.png');
    await sharp({ create: { width: 301, height: 250, channels: 3, background: '#fff' } })
      .png()
      .toFile(wrong);
    expect(
      (
        await validateBanner(
          wrong,
          BANNERS.find((c) => c.id === 'banner-300x250')!,
        )
      ).problems.join(),
    ).toMatch(/301×250/);
  });
});
