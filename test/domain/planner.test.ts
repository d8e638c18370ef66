import { describe, expect, it } from 'vitest';
import { Campaign } from '#domain/campaign';
import { CHANNELS } from '#domain/channels';
import { canonicalJson } from '#domain/hash';
import { planStoryboard, safeArea } from '#domain/planner';
import { Product } from '#domain/product';
import { parseTemplateFile } from '#domain/template-catalog';
import { readFileSync } from 'node:fs';

const template = parseTemplateFile('product-hero.json', readFileSync('templates/product-hero.json', 'utf8'));
const campaign = Campaign.parse({
  schemaVersion: 1, id: 'c', name: 'C',
  brand: { name: 'B', colors: { primary: '#112233', secondary: '#445566', text: '#000000', accent: '#ffcc00' } },
  templates: ['product-hero'], channels: ['tiktok'],
});
const product = Product.parse({
  schemaVersion: 1, source: 'json', productHash: 'p1', sku: 'SKU-1', title: 'A very long product title that will not fit on one line of a vertical ad at all',
  price: { amount: 18, currency: 'USD' }, compareAtPrice: { amount: 24, currency: 'USD' }, images: ['images/a.jpg', 'images/b.jpg'],
});

describe('planStoryboard', () => {
  for (const channel of CHANNELS) {
    it(`fits ${channel.id}: duration, frame-exact timeline, overlays inside the safe zone`, () => {
      const { storyboard, jobs } = planStoryboard({ product, campaign, template, channel });
      expect(storyboard.duration).toBeGreaterThanOrEqual(channel.duration.min);
      expect(storyboard.duration).toBeLessThanOrEqual(channel.duration.max);
      expect(Math.round(storyboard.duration * channel.fps)).toBe(Math.round(channel.duration.target * channel.fps));
      const last = storyboard.shots.at(-1)!;
      expect(last.start + last.duration).toBeCloseTo(storyboard.duration, 2);
      const safe = safeArea(channel);
      for (const o of storyboard.overlays) {
        expect(o.box.x).toBeGreaterThanOrEqual(safe.x);
        expect(o.box.y).toBeGreaterThanOrEqual(safe.y);
        expect(o.box.x + o.box.w).toBeLessThanOrEqual(safe.x + safe.w);
        expect(o.box.y + o.box.h).toBeLessThanOrEqual(safe.y + safe.h);
        expect(o.fontPx).toBeGreaterThanOrEqual(channel.minTextPx);
        expect(o.end).toBeLessThanOrEqual(storyboard.duration + 1e-9);
      }
      expect(new Set(storyboard.shots.map((s) => s.renderHash)).size).toBe(jobs.length);
    });
  }

  it('is deterministic: the same input gives byte-identical storyboard JSON', () => {
    const a = planStoryboard({ product, campaign, template, channel: CHANNELS[0] });
    const b = planStoryboard({ product, campaign, template, channel: CHANNELS[0] });
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });

  it('shortens the headline at a word boundary and writes the discount', () => {
    const { storyboard } = planStoryboard({ product, campaign, template, channel: CHANNELS[0] });
    const headline = storyboard.overlays.find((o) => o.slot === 'headline')!;
    expect(headline.text.endsWith('…')).toBe(true);
    expect(product.title.startsWith(headline.text.slice(0, -1))).toBe(true);
    expect(storyboard.overlays.find((o) => o.slot === 'price')!.text).toBe('$18.00  −25%');
  });

  it('changes every hash when the product changes', () => {
    const a = planStoryboard({ product, campaign, template, channel: CHANNELS[0] });
    const b = planStoryboard({ product: { ...product, productHash: 'p2', images: ['images/c.jpg'] }, campaign, template, channel: CHANNELS[0] });
    expect(a.storyboard.hash).not.toBe(b.storyboard.hash);
    expect(a.jobs.map((j) => j.renderHash)).not.toEqual(b.jobs.map((j) => j.renderHash));
  });
});
