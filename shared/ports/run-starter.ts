import { z } from 'zod';

/** The input of one workflow execution: references only, never media. */
export const RunInput = z.object({
  schemaVersion: z.literal(1),
  runId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  campaignKey: z.string(),
  catalogKey: z.string(),
  /** Channel ids to produce; absent means the campaign's own list. */
  channels: z.array(z.string()).optional(),
});
export type RunInput = z.infer<typeof RunInput>;

export interface StartedRun {
  executionId: string;
  /** False when an execution with the same name already existed (a duplicate start is not an error). */
  started: boolean;
}

/** The one way to start a workflow run: Step Functions in AWS, the in-process engine locally. */
export interface RunStarter {
  start(input: RunInput, name: string): Promise<StartedRun>;
}
