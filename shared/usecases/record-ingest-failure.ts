import type { Campaign } from '#domain/model/campaign';
import type { ChannelSpec } from '#domain/model/channel-spec';
import { templateFits } from '#domain/planning/planner';
import { productVariants } from '#domain/planning/product-plan';
import type { CatalogItem } from '#domain/model/product';
import type { Template } from '#domain/model/template';
import type { Deps } from '#ports/deps';
import { updateAd } from './record-ad.ts';

/**
 * A product that fails at ingest (its photo cannot be fetched, say) and came from a trigger nobody
 * watches, a Shopify webhook, would otherwise show up nowhere: the run's rejection list is read by no one.
 * This writes a failed row with the reason for each ad the product would have had (the campaign's
 * templates that fit the item × the run's channels), so GET /ads, `adline status` and the gallery show it.
 * A row that is already published is left as it is: its files are still the ad of the last good version.
 * The next successful run of the product overwrites these rows.
 */
export async function recordIngestFailure(
  deps: Pick<Deps, 'tracker' | 'now'>,
  opts: {
    campaign: Campaign;
    item: CatalogItem;
    templates: readonly Template[];
    channels: readonly ChannelSpec[];
    runId: string;
    reason: string;
  },
): Promise<{ failed: number }> {
  const { campaign, item, runId } = opts;
  const reason = `ingest failed: ${opts.reason}`.slice(0, 1000);
  const now = deps.now().toISOString();
  // The ads the product would have had; when no template fits it, every template × channel shows the failure.
  const variants = opts.templates.some((t) => templateFits(t, item))
    ? productVariants(item, opts.templates, opts.channels)
    : opts.templates.flatMap((template) => opts.channels.map((channel) => ({ template, channel })));
  let failed = 0;
  for (const { template, channel } of variants) {
    const written = await updateAd(deps.tracker, { campaignId: campaign.id, sku: item.sku, templateId: template.id, channel: channel.id }, (current) =>
      current?.status === 'published'
        ? undefined
        : {
            ...(current ?? {}),
            schemaVersion: 1,
            campaignId: campaign.id,
            sku: item.sku,
            templateId: template.id,
            channel: channel.id,
            status: 'failed',
            inputHash: current?.inputHash ?? 'ingest-failed',
            reason,
            runId,
            outputs: current?.outputs ?? {},
            attempts: (current?.attempts ?? 0) + 1,
            timings: current?.timings ?? {},
            updatedAt: now,
          },
    );
    if (written) failed += 1;
  }
  return { failed };
}
