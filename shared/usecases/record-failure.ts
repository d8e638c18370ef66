import type { Deps } from '#ports/deps';
import type { FailureInput } from '#ports/workflow-payloads';
import { loadCampaign } from './load-documents.ts';
import { isPublishedFrom, updateAd } from './record-ad.ts';

/** Records why a product failed on each of its ads, so the batch goes on and nothing is lost silently. */
export async function recordFailure(deps: Deps, input: FailureInput): Promise<{ failed: number }> {
  const campaign = await loadCampaign(deps.store, input.campaignKey);
  const reason = failureReason(input.error);
  const now = deps.now().toISOString();
  for (const variant of input.variants) {
    await updateAd(deps.tracker, { campaignId: campaign.id, sku: input.sku, templateId: variant.templateId, channel: variant.channel }, (current) =>
      // A concurrent run already published this very input: this run's failure does not make that ad fail.
      isPublishedFrom(current, variant.inputHash) && current?.runId !== input.runId
        ? undefined
        : {
            ...(current ?? {}),
            schemaVersion: 1,
            campaignId: campaign.id,
            sku: input.sku,
            templateId: variant.templateId,
            channel: variant.channel,
            // A failed re-run keeps the last published files visible but no longer claims they match the input.
            status: 'failed',
            inputHash: variant.inputHash,
            productHash: input.productHash,
            reason,
            runId: input.runId,
            outputs: current?.outputs ?? {},
            attempts: (current?.attempts ?? 0) + 1,
            timings: current?.timings ?? {},
            updatedAt: now,
          },
    );
  }
  return { failed: input.variants.length };
}

/** Turns a Step Functions error (`Error` + `Cause`, which Lambda fills with a JSON object) into one readable line. */
export function failureReason(error: FailureInput['error']): string {
  let message = error.Cause ?? '';
  try {
    const cause = JSON.parse(message) as { errorMessage?: string };
    if (cause.errorMessage) message = cause.errorMessage;
  } catch {
    // Cause is plain text locally.
  }
  return `${error.Error}: ${message}`.slice(0, 1000);
}
