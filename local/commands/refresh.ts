import type { Command } from 'commander';
import { join } from 'node:path';
import { refreshCampaign } from '#triggers/refresh-campaign';
import { putCampaign, registerCatalogSource } from '../campaign-file.ts';
import { followRun, newRunId } from '../local-run.ts';
import { campaignOption, parseList, printAds, registryFor, resolveChannelIds, withHost, withStorageOptions, type StorageOptions } from './common.ts';

interface RefreshOptions extends StorageOptions {
  campaign: string;
  catalog?: string;
  channels?: string[];
}

/** `adline refresh`: re-render what is stale in a campaign, as its EventBridge schedule does in AWS. */
export function registerRefreshCommand(program: Command): void {
  withStorageOptions(program.command('refresh'))
    .description("re-render only a campaign's stale ads: changed products, new template or channel versions, ads past the max age")
    .addOption(campaignOption('--campaign <file|id>', 'campaign file, or the id of a campaign already run'))
    .option('--catalog <file>', "a new version of one of the campaign's catalogs (replaces the one with the same file name)")
    .option('--channels <ids>', 'comma-separated channel ids, or "all", overriding the campaign\'s', parseList)
    .addHelpText(
      'after',
      `
Examples:
  npx adline refresh                                    the example campaign: only what is stale
  npx adline refresh --catalog examples/catalog.json    after editing the catalog: only the changed products`,
    )
    .action(async (opts: RefreshOptions) => {
      const channels = await resolveChannelIds(opts.channels, (await registryFor(opts)).registry);
      await withHost(opts, async (host) => {
        const { campaignKey, campaign } = await putCampaign(host.deps.store, opts.campaign);
        const runId = newRunId().replace(/^run-/, `refresh-${campaign.id}-`).slice(0, 64);
        if (opts.catalog)
          await registerCatalogSource(host, { catalogPath: opts.catalog, campaignPath: opts.campaign, campaignId: campaign.id, uploadId: `${runId}-src` });
        const outcome = await refreshCampaign(
          { store: host.deps.store, tracker: host.deps.tracker, starter: host, now: host.deps.now },
          { campaignKey, runId, channels },
        );
        if (outcome.outcome !== 'started') {
          process.stdout.write(`nothing to refresh: campaign ${campaign.id} has no catalogs yet (run "adline run <catalog>" first)\n`);
          return;
        }
        let rendered = 0;
        let unchanged = 0;
        for (const run of outcome.runs) {
          const summary = await followRun(host, run.executionId);
          rendered += summary.published + summary.failed;
          unchanged += summary.unchanged;
          if (summary.failed > 0 || summary.rejected > 0) process.exitCode = 2;
        }
        const ads = (await Promise.all(outcome.runs.map((r) => host.deps.tracker.listAds({ runId: r.runId })))).flat();
        if (ads.length > 0) printAds(ads, opts.out);
        process.stdout.write(
          `\nrefresh ${runId}: ${outcome.products} products from ${outcome.sources} catalogs · re-rendered ${rendered} · unchanged ${unchanged}\n`,
        );
      });
    });
}
