import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { AdlineFunction, type Access } from './constructs/adline-function.ts';
import { AssetsBucket } from './constructs/assets-bucket.ts';
import { MediaLayer } from './constructs/media-layer.ts';
import { TrackerTable } from './constructs/tracker-table.ts';
import { WorkflowStateMachine } from './constructs/workflow-state-machine.ts';
import { TASK_NAMES, type TaskName, type WorkflowOptions } from './workflow.ts';

export interface AdlineStackProps extends StackProps {
  /** Empty and delete the assets bucket with the stack (dev stacks). Default: false. */
  readonly autoDeleteObjects?: boolean;
  /** Map concurrency limits. Default: 10 products, 8 renders, 6 encodes at once. */
  readonly concurrency?: Partial<WorkflowOptions>;
  /** Retention of function and execution logs. Default: one month. */
  readonly logRetention?: logs.RetentionDays;
}

/** What each task may do with the tracker table and the assets bucket (from its use case); least privilege. */
export const TASK_ACCESS: Record<TaskName, { table: Access; bucket: Access }> = {
  prepare: { table: 'readWrite', bucket: 'read' },
  plan: { table: 'read', bucket: 'readWrite' },
  'render-submit': { table: 'readWrite', bucket: 'readWrite' },
  'render-poll': { table: 'readWrite', bucket: 'readWrite' },
  'render-fallback': { table: 'readWrite', bucket: 'readWrite' },
  assemble: { table: 'read', bucket: 'readWrite' },
  validate: { table: 'read', bucket: 'read' },
  publish: { table: 'readWrite', bucket: 'readWrite' },
  'record-failure': { table: 'readWrite', bucket: 'read' },
  summarize: { table: 'readWrite', bucket: 'readWrite' },
};

export const DEFAULT_CONCURRENCY: WorkflowOptions = { productConcurrency: 10, renderConcurrency: 8, assembleConcurrency: 6 };

/** adline on AWS: the assets bucket, the tracker table, one function per task and the workflow state machine. */
export class AdlineStack extends Stack {
  readonly bucket: AssetsBucket;
  readonly table: TrackerTable;
  readonly mediaLayer: MediaLayer;
  readonly functions: Record<TaskName, lambda.IFunction>;
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: AdlineStackProps = {}) {
    super(scope, id, props);
    this.bucket = new AssetsBucket(this, 'Assets', { autoDeleteObjects: props.autoDeleteObjects });
    this.table = new TrackerTable(this, 'Tracker');
    this.mediaLayer = new MediaLayer(this, 'MediaLayer');

    const functions = {} as Record<TaskName, AdlineFunction>;
    for (const task of TASK_NAMES) {
      functions[task] = new AdlineFunction(this, `${pascalCase(task)}Fn`, { task, mediaLayer: this.mediaLayer, logRetention: props.logRetention })
        .bindTable(this.table, TASK_ACCESS[task].table)
        .bindBucket(this.bucket, TASK_ACCESS[task].bucket);
    }
    this.functions = functions;

    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', {
      functions,
      concurrency: { ...DEFAULT_CONCURRENCY, ...props.concurrency },
      logRetention: props.logRetention,
    }).stateMachine;

    new CfnOutput(this, 'StateMachineArn', { value: this.stateMachine.stateMachineArn, description: 'Start runs here.' });
    new CfnOutput(this, 'AssetsBucketName', { value: this.bucket.bucketName, description: 'Uploads, renders and published ads.' });
    new CfnOutput(this, 'TrackerTableName', { value: this.table.tableName, description: 'Ad, render and run records.' });
  }
}

function pascalCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_match, _dash: string, letter: string) => letter.toUpperCase());
}
