/**
 * `npm run bench`: measures the real local workflow and writes bench/results.json, bench/RESULTS.md and the
 * generated figures block of docs/scaling.md. Every sample runs in a child process (fresh heap, its own
 * peak memory); scratch goes to bench/tmp/. ADLINE_BENCH_QUICK=1 shrinks everything to a smoke test.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChannelSpec } from '#domain/model/channel-spec';
import { CHANNELS } from '#domain/planning/channels';
import { TASK_PROFILES } from '#infra/constructs/adline-function';
import type { TaskName } from '#infra/workflow';
import type { FloorRunResult } from './floor-run.ts';
import { sampleFigures, spreadFigures, stageOf, type SampleFigures } from './lib/analyze.ts';
import { simulateCampaign, type SimInput } from './lib/campaign-sim.ts';
import { benchEncodes } from './lib/encodes.ts';
import { parseTemplateFile } from '#domain/planning/template-catalog';
import { costPer1000Ads, lambdaCpuScale, peerCostsPer1000Ads, type PerAdUsage } from './lib/cost-model.ts';
import { busyShareNow, loadPerCore, machineInfo } from './lib/machine.ts';
import { PRICES, QUOTAS } from './lib/prices.ts';
import { renderResultsMarkdown, updateScalingDoc } from './lib/report.ts';
import { round, spread } from './lib/stats.ts';
import type { WorkflowRunConfig, WorkflowRunResult } from './workflow-run.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TMP = join(ROOT, 'bench', 'tmp');

const env = process.env;
const quick = env.ADLINE_BENCH_QUICK === '1';
const intList = (v: string | undefined) =>
  v
    ?.split(',')
    .map((x) => Number.parseInt(x, 10))
    .filter((x) => x > 0);

/**
 * What a run measures; the full run is sized to finish in about ten minutes on two quiet cores. One full-size
 * 15 s 1080×1920 ad takes ~11 s to assemble there, so the throughput samples use 2 products × 4 channels
 * (8 full-size ads each; 4 products took 4.6 min per sample): more with ADLINE_BENCH_PRODUCTS=8.
 */
export const CONFIG = {
  quick,
  samples: Number(env.ADLINE_BENCH_SAMPLES ?? 3),
  throughputProducts: Number(env.ADLINE_BENCH_PRODUCTS ?? (quick ? 1 : 2)),
  maxChannels: 4,
  scaleProducts: intList(env.ADLINE_BENCH_SCALE) ?? (quick ? [1, 2, 4] : [1, 4, 16, 32]),
  scaleChannel: quick ? { width: 180, height: 320, seconds: 2 } : { width: 270, height: 480, seconds: 3 },
  /** Quick runs shrink the throughput channels too (a quarter of the size, 3 s); full runs use them as registered. */
  throughputShrink: quick ? { factor: 0.25, seconds: 3 } : undefined,
  campaignProducts: 100_000,
};

/** The 9:16 and 4:5 video channels of the registry (at most four), else TikTok and the 4:5 feed. */
export function throughputChannels(): string[] {
  const video = CHANNELS.filter((c) => c.kind === 'video' && (c.family.id === '9:16' || c.family.id === '4:5'));
  const picked = video.slice(0, CONFIG.maxChannels).map((c) => c.id);
  return picked.length >= 2 ? picked : ['tiktok', 'feed-4x5'];
}

/** A smaller, shorter copy of the first 9:16 channel for the scaling series (same rules, fewer pixels). */
export function scaleChannel(): ChannelSpec {
  const base = CHANNELS.find((c) => c.family.id === '9:16' && c.kind === 'video') ?? CHANNELS[0];
  const { width, height, seconds } = CONFIG.scaleChannel;
  return shrunk(base, 'bench-scale', width, height, seconds);
}

/** A copy of a channel at another size and length, its safe zone and text size scaled alike. */
function shrunk(base: ChannelSpec, id: string, width: number, height: number, seconds: number): ChannelSpec {
  const k = width / base.width;
  const even = (x: number) => Math.max(2, Math.round(x / 2) * 2);
  width = even(width);
  height = even(height);
  return ChannelSpec.parse({
    ...base,
    id,
    name: `${base.name} (bench ${width}×${height}, ${seconds} s)`,
    width,
    height,
    family: { id: `bench-${base.family.id}`, renderWidth: width, renderHeight: height },
    duration: { min: 1, target: seconds, max: Math.max(seconds, 10) },
    safeZone: Object.fromEntries(Object.entries(base.safeZone).map(([key, v]) => [key, Math.round(v * k)])),
    minTextPx: Math.max(8, Math.round(base.minTextPx * k)),
  });
}

