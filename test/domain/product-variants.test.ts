import { describe, expect, it } from 'vitest';
import { CHANNELS } from '#domain/planning/channels';
import { templateFits } from '#domain/planning/planner';
import { expandProductPlan, productVariants } from '#domain/planning/product-plan';
import { CAMPAIGN as campaign, TEMPLATES, product as makeProduct } from '../support/planner-fixtures.ts';

const byId = (id: string) => TEMPLATES.find((t) => t.id === id)!;
const channel = (id: string) => CHANNELS.find((c) => c.id === id)!;
const product = makeProduct({ images: ['images/a.jpg', 'images/b.jpg'] });

describe('productVariants', () => {
  it('skips templates the product does not meet and channels a template is not made for, template by template', () => {
    const hook = byId('hook-first');
    const hero = byId('product-hero');
    const channels = [channel('feed-4x5'), channel('tiktok'), channel('shorts')];
    const pairs = productVariants(product, [hook, hero], channels).map(({ template, channel }) => `${template.id}/${channel.id}`);
    expect(pairs).toEqual(['hook-first/tiktok', 'hook-first/shorts', 'product-hero/feed-4x5', 'product-hero/tiktok', 'product-hero/shorts']);
    const needsThree = TEMPLATES.find((t) => t.conditions.minImages === 3)!;
    expect(templateFits(needsThree, product)).toBe(false);
    expect(productVariants(product, [needsThree], channels)).toEqual([]);
  });

  it('is the expansion adline plan plans: one variant per pair, in the same order', () => {
    const channels = CHANNELS.filter((c) => ['tiktok', 'feed-4x5', 'banner-300x250'].includes(c.id));
    expect(channels).toHaveLength(3);
    const expected = productVariants(product, TEMPLATES, channels).map(({ template, channel }) => [template.id, channel.id]);
    expect(expected.length).toBeGreaterThan(0);
    const plan = expandProductPlan({ product, campaign, templates: TEMPLATES, channels });
    expect(plan.variants.map((v) => [v.templateId, v.channel])).toEqual(expected);
  });
});
