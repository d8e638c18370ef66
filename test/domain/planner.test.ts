import { describe, expect, it } from 'vitest';
import { CHANNELS } from '#domain/planning/channels';
import { sharedEncode } from '#domain/planning/shared-encode';
import { canonicalJson, seedFrom } from '#domain/hash';
import { planStoryboard, templateFits } from '#domain/planning/planner';
import { describeStats, expandProductPlan } from '#domain/planning/product-plan';
import { Storyboard } from '#domain/model/storyboard';
import { CAMPAIGN as campaign, TEMPLATES, product as makeProduct, storyboardProblems } from '../support/planner-fixtures.ts';

const template = TEMPLATES.find((t) => t.id === 'product-hero')!;
const product = makeProduct({
  title: 'A very long product title that will not fit on one line of a vertical ad at all',
  compareAtPrice: { amount: 24, currency: 'USD' },
  images: ['images/a.jpg', 'images/b.jpg'],
});
const tiktok = CHANNELS.find((c) => c.id === 'tiktok')!;
const VIDEO = CHANNELS.filter((c) => c.kind === 'video');

describe('planStoryboard', () => {
  for (const channel of CHANNELS) {
    it(`fits ${channel.id}: duration, safe zone, text size, measured copy`, () => {
      const { storyboard, jobs } = planStoryboard({ product, campaign, template, channel });
      expect(storyboardProblems(storyboard, channel)).toEqual([]);
      if (channel.kind === 'video') {
        // Placements that share an encode run at their shared duration (snapchat with the 15 s 9:16 group, YouTube at the bumper's 6 s).
        const { spec } = sharedEncode(channel, CHANNELS);
        expect(Math.round(storyboard.duration * channel.fps)).toBe(Math.round(spec.duration.target * channel.fps));
        expect(storyboard.duration).toBeGreaterThanOrEqual(channel.duration.min);
        expect(storyboard.duration).toBeLessThanOrEqual(channel.duration.max);
        expect(new Set(storyboard.shots.map((s) => s.renderHash)).size).toBe(jobs.length);
      } else {
        expect(jobs).toEqual([]);
        expect(storyboard.still!.imageKey).toBe('images/a.jpg');
        expect(storyboard.overlays.map((o) => o.slot).sort()).toEqual(['cta', 'headline', 'price']);
      }
    });
  }

  it('lays wide banners out in a row: photo, then headline over price, then the CTA', () => {
    for (const id of ['banner-728x90', 'banner-320x50']) {
      const { storyboard } = planStoryboard({ product, campaign, template, channel: CHANNELS.find((c) => c.id === id)! });
      const [headline, price, cta] = ['headline', 'price', 'cta'].map((slot) => storyboard.overlays.find((o) => o.slot === slot)!.box);
      const photo = storyboard.still!.productBox!;
      expect(photo.x + photo.w).toBeLessThanOrEqual(headline.x);
      expect(headline.y + headline.h).toBeLessThanOrEqual(price.y);
      expect(Math.max(headline.x + headline.w, price.x + price.w)).toBeLessThanOrEqual(cta.x);
    }
  });

  it('is deterministic and carries its own hash', () => {
    const a = planStoryboard({ product, campaign, template, channel: tiktok });
    const b = planStoryboard({ product, campaign, template, channel: tiktok });
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    const { hash, ...body } = a.storyboard;
    expect(Storyboard.parse(a.storyboard).hash).toBe(hash);
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(body.plannerVersion).toBe('planner@4');
  });

  it('shortens the headline at a word boundary only when it cannot fit, and formats price and discount with Intl', () => {
    const long = makeProduct({ title: `${'Extraordinarily comfortable '.repeat(12)}sneaker`, compareAtPrice: { amount: 24, currency: 'USD' } });
    const { storyboard } = planStoryboard({ product: long, campaign, template, channel: tiktok });
    const headline = storyboard.overlays.find((o) => o.slot === 'headline')!;
    expect(headline.fontPx).toBe(tiktok.minTextPx);
    expect(headline.text.endsWith('…')).toBe(true);
    expect(headline.text.split('\n')).toHaveLength(2);
    expect(long.title.replace(/\s+/g, ' ').startsWith(headline.text.replace('\n', ' ').slice(0, -1))).toBe(true);
    // The compare-at price is struck through beside the new price, with the discount badge on the same row.
    const price = storyboard.overlays.find((o) => o.slot === 'price')!;
    expect(price).toMatchObject({ text: '$18.00 $24.00', strikethrough: '$24.00' });
    const badge = storyboard.overlays.find((o) => o.slot === 'discount' && o.start === price.start)!;
    expect(badge.text).toBe('-25%');
    expect(badge.box.x).toBeGreaterThanOrEqual(price.box.x + price.box.w);
    expect(badge.box.y + badge.box.h / 2).toBeCloseTo(price.box.y + price.box.h / 2, -1);
    expect(storyboard.overlays.find((o) => o.slot === 'cta')!.shape).toBe('pill');
    const de = planStoryboard({ product, campaign: { ...campaign, locale: 'de-DE' }, template, channel: tiktok }).storyboard;
    expect(de.overlays.find((o) => o.slot === 'price')!.text).toBe('18,00 $ 24,00 $');
    expect(de.overlays.find((o) => o.slot === 'discount')!.text).toBe('-25 %');
  });

  it('picks Noto Sans JP for Japanese copy and drops emoji instead of drawing tofu', () => {
    const jp = makeProduct({ title: '有田焼 マグカップ 🎉 Café' });
    const { storyboard } = planStoryboard({ product: jp, campaign, template, channel: tiktok });
    const headline = storyboard.overlays.find((o) => o.slot === 'headline')!;
    expect(headline.font).toBe('noto-sans-jp');
    expect(headline.text.replace('\n', ' ')).toBe('有田焼 マグカップ Café');
    expect(storyboard.overlays.find((o) => o.slot === 'price')!.font).toBe('inter');
    const emojiOnly = planStoryboard({ product: makeProduct({ title: '🎉🔥', brand: 'Acme' }), campaign, template, channel: tiktok }).storyboard;
    // A title no font draws is left out (and reported as a text notice), never replaced by the brand.
    expect(emojiOnly.overlays.find((o) => o.slot === 'headline')).toBeUndefined();
    expect(emojiOnly.overlays.some((o) => o.text === 'Acme' && o.slot !== 'brand')).toBe(false);
  });

  it("puts copy on the brand's primary colour when white reads on it, else on translucent black", () => {
    const dark = planStoryboard({ product, campaign, template, channel: tiktok }).storyboard;
    expect(dark.overlays.find((o) => o.slot === 'headline')!.background).toBe('#112233d9');
    const pale = { ...campaign, brand: { ...campaign.brand, colors: { ...campaign.brand.colors, primary: '#f4e9d8' } } };
    expect(planStoryboard({ product, campaign: pale, template, channel: tiktok }).storyboard.overlays.find((o) => o.slot === 'headline')!.background).toBe(
      '#000000b3',
    );
  });

  it('changes every hash when the product changes', () => {
    const a = planStoryboard({ product, campaign, template, channel: tiktok });
    const b = planStoryboard({ product: { ...product, productHash: 'p2', images: ['images/c.jpg'] }, campaign, template, channel: tiktok });
    expect(a.storyboard.hash).not.toBe(b.storyboard.hash);
    expect(a.jobs.map((j) => j.renderHash)).not.toEqual(b.jobs.map((j) => j.renderHash));
  });

  it('seeds from (sku, template@version, family, shot, attempt); a new generation changes every seed, generation 0 keeps them', () => {
    const g0 = planStoryboard({ product, campaign, template, channel: tiktok }).storyboard;
    expect(g0.shots[0].seed).toBe(seedFrom(product.sku, 'product-hero@2', '9:16', 0, 0));
    expect(planStoryboard({ product, campaign, template, channel: tiktok, generation: 0 }).storyboard.hash).toBe(g0.hash);
    const g1 = planStoryboard({ product, campaign, template, channel: tiktok, generation: 1 }).storyboard;
    expect(g1.generation).toBe(1);
    expect(g1.shots[0].seed).toBe(seedFrom(product.sku, 'product-hero@2', '9:16', 0, 0, 1));
    g1.shots.forEach((s, i) => expect(s.seed).not.toBe(g0.shots[i].seed));
    expect(g1.seed).not.toBe(g0.seed);
  });

  it('keeps a bumper within 6 s and a hook-first short within 10 s', () => {
    const bumper = CHANNELS.find((c) => c.id === 'youtube-bumper')!;
    for (const t of TEMPLATES) expect(planStoryboard({ product, campaign, template: t, channel: bumper }).storyboard.duration).toBeLessThanOrEqual(6);
    const hook = TEMPLATES.find((t) => t.id === 'hook-first')!;
    expect(planStoryboard({ product, campaign, template: hook, channel: tiktok }).storyboard.duration).toBe(10);
    expect(templateFits(hook, product, tiktok)).toBe(true);
    expect(
      templateFits(
        hook,
        product,
        CHANNELS.find((c) => c.id === 'feed-4x5')!,
      ),
    ).toBe(false);
  });
});

