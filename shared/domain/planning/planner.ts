import type { ChannelSpec } from '#domain/model/channel-spec';
import { outputKind } from '#domain/model/output-kinds';
import type { Product } from '#domain/model/product';
import type { Template } from '#domain/model/template';
import { CHANNELS } from './channels.ts';
import { featureBullets } from './copy.ts';
import type { PlanInput, PlannedVariant } from './plan-input.ts';
import { planStill } from './plan-still.ts';
import { planVideo } from './plan-video.ts';
import { sharedEncode } from './shared-encode.ts';

export type { PlanInput, PlannedVariant } from './plan-input.ts';
export { PLANNER_VERSION } from './storyboard-header.ts';
export { planStill };

/** A template × product × channel combination the template was not made for (it still plans, validly). */
export function templateFits(
  template: Template,
  product: Pick<Product, 'images' | 'price' | 'compareAtPrice' | 'features' | 'description'>,
  channel?: Pick<ChannelSpec, 'id'>,
): boolean {
  const c = template.conditions;
  const discounted =
    !!product.compareAtPrice && product.compareAtPrice.currency === product.price.currency && product.compareAtPrice.amount > product.price.amount;
  return (
    product.images.length >= c.minImages &&
    (c.maxImages === undefined || product.images.length <= c.maxImages) &&
    (!c.requiresDiscount || discounted) &&
    (c.minFeatures === 0 || featureBullets(product).length >= c.minFeatures) &&
    (!c.channels || !channel || c.channels.includes(channel.id) || !CHANNELS.some((known) => known.id === channel.id))
  );
}

/** Plans one (product, template, channel) variant: timed shots, overlays in the safe zone, render jobs. */
export function planStoryboard(input: PlanInput): PlannedVariant {
  if (outputKind(input.channel.kind).plan === 'still') return planStill(input);
  return planVideo({ ...input, channel: sharedEncode(input.channel, input.siblings ?? CHANNELS).spec });
}
