import type { Deps } from '#ports/deps';
import type { ProductItem } from '#ports/workflow-payloads';
import { saveDocument } from './load-documents.ts';
import { withProductLease } from './product-lease.ts';

export interface PublishOutcome {
  published: number;
  alreadyPublished: number;
  /** Set when a newer input of the same source product arrived while this run worked: nothing was published. */
  superseded?: { reason: string; record: string };
}

/**
 * Publishes only if the run's input is still the newest of its source product (for a Shopify product:
 * the watermark's content hash, not retired), checked under the product's lease so no newer run or
 * retire can slip in between the check and the writes. An overtaken run ends `superseded`, recorded
 * in the store at `runs/<runId>/superseded/<sku>.json`. Inputs without a source (uploads) publish as before.
 */
export async function publishIfCurrent(deps: Deps, input: ProductItem, publish: () => Promise<PublishOutcome>): Promise<PublishOutcome> {
  const source = input.source;
  if (!source) return publish();
  return withProductLease(deps.tracker, input.campaignKey, input.sku, deps.now, async () => {
    const reason = await supersededReason(deps, source);
    if (!reason) return publish();
    return { published: 0, alreadyPublished: 0, superseded: { reason, record: await recordSuperseded(deps, input.runId, input.sku, source, reason) } };
  });
}

/** Why an input is no longer the newest of its source product (a newer version arrived, or it was retired); undefined while it is. */
export async function supersededReason(deps: Pick<Deps, 'tracker'>, source: NonNullable<ProductItem['source']>): Promise<string | undefined> {
  const current = await deps.tracker.getWatermark(source.sourceId);
  if (!current) return undefined;
  if (current.deleted)
    return (
      `the product was retired` + `${current.retiredBy ? ` by delivery ${current.retiredBy.webhookId} (${current.retiredBy.topic})` : ''} while this run worked`
    );
  if (current.contentHash !== source.contentHash)
    return `a newer version of the product (updated_at ${current.updatedAt}, content ${current.contentHash}) arrived while this run worked`;
  return undefined;
}

/** Records that a run's product was overtaken, at `runs/<runId>/superseded/<sku>.json`; returns the key. */
export async function recordSuperseded(
  deps: Pick<Deps, 'store' | 'now'>,
  runId: string,
  sku: string,
  source: NonNullable<ProductItem['source']>,
  reason: string,
): Promise<string> {
  const record = `runs/${runId}/superseded/${sku}.json`;
  await saveDocument(deps.store, record, {
    schemaVersion: 1,
    outcome: 'superseded',
    runId,
    sku,
    sourceId: source.sourceId,
    contentHash: source.contentHash,
    reason,
    at: deps.now().toISOString(),
  });
  return record;
}
