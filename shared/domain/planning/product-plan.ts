import type { Campaign } from '#domain/model/campaign';
import type { ChannelSpec } from '#domain/model/channel-spec';
import { planStoryboard, templateFits } from './planner.ts';
import type { Product } from '#domain/model/product';
import type { RenderJob } from '#domain/model/render-job';
import type { Storyboard } from '#domain/model/storyboard';
import type { Template } from '#domain/model/template';
import { rendersShots } from '#domain/model/output-kinds';

export interface ProductPlan {
  sku: string;
  variants: Array<{ templateId: string; channel: string; storyboard: Storyboard }>;
  /** Unique render jobs across every variant, in first-use order. */
  jobs: RenderJob[];
  stats: PlanStats;
}

export interface PlanStats {
  /** Video variants planned (image channels render nothing). */
  videoVariants: number;
  /** Shots summed over the video variants: what rendering every shot of every channel would cost. */
  shotSlots: number;
  /** Unique render jobs after aspect-family sharing and content-hash dedupe. */
  jobs: number;
}

/**
 * The (template, channel) variants a product gets ads for: every template whose conditions the product
 * meets, on each channel the template is made for; template by template, channels in the order given.
 * Prepare (the run) and expandProductPlan (adline plan) both expand through here, so they agree.
 */
export function productVariants<T extends Template, C extends ChannelSpec>(
  product: Parameters<typeof templateFits>[1],
  templates: readonly T[],
  channels: readonly C[],
): Array<{ template: T; channel: C }> {
  return templates.flatMap((template) => channels.filter((channel) => templateFits(template, product, channel)).map((channel) => ({ template, channel })));
}

/**
 * Plans every (template, channel) variant of one product (productVariants) and the unique render jobs
 * they need together.
 */
export function expandProductPlan(opts: {
  product: Product;
  campaign: Campaign;
  templates: readonly Template[];
  channels: readonly ChannelSpec[];
  generation?: number;
  toolchain?: string;
}): ProductPlan {
  const { product, campaign, templates, channels, generation, toolchain } = opts;
  const variants: ProductPlan['variants'] = [];
  const jobs = new Map<string, RenderJob>();
  let shotSlots = 0;
  let videoVariants = 0;
  for (const { template, channel } of productVariants(product, templates, channels)) {
    const planned = planStoryboard({ product, campaign, template, channel, generation, toolchain });
    variants.push({ templateId: template.id, channel: channel.id, storyboard: planned.storyboard });
    if (rendersShots(channel.kind)) {
      videoVariants += 1;
      shotSlots += planned.storyboard.shots.length;
    }
    for (const job of planned.jobs) if (!jobs.has(job.renderHash)) jobs.set(job.renderHash, job);
  }
  return { sku: product.sku, variants, jobs: [...jobs.values()], stats: { videoVariants, shotSlots, jobs: jobs.size } };
}

/** One line for people: "33 shots × channels → 10 render jobs (70% fewer)". */
export function describeStats(stats: PlanStats): string {
  if (stats.shotSlots === 0) return `${stats.jobs} render jobs`;
  const saved = Math.round((1 - stats.jobs / stats.shotSlots) * 100);
  return (
    `${stats.shotSlots} shots over ${stats.videoVariants} video variants → ${stats.jobs} render jobs ` +
    `(${saved}% fewer, ${(stats.jobs / stats.shotSlots).toFixed(2)} of shots × channels)`
  );
}