function log(message: string) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Runs a bench script in a child Node process (tsx loader) and reads its JSON result. */
async function child<T>(script: string, config: unknown, name: string): Promise<T> {
  const configPath = join(TMP, `${name}.config.json`);
  const resultPath = join(TMP, `${name}.result.json`);
  await writeFile(configPath, JSON.stringify(config));
  await new Promise<void>((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', script), configPath, resultPath], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'pipe'],
      env: { ...process.env, AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1' },
    });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-8000);
    });
    proc.once('error', reject);
    proc.once('close', (code) =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `${script} (${name}) exited with ${code}:\n${stderr
                .split('\n')
                .filter(
                  (l) => !/NodeVersionSupport|node >=22|a\.co\/|upgrade to node|versions published|will require node|security updates|trace-warnings/.test(l),
                )
                .join('\n')}`,
            ),
          ),
    );
  });
  return JSON.parse(await readFile(resultPath, 'utf8')) as T;
}

async function workflowRun(config: Omit<WorkflowRunConfig, 'dir' | 'extraChannels' | 'secondRun'> & Partial<WorkflowRunConfig>, name: string) {
  return child<WorkflowRunResult>('workflow-run.ts', { secondRun: false, extraChannels: [], ...config, dir: join(TMP, name) }, name);
}

