import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { buildWorkflow, type TaskName, type WorkflowOptions } from '../workflow.ts';

export interface WorkflowStateMachineProps {
  /** The function behind each task state. */
  readonly functions: Record<TaskName, lambda.IFunction>;
  /** Map concurrency limits. */
  readonly concurrency: WorkflowOptions;
  /** Retention of the execution log. Default: one month. */
  readonly logRetention?: logs.RetentionDays;
}

/** The Standard state machine running adline's one workflow definition, with execution logging and X-Ray. */
export class WorkflowStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WorkflowStateMachineProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // The /aws/vendedlogs/ prefix keeps CloudWatch's account-wide resource policy from growing per state machine.
      logGroupName: `/aws/vendedlogs/states/${Stack.of(this).stackName}-workflow`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(buildWorkflow(this, props.functions, props.concurrency)),
      stateMachineType: sfn.StateMachineType.STANDARD,
      // Payloads are references, but product text still reaches them; keep execution data out of the logs.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
  }
}
