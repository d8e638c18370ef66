import { planStoryboard } from '#domain/planner';
import { encodeKey, sharedEncode } from '#domain/shared-encode';
import type { RenderJob } from '#domain/render-job';
import type { Deps } from '#ports/deps';
import type { Plan, ProductItem } from './contracts.ts';
import { loadCampaign, loadProduct, saveDocument } from './load-documents.ts';

/** Plans every variant of one product and the unique render jobs they need (shared across a family). */
export async function planProduct(deps: Deps, item: ProductItem): Promise<Plan> {
  const [product, campaign] = await Promise.all([loadProduct(deps.store, item.productKey), loadCampaign(deps.store, item.campaignKey)]);
  const jobs = new Map<string, RenderJob>();
  const templateOf = new Map<string, string>();
  const variants: Plan['variants'] = [];
  const siblings = [...deps.channels.values()];
  // Placements whose storyboards make the same encode share one: the first is encoded, the others ride along.
  const byEncode = new Map<string, Plan['variants'][number]>();
  for (const variant of item.variants) {
    const template = deps.templates.get(variant.templateId)!;
    const channel = deps.channels.get(variant.channel)!;
    const planned = planStoryboard({ product, campaign, template, channel, generation: variant.generation, siblings });
    const storyboardKey = `storyboards/${planned.storyboard.hash}.json`;
    await saveDocument(deps.store, storyboardKey, planned.storyboard);
    for (const job of planned.jobs) {
      jobs.set(job.renderHash, job);
      templateOf.set(job.renderHash, variant.templateId);
    }
    const ref = { ...variant, storyboardKey, storyboardHash: planned.storyboard.hash };
    const key = channel.kind === 'video' ? encodeKey(planned.storyboard, sharedEncode(channel, siblings).spec) : undefined;
    const leader = key ? byEncode.get(key) : undefined;
    if (leader) (leader.sharedWith ??= []).push(ref);
    else {
      variants.push(ref);
      if (key) byEncode.set(key, ref);
    }
  }
  const renderJobs: Plan['renderJobs'] = [];
  for (const job of jobs.values()) {
    const jobKey = `render-jobs/${job.renderHash}.json`;
    if (!(await deps.store.exists(jobKey))) await saveDocument(deps.store, jobKey, job);
    renderJobs.push({ renderHash: job.renderHash, jobKey, templateId: templateOf.get(job.renderHash) });
  }
  return { renderJobs, variants, renderConcurrency: campaign.renderer.concurrency };
}
