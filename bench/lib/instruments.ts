import { stat } from 'node:fs/promises';
import type { TaskName } from '#infra/workflow';
import type { AssetStore } from '#ports/asset-store';
import type { Deps } from '#ports/deps';
import type { Tracker } from '#ports/tracker';
import type { TaskHandlerFn } from '../../local/local-engine.ts';

/** One task invocation, timed from the run's start (seconds). */
export interface Invocation {
  task: TaskName;
  start: number;
  end: number;
  ok: boolean;
  /** Render only: the render existed and was reused. */
  reused?: boolean;
}

/** What the workflow asked of S3 (the asset store) and DynamoDB (the tracker), as they would be billed. */
export interface IoCounts {
  s3: { put: number; get: number; head: number; list: number; bytesPut: number };
  dynamo: { writes: number; wru: number; gsiWru: number; reads: number; rru: number };
}

/** DynamoDB bills a write per started KiB and a strongly consistent read per started 4 KiB. */
const KEY_OVERHEAD_BYTES = 120; // pk, sk and kind attributes the adapter adds to every item

/** Handler timers and port counters for one local run (see openLocalHost's wrapDeps/wrapHandler). */
export class RunInstruments {
  readonly invocations: Invocation[] = [];
  readonly io: IoCounts = { s3: { put: 0, get: 0, head: 0, list: 0, bytesPut: 0 }, dynamo: { writes: 0, wru: 0, gsiWru: 0, reads: 0, rru: 0 } };
  /** Plan results: each variant's storyboard key and the product's unique render jobs. */
  readonly plans: Array<{ variants?: Array<{ storyboardKey: string; channel?: string }>; renderJobs?: unknown[] }> = [];
  /** Bytes of the Prepare task's output: the state payload that carries every product item (256 KiB cap in AWS). */
  preparedBytes = 0;
  /** Inputs the Assemble task received, so the encode-floor bench can replay one variant. */
  readonly assembleInputs: unknown[] = [];
  private t0 = performance.now();

  /** Restarts the clock the invocation times are measured from. */
  startClock(): void {
    this.t0 = performance.now();
  }

  now(): number {
    return (performance.now() - this.t0) / 1000;
  }

  /** For openLocalHost({ wrapHandler }): times every invocation and keeps the facts the bench needs. */
  readonly wrapHandler =
    (task: TaskName, handler: TaskHandlerFn): TaskHandlerFn =>
    async (input) => {
      const start = this.now();
      if (task === 'assemble') this.assembleInputs.push(input);
      try {
        const output = await handler(input);
        // The render step may be one task or several (submit/poll/fallback); any of them may report reuse.
        const reused = task.startsWith('render') ? (output as { reused?: boolean } | undefined)?.reused === true : undefined;
        this.invocations.push({ task, start, end: this.now(), ok: true, ...(reused === undefined ? {} : { reused }) });
        if (task === 'plan') this.plans.push(output as RunInstruments['plans'][number]);
        if (task === 'prepare') this.preparedBytes = Buffer.byteLength(JSON.stringify(output));
        return output;
      } catch (error) {
        this.invocations.push({ task, start, end: this.now(), ok: false });
        throw error;
      }
    };

  /** For openLocalHost({ wrapDeps }): counts asset-store requests and tracker reads/writes. */
  readonly wrapDeps = (deps: Deps): Deps => ({ ...deps, store: this.countStore(deps.store), tracker: this.countTracker(deps.tracker) });

  /**
   * Store calls by name, through a Proxy so methods added to the port later still pass through:
   * put* is an S3 PUT, exists a HEAD, getBytes and localPath a GET (on S3 localPath downloads), list a LIST.
   */
  private countStore(store: AssetStore): AssetStore {
    const s3 = this.io.s3;
    return new Proxy(store, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        const fn = value as (...args: unknown[]) => Promise<unknown>;
        return async (...args: unknown[]) => {
          if (prop === 'putBytes') {
            s3.put += 1;
            const bytes = args[1] as Uint8Array | string;
            s3.bytesPut += typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
          } else if (prop === 'putFile') {
            s3.put += 1;
            s3.bytesPut += (await stat(args[1] as string)).size;
          } else if (prop.startsWith('put') || prop.startsWith('delete') || prop.startsWith('copy')) s3.put += 1;
          else if (prop === 'exists') s3.head += 1;
          else if (prop.startsWith('list')) s3.list += 1;
          else s3.get += 1;
          return fn.apply(target, args);
        };
      },
    });
  }

  /**
   * Tracker calls by name, through a Proxy: put* is a write of the item it is given (items carrying a
   * runId are also written to the byRun GSI), get* a strongly consistent read, list* a GSI query.
   */
  private countTracker(tracker: Tracker): Tracker {
    const d = this.io.dynamo;
    const size = (value: unknown) => (value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value)));
    return new Proxy(tracker, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        const fn = value as (...args: unknown[]) => Promise<unknown>;
        return async (...args: unknown[]) => {
          if (/^(put|update|delete|record|claim|mark)/.test(prop)) {
            const item = args[0];
            const units = Math.ceil((size(item) + KEY_OVERHEAD_BYTES) / 1024);
            d.writes += 1;
            d.wru += units;
            if (item && typeof item === 'object' && (item as { runId?: unknown }).runId !== undefined) d.gsiWru += units;
            return fn.apply(target, args);
          }
          const result = await fn.apply(target, args);
          d.reads += 1;
          // get*: strongly consistent, a unit per started 4 KiB; list*: an eventually consistent query, half that.
          const units = Math.max(1, Math.ceil(size(result) / 4096));
          d.rru += prop.startsWith('list') ? units / 2 : units;
          return result;
        };
      },
    });
  }
}
