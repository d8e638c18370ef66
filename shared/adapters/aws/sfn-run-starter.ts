import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { executionName } from '#domain/execution-name';
import { RunInput } from '#ports/workflow-payloads';
import type { RunStarter, StartedRun } from '#ports/run-starter';

/** Starts workflow runs on AWS Step Functions; the execution name makes a start idempotent. */
export class SfnRunStarter implements RunStarter {
  private readonly client: SFNClient;
  private readonly stateMachineArn: string;

  constructor(options: { client: SFNClient; stateMachineArn: string }) {
    this.client = options.client;
    this.stateMachineArn = options.stateMachineArn;
  }

  async start(input: RunInput, name: string): Promise<StartedRun> {
    const body = JSON.stringify(RunInput.parse(input));
    const execName = executionName([name]);
    try {
      const out = await this.client.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name: execName, input: body }));
      return { executionId: out.executionArn ?? executionArn(this.stateMachineArn, execName), started: true };
    } catch (error) {
      // Step Functions keeps names for 90 days after an execution closes; a repeat start is a duplicate, not a failure.
      if (error instanceof ExecutionAlreadyExists || (error as { name?: unknown })?.name === 'ExecutionAlreadyExists') {
        return { executionId: executionArn(this.stateMachineArn, execName), started: false };
      }
      throw error;
    }
  }
}

/** The ARN Step Functions gives an execution: the state machine's ARN with `execution` in place of `stateMachine`, plus the name. */
export function executionArn(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(/:stateMachine:/, ':execution:')}:${name}`;
}
