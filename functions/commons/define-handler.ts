import type { Context, Handler } from 'aws-lambda';
import type { z } from 'zod';
import { executionName } from '#domain/execution-name';
import type { Deps } from '#ports/deps';
import { logger } from './logger.ts';
import { publishTaskMetrics, taskMetrics } from './metrics.ts';

/** A task handler: parse the state's input with its schema, run one use case with injected ports. */
export type TaskHandler = Handler<unknown, unknown>;

/** Builds `makeHandler(deps)` for a task from its input schema and use case; each call logs one structured line and its metrics. */
export function defineHandler<S extends z.ZodType, R>(schema: S, useCase: (deps: Deps, input: z.infer<S>) => Promise<R>) {
  return (deps: Deps): TaskHandler =>
    async (event: unknown, context?: Context) => {
      const task = useCase.name || 'task';
      const keys = { task, ...correlationKeys(event), requestId: context?.awsRequestId };
      const started = performance.now();
      try {
        const result = await useCase(deps, schema.parse(event));
        logger.info('task succeeded', keys, { durationMs: Math.round(performance.now() - started) });
        publishTaskMetrics(task, taskMetrics(result));
        return result;
      } catch (error) {
        const { name, message, code } = error as { name?: string; message?: string; code?: string };
        logger.error('task failed', keys, { durationMs: Math.round(performance.now() - started), error: { name, code, message } });
        throw error;
      }
    };
}

/** The ids that tie a log line to its execution and ad: run and execution, sku, channel(s). */
export function correlationKeys(event: unknown): Record<string, string | string[] | undefined> {
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const variant = (typeof e.variant === 'object' && e.variant !== null ? e.variant : {}) as Record<string, unknown>;
  const runId = str(e.runId);
  const list = Array.isArray(e.variants) ? e.variants : Array.isArray(e.assembled) ? e.assembled : [];
  const channels = [...new Set(list.map((v) => str((v as Record<string, unknown>)?.channel)).filter((c): c is string => !!c))];
  return {
    // Executions are named after their run (SfnRunStarter: executionName([runId])), unless the state passes its own id.
    executionId: str(e.executionId) ?? (runId ? executionName([runId]) : undefined),
    runId,
    sku: str(e.sku),
    channel: str(e.channel) ?? str(variant.channel) ?? (channels.length === 1 ? channels[0] : undefined),
    channels: channels.length > 1 ? channels : undefined,
    renderHash: str(e.renderHash),
  };
}
