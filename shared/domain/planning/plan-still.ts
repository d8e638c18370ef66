import type { StoryboardStill } from '#domain/model/storyboard';
import { bannerLayout } from './banner-layout.ts';
import { imageFor } from './generation.ts';
import { copyFor } from './overlay-copy.ts';
import type { PlanInput, PlannedVariant } from './plan-input.ts';
import { finishStoryboard, storyboardHeader } from './storyboard-header.ts';

/**
 * Plans a display banner: one still with the product photo, headline, price and CTA. Wide banners
 * (728×90, 320×50, 320×100, 970×250) lay out in a row — photo | headline over price | CTA — and the
 * others in a column — headline / photo / price and CTA. No render jobs: the composer draws the photo.
 */
export function planStill({ product, campaign, template, channel, generation = 0 }: PlanInput): PlannedVariant {
  const hero = template.shots.find((s) => s.role === 'hero') ?? template.shots[0];
  const imageKey = imageFor(product, hero.subject.image, generation);
  const copy = copyFor(product, campaign);
  const layout = bannerLayout(copy, channel, campaign, !!imageKey);
  const still: StoryboardStill = {
    ...(imageKey ? { imageKey } : {}),
    ...(layout.productBox && imageKey ? { productBox: layout.productBox } : {}),
    focus: hero.subject.focus,
    background: [campaign.brand.colors.primary, campaign.brand.colors.secondary],
  };
  return {
    storyboard: finishStoryboard({
      ...storyboardHeader(product, campaign, template, channel, generation, 'image'),
      duration: 0,
      frames: 0,
      shots: [],
      overlays: layout.overlays.map((o) => ({ ...o, start: 0, end: 0 })),
      still,
    }),
    jobs: [],
  };
}
