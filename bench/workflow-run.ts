/**
 * One measured run of the real local workflow (a child process of bench/run-bench.ts, so each sample
 * starts with a fresh heap and its peak memory is its own). Usage: workflow-run.ts <config.json> <result.json>
 */
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ChannelSpec } from '#domain/model/channel-spec';
import { Storyboard } from '#domain/model/storyboard';
import { openLocalHost } from '../local/local-host.ts';
import { followRun, uploadRunInput } from '../local/local-run.ts';
import { writeBenchCatalog } from './lib/catalog.ts';
import { RunInstruments, type Invocation, type IoCounts } from './lib/instruments.ts';
import { loadPerCore } from './lib/machine.ts';
import { startRssSampler, type RssPeaks } from './lib/rss-sampler.ts';

export const WorkflowRunConfig = z.object({
  label: z.string(),
  products: z.number().int().positive(),
  channels: z.array(z.string()).min(1),
  extraChannels: z.array(ChannelSpec).default([]),
  /** Run a second time on unchanged input, in a fresh host over the same out/ and tracker. */
  secondRun: z.boolean().default(false),
  /** Scratch folder of this sample (bench/tmp/...); emptied first. */
  dir: z.string(),
});
export type WorkflowRunConfig = z.infer<typeof WorkflowRunConfig>;

export interface WorkflowRunResult {
  label: string;
  products: number;
  channels: string[];
  loadPerCoreBefore: number;
  loadPerCoreAfter: number;
  uploadSeconds: number;
  wallSeconds: number;
  summary: { published: number; failed: number; unchanged: number; rejected: number };
  invocations: Invocation[];
  statesEntered: Record<string, number>;
  transitions: number;
  /** Every event in the local engine's log (a lower bound of the AWS execution history's events). */
  events: number;
  io: IoCounts;
  storedBytes: Record<string, number>;
  economy: { renderJobs: number; renderInvocations: number; rendersReused: number; naiveShots: number; variants: number; adSeconds: number };
  /** Bytes of Prepare's output (all product items in one state payload). */
  preparedBytes: number;
  /** One Assemble input per channel, replayed by the encode-floor bench. */
  assembleInputs: Record<string, unknown>;
  rss: RssPeaks;
  second?: {
    wallSeconds: number;
    statesEntered: Record<string, number>;
    transitions: number;
    summary: WorkflowRunResult['summary'];
    io: IoCounts;
    renderInvocations: number;
    assembleInvocations: number;
  };
}

/** Runs the workflow once (and optionally again on unchanged input) and measures it. */
export async function measureWorkflowRun(config: WorkflowRunConfig): Promise<WorkflowRunResult> {
  await rm(config.dir, { recursive: true, force: true });
  const files = await writeBenchCatalog(join(config.dir, 'input'), config.products, config.channels);
  const outDir = join(config.dir, 'out');
  const stateDir = join(config.dir, 'state');
  const loadPerCoreBefore = loadPerCore();

  const inst = new RunInstruments();
  const host = await openLocalHost({ outDir, stateDir, extraChannels: config.extraChannels, wrapDeps: inst.wrapDeps, wrapHandler: inst.wrapHandler });
  let first: Omit<
    WorkflowRunResult,
    'second' | 'label' | 'products' | 'channels' | 'loadPerCoreBefore' | 'loadPerCoreAfter' | 'economy' | 'storedBytes' | 'assembleInputs' | 'preparedBytes'
  >;
  try {
    const t0 = performance.now();
    const input = await uploadRunInput(host, {
      catalogPath: files.catalogPath,
      campaignPath: files.campaignPath,
      runId: 'bench-run-1',
      channels: config.channels,
    });
    const uploadSeconds = (performance.now() - t0) / 1000;
    const sampler = startRssSampler();
    inst.startClock();
    const { executionId } = await host.start(input, 'bench-run-1');
    const events = countEvents();
    const summary = await followRun(host, executionId, (_p, event) => events.add(event));
    const wallSeconds = inst.now();
    const rss = await sampler.stop();
    first = {
      uploadSeconds,
      wallSeconds,
      summary: pickSummary(summary),
      invocations: inst.invocations,
      statesEntered: events.entered,
      transitions: events.transitions(),
      events: events.total(),
      io: structuredClone(inst.io),
      rss,
    };
  } finally {
    await host.close();
  }

  const economy = await renderEconomy(inst, outDir, first);
  const storedBytes = await bytesByPrefix(outDir);

  let second: WorkflowRunResult['second'];
  if (config.secondRun) {
    const again = new RunInstruments();
    const host2 = await openLocalHost({ outDir, stateDir, extraChannels: config.extraChannels, wrapDeps: again.wrapDeps, wrapHandler: again.wrapHandler });
    try {
      const input = await uploadRunInput(host2, {
        catalogPath: files.catalogPath,
        campaignPath: files.campaignPath,
        runId: 'bench-run-2',
        channels: config.channels,
      });
      again.startClock();
      const { executionId } = await host2.start(input, 'bench-run-2');
      const events = countEvents();
      const summary = await followRun(host2, executionId, (_p, event) => events.add(event));
      second = {
        wallSeconds: again.now(),
        statesEntered: events.entered,
        transitions: events.transitions(),
        summary: pickSummary(summary),
        io: again.io,
        renderInvocations: again.invocations.filter((i) => i.task.startsWith('render')).length,
        assembleInvocations: again.invocations.filter((i) => i.task === 'assemble').length,
      };
    } finally {
      await host2.close();
    }
  }
  const assembleInputs: Record<string, unknown> = {};
  for (const input of inst.assembleInputs) {
    const channel = (input as { variant?: { channel?: string } }).variant?.channel ?? 'unknown';
    assembleInputs[channel] ??= input;
  }
  return {
    label: config.label,
    products: config.products,
    channels: config.channels,
    loadPerCoreBefore,
    loadPerCoreAfter: loadPerCore(),
    ...first,
    storedBytes,
    economy,
    preparedBytes: inst.preparedBytes,
    assembleInputs,
    ...(second ? { second } : {}),
  };
}

