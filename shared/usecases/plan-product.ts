import { channelOf } from '#domain/planning/channels';
import { renderJobFileKey, storyboardFileKey } from '#domain/model/asset-keys';
import { AdOverrides, overridesKey, reseedsFor, withCopy } from '#domain/model/ad-overrides';
import { planStoryboard } from '#domain/planning/planner';
import { encodeKey, sharedEncode } from '#domain/planning/shared-encode';
import { outputKind } from '#domain/model/output-kinds';
import type { RenderJob } from '#domain/model/render-job';
import type { AssetStore } from '#ports/asset-store';
import type { Deps } from '#ports/deps';
import type { Plan, ProductItem } from '#ports/workflow-payloads';
import { loadCampaign, loadDocument, loadProduct, saveDocument } from './load-documents.ts';
import { updateAd } from './record-ad.ts';

/**
 * Plans every variant of one product and the unique render jobs they need (shared across a family).
 * A reviewer's copy edits and shot reseeds apply here; a variant whose storyboard comes out identical to
 * the one already published (same hash) is not rendered again: its row only takes the new input hash.
 */
export async function planProduct(deps: Deps, item: ProductItem): Promise<Plan> {
  const [product, campaign] = await Promise.all([loadProduct(deps.store, item.productKey), loadCampaign(deps.store, item.campaignKey)]);
  const overrides = await loadOverrides(deps.store, campaign.id, product.sku);
  const edited = withCopy(product, campaign, overrides?.copy);
  const jobs = new Map<string, RenderJob>();
  const templateOf = new Map<string, string>();
  const variants: Plan['variants'] = [];
  const siblings = [...deps.channels.values()];
  // Placements whose storyboards make the same encode share one: the first is encoded, the others ride along.
  const byEncode = new Map<string, Plan['variants'][number]>();
  for (const variant of item.variants) {
    const template = deps.templates.get(variant.templateId) ?? unknownTemplate(variant.templateId, deps);
    const channel = channelOf(deps.channels, variant.channel);
    const planned = planStoryboard({
      ...edited,
      template,
      channel,
      generation: variant.generation,
      toolchain: item.toolchain,
      reseed: reseedsFor(overrides, variant.templateId),
      siblings,
    });
    const adKey = { campaignId: campaign.id, sku: product.sku, templateId: variant.templateId, channel: variant.channel };
    if (await keptAsIs(deps, adKey, planned.storyboard.hash, variant.inputHash)) continue;
    const storyboardKey = storyboardFileKey(planned.storyboard.hash);
    await saveDocument(deps.store, storyboardKey, planned.storyboard);
    for (const job of planned.jobs) {
      jobs.set(job.renderHash, job);
      templateOf.set(job.renderHash, variant.templateId);
    }
    const ref = { ...variant, storyboardKey, storyboardHash: planned.storyboard.hash };
    const encode = outputKind(channel.kind).sharesEncodes ? encodeKey(planned.storyboard, sharedEncode(channel, siblings).spec) : undefined;
    const leader = encode ? byEncode.get(encode) : undefined;
    if (leader) (leader.sharedWith ??= []).push(ref);
    else {
      variants.push(ref);
      if (encode) byEncode.set(encode, ref);
    }
  }
  const renderJobs: Plan['renderJobs'] = [];
  for (const job of jobs.values()) {
    const jobKey = renderJobFileKey(job.renderHash);
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
  throw new UnknownTemplateError(
    `Unknown template "${id}". Known templates: ${[...deps.templates.keys()].join(', ')}; add it to templates/ or remove it from the campaign.`,
  );
}

/** A product's review overrides, if a reviewer edited its copy or asked for another take. */
export async function loadOverrides(store: AssetStore, campaignId: string, sku: string): Promise<AdOverrides | undefined> {
  const key = overridesKey(campaignId, sku);
  return (await store.exists(key)) ? loadDocument(store, key, AdOverrides, 'review overrides') : undefined;
}

/**
 * True when the published ad already shows exactly this storyboard (an edit that does not touch this
 * variant's text or shots): the row records the new input hash, keeping its take and review, and nothing is rendered.
 */
async function keptAsIs(
  deps: Deps,
  key: { campaignId: string; sku: string; templateId: string; channel: string },
  storyboardHash: string,
  inputHash: string,
): Promise<boolean> {
  const current = await deps.tracker.getAd(key);
  if (current?.status !== 'published' || current.storyboardHash !== storyboardHash || current.inputHash === inputHash) return false;
  await updateAd(deps.tracker, key, (row) =>
    row && row.status === 'published' && row.storyboardHash === storyboardHash ? { ...row, inputHash, updatedAt: deps.now().toISOString() } : undefined,
  );
  return true;
}
