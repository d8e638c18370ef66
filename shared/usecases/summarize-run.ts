import { galleryHtml } from '#local/gallery';
import { noticeLine } from '#domain/model/text-notices';
import type { Deps } from '#ports/deps';
import type { RunSummary } from '#ports/workflow-payloads';
import { loadCampaign } from './load-documents.ts';
import { renderYield } from './render-yield.ts';
import { writeFeeds } from './delivery-feeds.ts';
import { MIME } from '#domain/model/content-types';

/** Closes a run: counts from the tracker, the run record, and the gallery page at the store's root. */
export async function summarizeRun(deps: Deps, input: { runId: string; campaignKey: string }): Promise<RunSummary> {
  const campaign = await loadCampaign(deps.store, input.campaignKey);
  const [run, runAds, allAds, renders] = await Promise.all([
    deps.tracker.getRun(input.runId),
    deps.tracker.listAds({ runId: input.runId }),
    deps.tracker.listAds({ campaignId: campaign.id }),
    deps.tracker.listRenders({ runId: input.runId }),
  ]);
  const published = runAds.filter((ad) => ad.status === 'published');
  const failed = runAds.filter((ad) => ad.status === 'failed');
  const rejections = run?.rejected ?? [];
  const summary: RunSummary = {
    runId: input.runId,
    campaignId: campaign.id,
    products: new Set(runAds.map((ad) => ad.sku)).size,
    published: published.length,
    unchanged: run?.unchanged ?? 0,
    failed: failed.length,
    rejected: run?.rejectedCount ?? rejections.length,
    failures: failed.map((ad) => ({ sku: ad.sku, channel: ad.channel, reason: ad.reason ?? 'unknown' })),
    rejections,
    ...(run?.report ? { report: run.report } : {}),
    ...(run?.textNotices?.length ? { textNotices: run.textNotices.map(noticeLine) } : {}),
    renders: renderYield(renders),
  };
  const now = deps.now().toISOString();
  if (run) {
    await deps.tracker.putRun({
      ...run,
      finishedAt: now,
      counts: { products: summary.products, published: summary.published, unchanged: summary.unchanged, failed: summary.failed, rejected: summary.rejected },
    });
  }
  await deps.store.putBytes('index.html', galleryHtml(allAds, now), MIME.html);
  // New takes change what is approved (auto-approve, or back to review): feeds follow. Only where the store signs
  // URLs (S3); locally `adline serve` builds them live and rewrites them on every review action.
  if (deps.store.signedUrl) await writeFeeds(deps, campaign.id, {});
  return summary;
}
