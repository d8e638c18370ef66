import { Campaign as CampaignSchema, type Campaign } from '#domain/model/campaign';
import type { ChannelSpec } from '#domain/model/channel-spec';
import { planStoryboard, templateFits } from '#domain/planning/planner';
import { Product as ProductSchema, type Product } from '#domain/model/product';
import { encodeCount } from '#domain/planning/shared-encode';
import type { Template } from '#domain/model/template';

/**
 * Encodes per product and template when a product goes to every video placement (planned, not encoded:
 * the count is a property of the storyboards), against one encode per placement without sharing.
 */
export function encodesPerProduct(
  product: Product,
  campaign: Campaign,
  templates: readonly Template[],
  channels: readonly ChannelSpec[],
): { placements: number; perTemplate: Record<string, number>; total: number } {
  const video = channels.filter((c) => c.kind === 'video');
  const perTemplate: Record<string, number> = {};
  for (const template of templates) {
    const fitting = video.filter((c) => templateFits(template, product, c));
    if (fitting.length === 0) continue;
    const variants = fitting.map((channel) => ({
      channel,
      storyboard: planStoryboard({ product, campaign, template, channel, siblings: channels }).storyboard,
    }));
    perTemplate[template.id] = encodeCount(variants, channels);
  }
  return { placements: video.length, perTemplate, total: Object.values(perTemplate).reduce((a, b) => a + b, 0) };
}

/** The bench figure: encodes per product on every registry video placement, for a discounted bench product with the bench campaign's template. */
export function benchEncodes(
  templates: readonly Template[],
  channels: readonly ChannelSpec[],
): { placements: number; perTemplate: Record<string, number>; total: number } {
  const product = ProductSchema.parse({
    schemaVersion: 1,
    source: 'json',
    productHash: 'bench-encodes',
    sku: 'BENCH-00001',
    title: 'Classic Mug 1',
    brand: 'Bench Goods',
    features: ['Generated for npm run bench'],
    price: { amount: 19, currency: 'USD' },
    compareAtPrice: { amount: 29, currency: 'USD' },
    images: ['images/p0-a.jpg', 'images/p0-b.jpg'],
  });
  const campaign = CampaignSchema.parse({
    schemaVersion: 1,
    id: 'bench-campaign',
    name: 'Benchmark campaign',
    templates: templates.map((t) => t.id),
    channels: ['tiktok'],
    cta: 'Shop now',
    brand: { name: 'Bench Goods', colors: { primary: '#1f3b4d', secondary: '#5b8fa8', text: '#101418', accent: '#ffd166' } },
  });
  return encodesPerProduct(product, campaign, templates, channels);
}
