import { channelOf } from '#domain/channels';
import { planStoryboard } from '#domain/planner';
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
  for (const variant of item.variants) {
    const template = deps.templates.get(variant.templateId) ?? unknownTemplate(variant.templateId, deps);
    const channel = channelOf(deps.channels, variant.channel);
    const planned = planStoryboard({ product, campaign, template, channel, generation: variant.generation, toolchain: item.toolchain });
    const storyboardKey = `storyboards/${planned.storyboard.hash}.json`;
    await saveDocument(deps.store, storyboardKey, planned.storyboard);
    for (const job of planned.jobs) {
      jobs.set(job.renderHash, job);
      templateOf.set(job.renderHash, variant.templateId);
    }
    variants.push({ ...variant, storyboardKey, storyboardHash: planned.storyboard.hash });
  }
  const renderJobs: Plan['renderJobs'] = [];
  for (const job of jobs.values()) {
    const jobKey = `render-jobs/${job.renderHash}.json`;
    if (!(await deps.store.exists(jobKey))) await saveDocument(deps.store, jobKey, job);
    renderJobs.push({ renderHash: job.renderHash, jobKey, templateId: templateOf.get(job.renderHash) });
  }
  return { renderJobs, variants, renderConcurrency: campaign.renderer.concurrency };
}

/** A template id this host does not have (templates/ changed between Prepare and Plan). */
export class UnknownTemplateError extends Error {
  override readonly name = 'UnknownTemplateError';
  readonly code = 'TEMPLATE_UNKNOWN';
}

function unknownTemplate(id: string, deps: Deps): never {
  throw new UnknownTemplateError(`Unknown template "${id}". Known templates: ${[...deps.templates.keys()].join(', ')}; add it to templates/ or remove it from the campaign.`);
}