/** Runs every measurement and returns what results.json holds. */
async function measure() {
  const started = Date.now();
  await rm(TMP, { recursive: true, force: true });
  await mkdir(TMP, { recursive: true });
  const machine = machineInfo(ROOT);
  const loadBefore = loadPerCore();
  const busyBefore = await busyShareNow();
  const registered = throughputChannels();
  const shrink = CONFIG.throughputShrink;
  const extraChannels = shrink
    ? registered.map((id) => {
        const c = CHANNELS.find((x) => x.id === id)!;
        return shrunk(c, `bench-${id}`, c.width * shrink.factor, c.height * shrink.factor, shrink.seconds);
      })
    : [];
  const channels = shrink ? extraChannels.map((c) => c.id) : registered;
  log(
    `${quick ? 'QUICK smoke run' : 'full run'}: ${CONFIG.samples} samples; ` +
      `throughput ${CONFIG.throughputProducts} products × [${channels.join(', ')}]; ` +
      `scaling ${CONFIG.scaleProducts.join('/')} products; load/core ${loadBefore}, ` +
      `cores busy before the start ${busyBefore === undefined ? 'unknown' : `${Math.round(busyBefore * 100)} %`}`,
  );

  // 1. Throughput, stage split, render economy and the second (unchanged) run, CONFIG.samples times.
  const throughput: WorkflowRunResult[] = [];
  for (let i = 0; i < CONFIG.samples; i++) {
    log(`throughput sample ${i + 1}/${CONFIG.samples}`);
    throughput.push(
      await workflowRun({ label: `throughput-${i + 1}`, products: CONFIG.throughputProducts, channels, extraChannels, secondRun: true }, `throughput-${i + 1}`),
    );
  }
  for (const r of throughput) {
    if (r.summary.failed > 0 || r.summary.published === 0)
      throw new Error(
        `Throughput sample ${r.label} published ${r.summary.published} and failed ${r.summary.failed}: the workflow is broken, fix it before benchmarking.`,
      );
  }
  const figures = throughput.map(sampleFigures);
  const t = spreadFigures<SampleFigures>(figures);

  // 2. Encode floor against the real Assemble task on a full-size 9:16 variant from the first sample.
  const fullSize =
    Object.entries(throughput[0].assembleInputs).find(([ch]) => CHANNELS.find((c) => c.id === ch)?.height === 1920) ??
    Object.entries(throughput[0].assembleInputs)[0];
  log(`encode floor vs Assemble (${fullSize[0]}), ${CONFIG.samples} alternating pairs`);
  const floor = await child<FloorRunResult>(
    'floor-run.ts',
    { sampleDir: join(TMP, 'throughput-1'), assembleInput: fullSize[1], samples: CONFIG.samples, extraChannels },
    'floor',
  );

  // 3. Scaling: the same run at growing catalog sizes, one small channel.
  const scale = scaleChannel();
  const scaling: Array<{ products: number; runs: WorkflowRunResult[] }> = [];
  for (const products of CONFIG.scaleProducts) {
    const runs: WorkflowRunResult[] = [];
    for (let i = 0; i < CONFIG.samples; i++) {
      log(`scaling: ${products} products, sample ${i + 1}/${CONFIG.samples}`);
      runs.push(
        await workflowRun({ label: `scale-${products}-${i + 1}`, products, channels: [scale.id], extraChannels: [scale] }, `scale-${products}-${i + 1}`),
      );
    }
    scaling.push({ products, runs });
  }
  const scalingRows = scaling.map(({ products, runs }) => {
    const f = runs.map(sampleFigures);
    return {
      products,
      ads: runs[0].summary.published,
      secondsPerAd: spreadFigures(f).secondsPerAd,
      orchestrationShare: spreadFigures(f).orchestrationShare,
      nodePeakMiB: spreadFigures(f).nodePeakMiB,
      treePeakMiB: spreadFigures(f).treePeakMiB,
    };
  });
  const perAdMedians = scalingRows.map((r) => r.secondsPerAd.median);
  const reference = spread(perAdMedians).median;
  const flatness = round(Math.max(...perAdMedians.map((x) => Math.abs(x / reference - 1))), 4);
  const first = scalingRows[0];
  const last = scalingRows.at(-1)!;
  const memoryGrowth = {
    node: round(last.nodePeakMiB.median / first.nodePeakMiB.median, 3),
    tree: round(last.treePeakMiB.median / first.treePeakMiB.median, 3),
  };

  // 4. Cost per 1,000 ads from the measured medians, at the configured Lambda sizes.
  const med = <K extends string>(rec: Record<K, { median: number }>) =>
    Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, (v as { median: number }).median])) as Record<K, number>;
  const usage: PerAdUsage = {
    lambdaSeconds: med(t.lambdaSecondsPerAd as Record<TaskName, { median: number }>),
    invocations: med(t.invocationsPerAd as Record<TaskName, { median: number }>),
    transitions: t.transitionsPerAd.median,
    s3: med(t.s3PerAd),
    dynamo: med(t.dynamoPerAd),
    storedBytes: t.storedBytesPerAd.median,
    adSeconds: t.adSeconds.median,
  };
  const profiles = TASK_PROFILES as Record<TaskName, { memorySize: number; ephemeralStorageMiB: number }>;
  const mediaTasks = (Object.keys(usage.lambdaSeconds) as TaskName[]).filter((task) => ['render', 'assemble', 'validate'].includes(stageOf(task)));
  const cpuScale = lambdaCpuScale(machine.cores, profiles, mediaTasks);
  const cost = costPer1000Ads(usage, profiles);
  const costUpper = costPer1000Ads(usage, profiles, cpuScale);
  const peers = peerCostsPer1000Ads(usage.adSeconds);

  // 5. A 100,000-SKU campaign, replayed from the measured per-product state sequence.
  const seconds = med(t.secondsPerInvocation);
  const base: SimInput = {
    products: CONFIG.campaignProducts,
    variantsPerProduct: channels.length,
    renderJobsPerProduct: round(t.renderJobsPerProduct.median, 0),
    seconds: {
      plan: seconds.plan,
      render: seconds.render,
      assemble: seconds.assemble * (cpuScale.assemble ?? 1),
      validate: seconds.validate * (cpuScale.validate ?? 1),
      publish: seconds.publish,
    },
    distributedMapConcurrency: QUOTAS.lambdaConcurrency.value,
    renderConcurrency: 2,
    assembleConcurrency: 1,
    lambdaConcurrency: QUOTAS.lambdaConcurrency.value,
  };
  base.seconds.render *= Math.max(...mediaTasks.filter((m) => stageOf(m) === 'render').map((m) => cpuScale[m] ?? 1), 1);
  log('simulating a 100,000-SKU campaign');
  const scenarios = [
    { name: 'default account: Lambda concurrency 1,000, Distributed Map MaxConcurrency 1,000, procedural renders in Lambda', input: base },
    {
      name: 'raised Lambda concurrency 10,000, MaxConcurrency 10,000 (the Distributed Map ceiling), procedural renders',
      input: { ...base, lambdaConcurrency: 10_000, distributedMapConcurrency: QUOTAS.distributedMapConcurrency.value },
    },
    {
      name: 'generative renders on one GPU endpoint: 600 submits/min (Replicate), 200 concurrent (RunPod), 60 GPU-s per shot (ASSUMED, not measured)',
      input: { ...base, gpu: { concurrency: 200, submitsPerMinute: QUOTAS.replicateCreatesPerMinute.value, secondsPerShot: 60 } },
    },
  ].map(({ name, input }) => {
    const result = simulateCampaign(input);
    const ads = input.products * input.variantsPerProduct;
    return {
      name,
      input,
      result,
      ads,
      wallHours: round(result.wallSeconds / 3600, 2),
      rates: {
        transitionsPerSecond: round(result.adsPerSecond * usage.transitions, 0),
        gsiByRunWruPerSecond: round(result.adsPerSecond * usage.dynamo.gsiWru, 0),
        s3PutsPerSecond: round(result.adsPerSecond * usage.s3.put, 0),
      },
      costUsd: round((ads / 1000) * cost.total, 2),
    };
  });
  const historyProductsPerExecution = Math.floor(QUOTAS.standardHistoryEvents.value / t.eventsPerProduct.median);
  const payloadProductsPerExecution = Math.floor(QUOTAS.statePayloadBytes.value / t.preparedBytesPerProduct.median);

  const results = {
    schemaVersion: 1,
    kind: quick ? 'quick' : 'full',
    generatedAt: new Date().toISOString(),
    command: quick ? 'ADLINE_BENCH_QUICK=1 npm run bench' : 'npm run bench',
    durationSeconds: round((Date.now() - started) / 1000, 1),
    machine,
    load: { busyBefore, perCoreBefore: loadBefore, perCoreAfter: loadPerCore(), perSample: throughput.map((r) => [r.loadPerCoreBefore, r.loadPerCoreAfter]) },
    config: {
      ...CONFIG,
      throughputChannels: channels,
      scaleChannel: { id: scale.id, width: scale.width, height: scale.height, seconds: scale.duration.target },
    },
    throughput: {
      products: CONFIG.throughputProducts,
      channels,
      adsPerRun: throughput[0].summary.published,
      adsPerMinute: t.adsPerMinute,
      secondsPerAd: t.secondsPerAd,
      wallSeconds: t.wallSeconds,
      orchestrationShare: t.orchestrationShare,
      nonMediaShare: t.nonMediaShare,
      stageWallSeconds: t.stageWallSeconds,
      lambdaSecondsPerAd: t.lambdaSecondsPerAd,
      secondsPerInvocation: t.secondsPerInvocation,
      peakMiB: { node: t.nodePeakMiB, tree: t.treePeakMiB },
    },
    encodeFloor: floor,
    scaling: { channel: scale.id, rows: scalingRows, flatness, memoryGrowth },
    economy: {
      renderJobsPerVariant: t.renderJobsPerVariant,
      naiveShotsPerVariant: t.naiveShotsPerVariant,
      renderJobsPerProduct: t.renderJobsPerProduct,
      // Planned, not run: the count is a property of the storyboards (test/workflow/shared-encodes.test.ts runs it end to end).
      encodesPerProduct: benchEncodes([parseTemplateFile('product-hero.json', readFileSync(join(ROOT, 'templates', 'product-hero.json'), 'utf8'))], CHANNELS),
      secondRun: throughput.map((r) => ({
        renderInvocations: r.second!.renderInvocations,
        assembleInvocations: r.second!.assembleInvocations,
        unchanged: r.second!.summary.unchanged,
        published: r.second!.summary.published,
        wallSeconds: round(r.second!.wallSeconds, 3),
        statesEntered: r.second!.statesEntered,
      })),
    },
    workflow: {
      transitionsPerAd: t.transitionsPerAd,
      transitionsPerProduct: t.transitionsPerProduct,
      eventsPerProduct: t.eventsPerProduct,
      preparedBytesPerProduct: t.preparedBytesPerProduct,
      s3PerAd: t.s3PerAd,
      dynamoPerAd: t.dynamoPerAd,
      storedBytesPerAd: t.storedBytesPerAd,
      adSeconds: t.adSeconds,
    },
    cost: {
      usagePerAd: usage,
      profiles: Object.fromEntries(Object.keys(usage.lambdaSeconds).map((k) => [k, profiles[k as TaskName]])),
      cpuScale,
      asMeasured: cost,
      lambdaCpuAdjusted: costUpper,
      peers,
      usdPerAd: round(cost.total / 1000, 6),
      usdPerRenderedMinute: round((cost.total / 1000) * (60 / usage.adSeconds), 5),
    },
    campaign: { products: CONFIG.campaignProducts, scenarios, historyProductsPerExecution, payloadProductsPerExecution },
    prices: PRICES,
    quotas: QUOTAS,
  };
  return results;
}

/** The shape of bench/results.json. */
export type BenchResults = Awaited<ReturnType<typeof measure>>;

async function main() {
  // --report-only: re-render RESULTS.md and docs/scaling.md from the committed results.json (no measuring).
  const results = process.argv.includes('--report-only')
    ? (JSON.parse(await readFile(join(ROOT, 'bench', 'results.json'), 'utf8')) as BenchResults)
    : await measure();
  await writeFile(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 1)}\n`);
  await writeFile(join(ROOT, 'bench', 'RESULTS.md'), renderResultsMarkdown(results));
  await updateScalingDoc(join(ROOT, 'docs', 'scaling.md'), results);
  log(`done in ${results.durationSeconds} s: ${relative(ROOT, join(ROOT, 'bench', 'results.json'))}, bench/RESULTS.md, docs/scaling.md`);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  await main();
}
