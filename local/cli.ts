import { Command, InvalidArgumentError } from 'commander';
import { join } from 'node:path';
import type { AdRecord } from '#domain/ad-record';
import type { RunSummary } from '#usecases/contracts';
import { openLocalHost, PACKAGE_ROOT, type LocalHost } from './local-host.ts';
import { followRun, newRunId, uploadRunInput, type Progress } from './local-run.ts';

const EXAMPLES = join(PACKAGE_ROOT, 'examples');

/** The `adline` command line: demo, run and status on the local host. */
export function buildCli(): Command {
  const program = new Command('adline')
    .description('Turn a product catalog into channel-ready video ads, locally, with the same workflow that runs on AWS Step Functions.')
    .showHelpAfterError('(run "adline --help" for usage)');

  const storage = (cmd: Command) => cmd
    .option('--out <dir>', 'where ads, posters and the gallery are written', 'out')
    .option('--state <dir>', 'where the tracker database lives', '.adline');

  storage(program.command('demo'))
    .description('render the example catalog (examples/) for TikTok and the Instagram 4:5 feed')
    .action(async (opts: { out: string; state: string }) => {
      await runCommand({ catalog: join(EXAMPLES, 'catalog.json'), campaign: join(EXAMPLES, 'campaign.json'), ...opts });
    });

  storage(program.command('run <catalog>'))
    .description('render ads for a catalog file (.json, .jsonl or .csv)')
    .option('--campaign <file>', 'campaign file (brand kit, templates, channels)', join(EXAMPLES, 'campaign.json'))
    .option('--channels <ids>', 'comma-separated channel ids, overriding the campaign\'s', parseList)
    .action(async (catalog: string, opts: { campaign: string; channels?: string[]; out: string; state: string }) => {
      await runCommand({ catalog, ...opts });
    });

  storage(program.command('status'))
    .description('list every ad the tracker knows, with its status and files')
    .option('--json', 'print the tracker rows as JSON')
    .action(async (opts: { json?: boolean; out: string; state: string }) => {
      await withHost(opts, async (host) => {
        const ads = await host.deps.tracker.listAds();
        if (opts.json) process.stdout.write(`${JSON.stringify(ads, null, 2)}\n`);
        else printAds(ads, opts.out);
      });
    });
  return program;
}

async function runCommand(opts: { catalog: string; campaign: string; channels?: string[]; out: string; state: string }): Promise<void> {
  await withHost(opts, async (host) => {
    const started = performance.now();
    const runId = newRunId();
    const input = await uploadRunInput(host, { catalogPath: opts.catalog, campaignPath: opts.campaign, runId, channels: opts.channels });
    const { executionId } = await host.start(input, runId);
    process.stderr.write(`adline: run ${runId} started (${executionId})\n`);
    const summary = await followRun(host, executionId, progressPrinter());
    const seconds = (performance.now() - started) / 1000;
    printSummary(summary, await host.deps.tracker.listAds({ runId }), opts.out, seconds);
    if (summary.failed > 0 || summary.rejected > 0) process.exitCode = 2;
  });
}

async function withHost(opts: { out: string; state: string }, work: (host: LocalHost) => Promise<void>): Promise<void> {
  const host = await openLocalHost({ outDir: opts.out, stateDir: opts.state });
  try {
    await work(host);
  } finally {
    await host.close();
  }
}

function progressPrinter() {
  const tty = process.stderr.isTTY;
  let lastLine = '';
  return (p: Progress) => {
    const line = `  ${p.state.padEnd(16)} products ${p.productsDone}/${p.products}${p.productsFailed ? ` (${p.productsFailed} failed)` : ''} · shots rendered ${p.rendered} · variants encoded ${p.encoded} · unchanged ${p.unchanged}`;
    if (line === lastLine) return;
    lastLine = line;
    process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
  };
}

function printSummary(summary: RunSummary, ads: AdRecord[], outDir: string, seconds: number): void {
  if (process.stderr.isTTY) process.stderr.write('\n');
  if (ads.length > 0) printAds(ads, outDir);
  for (const r of summary.rejections) process.stdout.write(`rejected row ${r.row}${r.sku ? ` (${r.sku})` : ''}: ${r.reason}\n`);
  process.stdout.write(
    `\npublished ${summary.published} · unchanged ${summary.unchanged} · failed ${summary.failed} · rejected ${summary.rejected} · ${seconds.toFixed(1)} s\n` +
    `gallery: ${join(outDir, 'index.html')}\n`,
  );
}

function printAds(ads: AdRecord[], outDir: string): void {
  const rows = ads.map((ad) => [ad.sku, ad.channel, ad.templateId, ad.status, ad.durationSeconds ? `${ad.durationSeconds.toFixed(1)} s` : '', ad.bytes ? `${(ad.bytes / 1e6).toFixed(2)} MB` : '', ad.outputs.video ? join(outDir, ad.outputs.video) : ad.reason ?? '']);
  const header = ['sku', 'channel', 'template', 'status', 'length', 'size', 'file / reason'];
  const widths = header.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i].length))));
  const format = (r: string[]) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ');
  process.stdout.write(`${[format(header), ...rows.map(format)].join('\n')}\n`);
}

function parseList(value: string): string[] {
  const ids = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) throw new InvalidArgumentError('give at least one channel id, e.g. tiktok,feed-4x5');
  return ids;
}

/** Runs the CLI; errors print one clear line (no stack) and exit non-zero. */
export async function main(argv = process.argv): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (error) {
    process.stderr.write(`adline: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
