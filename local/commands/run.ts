import type { Command } from 'commander';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { AdRecord } from '#domain/model/ad-record';
import type { RunSummary } from '#ports/workflow-payloads';
import { followRun, newRunId, uploadRunInput, type Progress } from '../local-run.ts';
import { campaignOption, EXAMPLES, parseList, printAds, registryFor, resolveChannelIds, withHost, withStorageOptions, type StorageOptions } from './common.ts';

/** `adline demo` and `adline run <catalog>`. */
export function registerRunCommands(program: Command): void {
  withStorageOptions(program.command('demo'))
    .description('render the example catalog (examples/) for TikTok and the Instagram 4:5 feed')
    .action(async (opts: StorageOptions) => {
      await runCatalog({ catalog: join(EXAMPLES, 'catalog.json'), campaign: join(EXAMPLES, 'campaign.json'), ...opts });
    });

  withStorageOptions(program.command('run <catalog>'))
    .description('render ads for a catalog file (.json, .jsonl or .csv)')
    .addOption(campaignOption('--campaign <file>', 'campaign file (brand kit, templates, channels)'))
    .option('--channels <ids>', 'comma-separated channel ids, or "all" (every registered placement), overriding the campaign\'s', parseList)
    .option(
      '--renderer <url>',
      'render endpoint speaking adline\'s http protocol (e.g. http://127.0.0.1:8787 from `adline render-server`), or "procedural"; overrides the campaign\'s',
    )
    .action(async (catalog: string, opts: StorageOptions & { campaign: string; channels?: string[]; renderer?: string }) => {
      // Channels are checked (and "all" expanded) before anything is written or started.
      const channels = await resolveChannelIds(opts.channels, (await registryFor(opts)).registry, opts.campaign);
      const campaign = opts.renderer ? await withRenderer(opts.campaign, opts.renderer, opts.state) : opts.campaign;
      await runCatalog({ catalog, ...opts, channels, campaign, campaignAssetsDir: opts.renderer ? dirname(resolve(opts.campaign)) : undefined });
    });
}

/**
 * Writes a copy of the campaign file whose renderer is the given http endpoint (or procedural), beside the
 * tracker. Its logo and music keys still name files beside the original, where the run looks them up.
 */
async function withRenderer(campaignPath: string, renderer: string, stateDir: string): Promise<string> {
  const campaign = JSON.parse(await readFile(campaignPath, 'utf8')) as { renderer?: Record<string, unknown> };
  if (renderer !== 'procedural' && !/^https?:\/\/[^\s]+$/.test(renderer))
    throw new Error(`--renderer takes an http(s) URL or "procedural", not "${renderer}".`);
  campaign.renderer =
    renderer === 'procedural' ? { ...campaign.renderer, kind: 'procedural', endpoint: undefined } : { ...campaign.renderer, kind: 'http', endpoint: renderer };
  // A render server on this machine (`adline render-server`) answers in milliseconds and bills nothing per
  // request: poll it every second, not every 10 s (the hosted default), unless the campaign says otherwise.
  if (renderer !== 'procedural' && campaign.renderer?.pollSeconds === undefined && isLoopback(renderer)) campaign.renderer.pollSeconds = 1;
  await mkdir(stateDir, { recursive: true });
  const path = join(stateDir, `campaign-${basename(campaignPath)}`);
  await writeFile(path, JSON.stringify(campaign, null, 2));
  return path;
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

async function runCatalog(opts: StorageOptions & { catalog: string; campaign: string; channels?: string[]; campaignAssetsDir?: string }): Promise<void> {
  await withHost(opts, async (host) => {
    const started = performance.now();
    const runId = newRunId();
    const input = await uploadRunInput(host, {
      catalogPath: opts.catalog,
      campaignPath: opts.campaign,
      runId,
      channels: opts.channels,
      campaignAssetsDir: opts.campaignAssetsDir,
    });
    const { executionId } = await host.start(input, runId);
    process.stderr.write(`adline: run ${runId} started (${executionId})\n`);
    const summary = await followRun(host, executionId, progressPrinter());
    const seconds = (performance.now() - started) / 1000;
    printSummary(summary, await host.deps.tracker.listAds({ runId }), opts.out, seconds);
    if (summary.failed > 0 || summary.rejected > 0) process.exitCode = 2;
  });
}

function progressPrinter() {
  const tty = process.stderr.isTTY;
  let lastLine = '';
  return (p: Progress) => {
    const line =
      `  ${p.state.padEnd(16)} products ${p.productsDone}/${p.products}${p.productsFailed ? ` (${p.productsFailed} failed)` : ''} · ` +
      `shots rendered ${p.rendered} · variants encoded ${p.encoded} · unchanged ${p.unchanged}`;
    if (line === lastLine) return;
    lastLine = line;
    process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
  };
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(0)}%`;

function printSummary(summary: RunSummary, ads: AdRecord[], outDir: string, seconds: number): void {
  if (process.stderr.isTTY) process.stderr.write('\n');
  if (ads.length > 0) printAds(ads, outDir);
  for (const r of summary.rejections) process.stdout.write(`rejected row ${r.row}${r.sku ? ` (${r.sku})` : ''}: ${r.reason}\n`);
  if (summary.rejected > summary.rejections.length)
    process.stdout.write(
      `… and ${summary.rejected - summary.rejections.length} more rejected rows: ` +
        `see ${summary.report ? join(outDir, summary.report) : 'the validation report'}\n`,
    );
  for (const line of summary.textNotices ?? []) process.stdout.write(`text left out: ${line}\n`);
  const r = summary.renders;
  if (r && r.shots > 0) {
    process.stdout.write(
      `\nrenders: ${r.shots} shots · first-pass yield ${percent(r.firstPassYield)} · final yield ${percent(r.finalYield)} · ` +
        `${r.fallbacks} fallbacks${r.budgetStops ? ` (${r.budgetStops} stopped by the campaign budget: rendered procedurally)` : ''} ` +
        `· ${r.attempts} attempts · ${r.videoSeconds.toFixed(1)} video-s · $${r.costUsd.toFixed(2)}\n`,
    );
    for (const [label, groups] of [
      ['endpoint', r.byEndpoint],
      ['template', r.byTemplate],
    ] as const) {
      for (const [name, g] of Object.entries(groups)) {
        process.stdout.write(
          `  ${label} ${name}: ${g.shots} shots · first-pass ${percent(g.firstPassYield)} · final ${percent(g.finalYield)} · ` +
            `${g.fallbacks} fallbacks · ${g.attempts} attempts · $${g.costUsd.toFixed(2)}\n`,
        );
      }
    }
  }
  process.stdout.write(
    `\npublished ${summary.published} · unchanged ${summary.unchanged} · failed ${summary.failed} · rejected ${summary.rejected} · ${seconds.toFixed(1)} s\n` +
      `gallery: ${join(outDir, 'index.html')}\n`,
  );
}
