import { mkdir, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';
import { FsAssetStore } from '#adapters/local/fs-asset-store';
import { GuardedImageFetcher, type ImageFetcherOptions } from '#adapters/http/image-fetcher';
import { makeCutoutProvider } from '#adapters/cutout/cutout-factory';
import { loadTemplateDir } from '#adapters/local/template-dir';
import type { ChannelSpec } from '#domain/model/channel-spec';
import { channelRegistry } from '#domain/planning/channels';
import { TASK_NAMES, type TaskName, type WorkflowOptions } from '#infra/workflow';
import { buildDeps, type Deps, type DepsTable } from '#ports/deps';
import type { Tracker } from '#ports/tracker';
import { renderClientFactory } from '#adapters/render/render-client-factory';
import type { CutoutProvider } from '#ports/cutout';
import { MEDIA_ENGINE } from '#media/media-engine';
import type { RunInput } from '#ports/workflow-payloads';
import type { RunStarter, StartedRun } from '#ports/run-starter';
import { HANDLER_FACTORIES } from '../functions/handlers.ts';
import type { RenderClientFactory } from '#ports/render-client';
import { localRunner, localWorkflowAsl, type Asl, type LocalExecution, type TaskHandlerFn, type TimingOverrides } from './local-engine.ts';
import { openLocalTracker } from './local-tracker.ts';

export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface LocalHostOptions {
  /** The asset store's root: published ads and the gallery land here. */
  outDir?: string;
  /** Tracker database and scratch files. */
  stateDir?: string;
  /** Keep the tracker in memory (tests). */
  inMemoryTracker?: boolean;
  templatesDir?: string;
  extraChannels?: ChannelSpec[];
  workflow?: Partial<WorkflowOptions>;
  /** The SSRF-guarded image fetcher's settings; `localMode` (http, loopback, file:) only when asked for. */
  imageFetch?: ImageFetcherOptions;
  /** Shortened Wait/Retry timings by state name in ms (tests of the render loop). */
  timing?: TimingOverrides;
  /** The render endpoint client factory (default: from the environment). */
  renderClients?: RenderClientFactory;
  /** Background removal for busy photos; default: from ADLINE_CUTOUT (none when unset). */
  cutout?: CutoutProvider;
  /** Instrumentation (npm run bench): wraps the ports the handlers get, e.g. to count store and tracker calls. */
  wrapDeps?: (deps: Deps) => Deps;
  /** Instrumentation (npm run bench): wraps each task's handler, e.g. with a timer. */
  wrapHandler?: (task: TaskName, handler: TaskHandlerFn) => TaskHandlerFn;
  /**
   * Media tasks (render, assemble) running at once across every execution of this host. Default: one per
   * core. In AWS, Lambda concurrency bounds them; here a burst of webhooks or uploads starting many runs
   * would otherwise start ffmpeg and sharp work for all of them at once and slow every run down.
   */
  mediaConcurrency?: number;
}

/** The tasks that encode or render (ffmpeg, sharp): they share the host's media slots. */
const MEDIA_TASKS: ReadonlySet<TaskName> = new Set<TaskName>(['render-submit', 'render-poll', 'render-fallback', 'assemble']);

/** Two cores: one product and one variant at a time (ffmpeg already uses both cores); shots: the campaign's renderer.concurrency. */
export const LOCAL_WORKFLOW: WorkflowOptions = { productConcurrency: 1, assembleConcurrency: 1 };

export interface LocalHost extends RunStarter {
  deps: Deps;
  asl: Asl;
  /** The running or finished execution with this id, for its event log and result. */
  execution(executionId: string): LocalExecution;
  close(): Promise<void>;
}

/** What the local builders share. */
interface LocalContext {
  options: LocalHostOptions;
  outDir: string;
  workDir: string;
  tracker: Tracker;
}

/** The local host's ports, one builder each; the same DepsTable type as the Lambda host's (functions/commons/aws-deps.ts). */
export const LOCAL_DEPS: DepsTable<LocalContext> = {
  store: ({ outDir }) => new FsAssetStore(outDir),
  tracker: ({ tracker }) => tracker,
  channels: ({ options }) => channelRegistry(options.extraChannels),
  templates: ({ options }) => loadTemplateDir(options.templatesDir ?? join(PACKAGE_ROOT, 'templates')),
  workDir: ({ workDir }) => workDir,
  now: () => () => new Date(),
  images: ({ options }) => new GuardedImageFetcher(options.imageFetch),
  renderClients: ({ options }) => options.renderClients ?? renderClientFactory(process.env),
  // Background removal for busy photos when ADLINE_CUTOUT names one (null: full-bleed and blur-fill layouts).
  media: () => MEDIA_ENGINE,
  cutout: ({ options }) => options.cutout ?? makeCutoutProvider(process.env) ?? null,
};

/** Opens the local host: the file asset store, the dynalite tracker, and the CDK-defined workflow on the local engine. */
export async function openLocalHost(options: LocalHostOptions = {}): Promise<LocalHost> {
  const outDir = resolve(options.outDir ?? 'out');
  const stateDir = resolve(options.stateDir ?? '.adline');
  const workDir = join(stateDir, 'work');
  await mkdir(workDir, { recursive: true });
  const local = await openLocalTracker(options.inMemoryTracker ? undefined : join(stateDir, 'ddb'));
  const deps = await buildDeps(LOCAL_DEPS, { options, outDir, workDir, tracker: local.tracker }, 'local');
  const asl = localWorkflowAsl({ ...LOCAL_WORKFLOW, ...options.workflow });
  const handlerDeps = options.wrapDeps?.(deps) ?? deps;
  const wrap = options.wrapHandler ?? ((_task: TaskName, handler: TaskHandlerFn) => handler);
  const mediaSlots = pLimit(options.mediaConcurrency ?? availableParallelism());
  const slotted = (task: TaskName, handler: TaskHandlerFn): TaskHandlerFn => (MEDIA_TASKS.has(task) ? (input) => mediaSlots(() => handler(input)) : handler);
  const handlers = Object.fromEntries(
    TASK_NAMES.map((task) => [task, slotted(task, wrap(task, HANDLER_FACTORIES[task](handlerDeps) as TaskHandlerFn))]),
  ) as Record<TaskName, TaskHandlerFn>;
  const run = localRunner(asl, handlers, options.timing);
  const executions = new Map<string, LocalExecution>();

  return {
    deps,
    asl,
    async start(input: RunInput, name: string): Promise<StartedRun> {
      const executionId = `local:${name}`;
      if (executions.has(executionId)) return { executionId, started: false };
      executions.set(executionId, run(input));
      return { executionId, started: true };
    },
    execution(executionId: string): LocalExecution {
      const execution = executions.get(executionId);
      if (!execution) throw new Error(`No local execution ${executionId}.`);
      return execution;
    },
    async close() {
      await local.close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
