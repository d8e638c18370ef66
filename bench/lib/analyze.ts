import type { TaskName } from '#infra/workflow';
import type { WorkflowRunResult } from '../workflow-run.ts';
import type { Invocation } from './instruments.ts';
import { round, spread, unionLength, type Spread } from './stats.ts';

export const STAGES = ['plan', 'render', 'assemble', 'validate', 'publish', 'other'] as const;
export type Stage = (typeof STAGES)[number];

/** The stages; the render step may be one task or several (submit, poll, fallback). */
export function stageOf(task: string): Stage {
  if (task.startsWith('render')) return 'render';
  if (task === 'plan' || task === 'assemble' || task === 'validate' || task === 'publish') return task;
  return 'other'; // prepare, summarize, record-failure
}

/** The figures one throughput sample yields (per published ad where it says so). */
export interface SampleFigures {
  ads: number;
  wallSeconds: number;
  secondsPerAd: number;
  adsPerMinute: number;
  /** Wall time with no handler running: the engine, the Map/Parallel states, the hand-offs. */
  orchestrationShare: number;
  /** Wall time with no render, assemble or validate running (orchestration plus prepare/plan/publish/summarize). */
  nonMediaShare: number;
  stageWallSeconds: Record<Stage, number>;
  lambdaSecondsPerAd: Partial<Record<TaskName, number>>;
  invocationsPerAd: Partial<Record<TaskName, number>>;
  secondsPerInvocation: Record<Stage, number>;
  transitionsPerAd: number;
  eventsPerProduct: number;
  transitionsPerProduct: number;
  preparedBytesPerProduct: number;
  s3PerAd: { put: number; get: number; head: number; list: number };
  dynamoPerAd: { wru: number; gsiWru: number; rru: number };
  storedBytesPerAd: number;
  adSeconds: number;
  renderJobsPerVariant: number;
  naiveShotsPerVariant: number;
  renderJobsPerProduct: number;
  nodePeakMiB: number;
  treePeakMiB: number;
}

/** Derives per-ad figures from one measured workflow run. */
export function sampleFigures(r: WorkflowRunResult): SampleFigures {
  const ads = Math.max(1, r.summary.published);
  const byStage = (stage: Stage) => r.invocations.filter((i) => stageOf(i.task) === stage);
  const span = (list: Invocation[]) => unionLength(list.map((i) => [i.start, i.end] as const));
  const handlerUnion = span(r.invocations);
  const mediaUnion = span(r.invocations.filter((i) => ['render', 'assemble', 'validate'].includes(stageOf(i.task))));
  const lambdaSeconds: Partial<Record<TaskName, number>> = {};
  const invocations: Partial<Record<TaskName, number>> = {};
  for (const i of r.invocations) {
    lambdaSeconds[i.task] = (lambdaSeconds[i.task] ?? 0) + (i.end - i.start) / ads;
    invocations[i.task] = (invocations[i.task] ?? 0) + 1 / ads;
  }
  const stageWallSeconds = Object.fromEntries(STAGES.map((s) => [s, round(span(byStage(s)), 3)])) as Record<Stage, number>;
  const secondsPerInvocation = Object.fromEntries(
    STAGES.map((s) => {
      const list = byStage(s);
      // Per render job, whatever tasks a job takes; per call elsewhere.
      const count = s === 'render' ? Math.max(1, r.economy.renderJobs) : Math.max(1, list.length);
      return [s, round(list.reduce((sum, i) => sum + i.end - i.start, 0) / count, 4)];
    }),
  ) as Record<Stage, number>;
  const stored = Object.entries(r.storedBytes)
    .filter(([prefix]) => prefix !== 'uploads' && prefix !== '(root)')
    .reduce((sum, [, b]) => sum + b, 0);
  const products = Math.max(1, r.statesEntered.ProcessProduct ?? r.products);
  return {
    ads,
    wallSeconds: r.wallSeconds,
    secondsPerAd: r.wallSeconds / ads,
    adsPerMinute: (60 * ads) / r.wallSeconds,
    orchestrationShare: (r.wallSeconds - handlerUnion) / r.wallSeconds,
    nonMediaShare: (r.wallSeconds - mediaUnion) / r.wallSeconds,
    stageWallSeconds,
    lambdaSecondsPerAd: lambdaSeconds,
    invocationsPerAd: invocations,
    secondsPerInvocation,
    transitionsPerAd: r.transitions / ads,
    eventsPerProduct: r.events / products,
    transitionsPerProduct: r.transitions / products,
    preparedBytesPerProduct: r.preparedBytes / Math.max(1, r.products),
    s3PerAd: { put: r.io.s3.put / ads, get: r.io.s3.get / ads, head: r.io.s3.head / ads, list: r.io.s3.list / ads },
    dynamoPerAd: { wru: r.io.dynamo.wru / ads, gsiWru: r.io.dynamo.gsiWru / ads, rru: r.io.dynamo.rru / ads },
    storedBytesPerAd: stored / ads,
    adSeconds: r.economy.adSeconds / Math.max(1, r.economy.variants),
    renderJobsPerVariant: r.economy.renderJobs / Math.max(1, r.economy.variants),
    naiveShotsPerVariant: r.economy.naiveShots / Math.max(1, r.economy.variants),
    renderJobsPerProduct: r.economy.renderJobs / products,
    nodePeakMiB: r.rss.nodeMiB,
    treePeakMiB: r.rss.treeMiB,
  };
}

/** Spreads every numeric figure (and nested record) across samples. */
export function spreadFigures<T extends object>(samples: readonly T[]): SpreadOf<T> {
  const first = samples[0] as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(first)) {
    const values = samples.map((s) => (s as Record<string, unknown>)[key]);
    if (typeof values[0] === 'number') out[key] = roundSpread(spread(values as number[]));
    else if (values[0] && typeof values[0] === 'object') {
      const keys = [...new Set(values.flatMap((v) => Object.keys(v as object)))];
      out[key] = Object.fromEntries(keys.map((k) => [k, roundSpread(spread(values.map((v) => Number((v as Record<string, number>)[k] ?? 0))))]));
    }
  }
  return out as SpreadOf<T>;
}

export type SpreadOf<T> = { [K in keyof T]: T[K] extends number ? Spread : T[K] extends object ? { [J in keyof T[K]]: Spread } : never };

function roundSpread(s: Spread): Spread {
  return { median: round(s.median, 4), min: round(s.min, 4), max: round(s.max, 4), n: s.n, samples: s.samples.map((x) => round(x, 4)) };
}