describe("render jobs across a product's variants", () => {
  it('procedural: all video channels need at most a third of shots × channels (family sharing + plate dedupe)', () => {
    const plan = expandProductPlan({ product, campaign, templates: [template], channels: VIDEO });
    expect(plan.stats.videoVariants).toBe(VIDEO.length);
    expect(plan.stats.jobs * 3).toBeLessThanOrEqual(plan.stats.shotSlots);
    expect(describeStats(plan.stats)).toMatch(/shots over 11 video variants → \d+ render jobs/);
  });

  it('generative: all video channels need at most a third of shots × channels (one clip per orientation, cropped per placement)', () => {
    const http = { ...campaign, renderer: { ...campaign.renderer, kind: 'http' as const, endpoint: 'http://127.0.0.1:9' } };
    const plan = expandProductPlan({ product, campaign: http, templates: [template], channels: VIDEO });
    expect(plan.stats.jobs * 3).toBeLessThanOrEqual(plan.stats.shotSlots);
    // Portrait and square placements (9:16, 4:5, 1:1, 2:3) share the 9:16 clips, the landscape ones the 16:9 clips.
    expect(new Set(plan.jobs.map((j) => `${j.family} ${j.width}x${j.height}`))).toEqual(new Set(['9:16 1080x1920', '16:9 1920x1080']));
    const feed = plan.variants.find((v) => v.storyboard.channel === 'feed-4x5')!;
    const tiktok = plan.variants.find((v) => v.storyboard.channel === 'tiktok')!;
    expect(feed.storyboard.shots.map((s) => s.renderHash)).toEqual(tiktok.storyboard.shots.map((s) => s.renderHash).slice(0, feed.storyboard.shots.length));
    for (const job of plan.jobs) expect(job.prompt.includes('clear space above and below')).toBe(job.family === '9:16');
    // Procedural plates keep a family each: the assembler frames a still per channel, and existing hashes stay.
    const procedural = expandProductPlan({ product, campaign, templates: [template], channels: VIDEO });
    expect(new Set(procedural.jobs.map((j) => j.family)).size).toBe(new Set(VIDEO.map((c) => c.family.id)).size);
  });

  it('generative: 9:16 channels of different lengths share one render per shot (the longest; the assembler trims)', () => {
    const http = { ...campaign, renderer: { ...campaign.renderer, kind: 'http' as const, endpoint: 'http://127.0.0.1:9' } };
    const vertical = VIDEO.filter((c) => c.family.id === '9:16');
    expect(new Set(vertical.map((c) => c.duration.target)).size).toBeGreaterThan(1);
    const plan = expandProductPlan({ product, campaign: http, templates: [template], channels: vertical });
    expect(plan.stats.jobs).toBe(template.shots.length);
    for (const v of plan.variants) {
      for (const shot of v.storyboard.shots) expect(plan.jobs.find((j) => j.renderHash === shot.renderHash)!.duration).toBeGreaterThanOrEqual(shot.duration);
    }
  });
});
