import type { Handler } from 'aws-lambda';
import type { z } from 'zod';
import type { Deps } from '#ports/deps';

/** A task handler: parse the state's input with its schema, run one use case with injected ports. */
export type TaskHandler = Handler<unknown, unknown>;

/** Builds `makeHandler(deps)` for a task from its input schema and use case. */
export function defineHandler<S extends z.ZodType, R>(schema: S, useCase: (deps: Deps, input: z.infer<S>) => Promise<R>) {
  return (deps: Deps): TaskHandler => async (event: unknown) => useCase(deps, schema.parse(event));
}