/** Counts StateEntered events per state: each is one billed state transition in a Standard workflow. */
function countEvents() {
  const entered: Record<string, number> = {};
  let total = 0;
  return {
    entered,
    total: () => total,
    add(event: { type: string; state?: { name: string } }) {
      total += 1;
      if (event.type === 'StateEntered' && event.state) entered[event.state.name] = (entered[event.state.name] ?? 0) + 1;
    },
    transitions: () => Object.values(entered).reduce((a, b) => a + b, 0),
  };
}

function pickSummary(s: { published: number; failed: number; unchanged: number; rejected: number }) {
  return { published: s.published, failed: s.failed, unchanged: s.unchanged, rejected: s.rejected };
}

/** Render jobs the planner asked for and renders made, against the naive count: every shot of every variant. */
async function renderEconomy(inst: RunInstruments, outDir: string, first: { invocations: Invocation[] }) {
  let naiveShots = 0;
  let variants = 0;
  let adSeconds = 0;
  let renderJobs = 0;
  for (const plan of inst.plans) {
    renderJobs += plan.renderJobs?.length ?? 0;
    for (const variant of plan.variants ?? []) {
      const storyboard = Storyboard.parse(JSON.parse(await readFile(join(outDir, variant.storyboardKey), 'utf8')));
      naiveShots += storyboard.shots.length;
      adSeconds += storyboard.duration;
      variants += 1;
    }
  }
  // The render step may be one task or several (submit/poll/fallback): count the first one, once per job.
  const renderTasks: string[] = [...new Set(first.invocations.filter((i) => i.task.startsWith('render')).map((i) => i.task))].sort();
  const firstTask = renderTasks.find((t) => t === 'render' || t === 'render-submit') ?? renderTasks[0];
  const renders = first.invocations.filter((i) => i.task === firstTask && i.ok);
  return { renderJobs, renderInvocations: renders.length, rendersReused: renders.filter((r) => r.reused).length, naiveShots, variants, adSeconds };
}

/** Bytes stored per top-level prefix of the asset store (what the S3 bucket would hold). */
async function bytesByPrefix(root: string): Promise<Record<string, number>> {
  const totals: Record<string, number> = {};
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path, prefix || entry.name);
      else totals[prefix || '(root)'] = (totals[prefix || '(root)'] ?? 0) + (await stat(path)).size;
    }
  };
  await walk(root, '');
  return totals;
}

// Run as a script: node --import tsx bench/workflow-run.ts <config.json> <result.json>
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const [configPath, resultPath] = process.argv.slice(2);
  const config = WorkflowRunConfig.parse(JSON.parse(await readFile(configPath, 'utf8')));
  const result = await measureWorkflowRun(config);
  await writeFile(resultPath, JSON.stringify(result));
}
