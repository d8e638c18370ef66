import type { RunInput } from './workflow-payloads.ts';

export interface StartedRun {
  executionId: string;
  /** False when an execution with the same name already existed (a duplicate start is not an error). */
  started: boolean;
}

/** The one way to start a workflow run: Step Functions in AWS, the in-process engine locally. */
export interface RunStarter {
  start(input: RunInput, name: string): Promise<StartedRun>;
}
