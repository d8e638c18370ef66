import type { Command } from 'commander';
import { RendererSettings } from '#domain/model/campaign';
import { MODEL_PROFILES } from '#domain/render/models/index';
import { describeProfileQuotes, describeQuote, quoteJobs, quoteProfile } from '#domain/render/quote';
import { planCatalogInputs, readCatalogInputs, type CatalogPlan } from '../plan-catalog.ts';
import { campaignOption, channelsFileOption, parseList, registryFor } from './common.ts';

export interface PlanOptions {
  campaign: string;
  channelsFile?: string;
  channels?: string[];
  json?: boolean;
}

/** `adline plan <catalog>`: storyboards and the unique render jobs, without rendering or storing anything. */
export function registerPlanCommand(program: Command): void {
  program
    .command('plan <catalog>')
    .description('print the storyboards and planned render jobs for a catalog, rendering nothing (no tracker, nothing written)')
    .addOption(campaignOption('--campaign <file>', 'campaign file (brand kit, templates, channels)'))
    .option('--channels <ids>', 'comma-separated channel ids, or "all", overriding the campaign\'s', parseList)
    .addOption(channelsFileOption())
    .option('--json', 'print the whole plan as JSON (identical bytes for identical input)')
    .option('--quote', "also print the expected render seconds and cost on the campaign's renderer (price table in shared/domain/render/price-table.ts)")
    .action(async (catalog: string, opts: PlanOptions & { quote?: boolean }) => {
      const { extraChannels } = await registryFor(opts);
      // The catalog is parsed and ingested once; --quote plans the same inputs again per model profile.
      const inputs = await readCatalogInputs({ catalogPath: catalog, campaignPath: opts.campaign, channels: opts.channels, extraChannels });
      const plan = planCatalogInputs(inputs);
      process.stdout.write(opts.json ? `${JSON.stringify(plan, null, 2)}\n` : describePlan(plan));
      if (opts.quote) {
        const { renderer } = inputs.campaign;
        process.stdout.write(
          describeQuote(
            quoteJobs(
              plan.products.flatMap((p) => p.jobs),
              renderer,
            ),
          ),
        );
        // The same catalog planned to every model profile (its clip lengths), priced by the same rules as a run records.
        const quotes = [];
        for (const profile of MODEL_PROFILES) {
          const settings = RendererSettings.parse({
            ...renderer,
            kind: profile.provider,
            profile: profile.id,
            endpoint: renderer.endpoint ?? 'https://quote.invalid',
            clip: undefined,
            model: undefined,
          });
          const planned = planCatalogInputs(inputs, { renderer: settings });
          quotes.push(
            quoteProfile(
              profile,
              planned.products.flatMap((p) => p.jobs),
              renderer.maxAttempts,
            ),
          );
        }
        process.stdout.write(`\nper model profile:\n${describeProfileQuotes(quotes, renderer.maxAttempts)}`);
      }
      if (plan.rejected.length > 0) process.exitCode = 2;
    });
}

/** The plan as a table for people, ending with the render-job reduction. */
export function describePlan(plan: CatalogPlan): string {
  const rows = plan.products.flatMap((p) =>
    p.variants.map((v) => [
      p.sku,
      v.templateId,
      v.channel,
      v.storyboard.kind,
      `${v.storyboard.duration} s`,
      String(v.storyboard.shots.length),
      String(v.storyboard.overlays.length),
      v.storyboard.hash,
    ]),
  );
  const header = ['sku', 'template', 'channel', 'kind', 'length', 'shots', 'texts', 'storyboard'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const lines = [header, ...rows].map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
  for (const p of plan.products) lines.push(`${p.sku}: ${p.stats.shotSlots} shots × channels → ${p.stats.jobs} render jobs`);
  for (const r of plan.rejected) lines.push(`rejected row ${r.row}${r.sku ? ` (${r.sku})` : ''}: ${r.reason}`);
  lines.push(`\n${plan.summary.products} products · ${plan.summary.variants} variants · ${plan.summary.line}`);
  return `${lines.join('\n')}\n`;
}
