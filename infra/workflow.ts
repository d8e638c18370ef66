import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/** The task states of the workflow; each is one function in functions/<name>/. */
export const TASK_NAMES = ['prepare', 'plan', 'render', 'assemble', 'validate', 'publish', 'record-failure', 'summarize'] as const;
export type TaskName = (typeof TASK_NAMES)[number];

export interface WorkflowOptions {
  /** Products processed at once (each runs its own renders and encodes). */
  productConcurrency: number;
  /** Shots rendered at once per product. */
  renderConcurrency: number;
  /** Channel variants assembled at once per product. */
  assembleConcurrency: number;
}

/**
 * The one definition of adline's workflow. The AWS stack deploys it; the local host resolves the
 * same chain to ASL and runs it in-process. States pass references (keys, hashes), never media.
 */
export function buildWorkflow(scope: Construct, fns: Record<TaskName, lambda.IFunction>, options: WorkflowOptions): sfn.IChainable {
  const invoke = (id: string, fn: TaskName, props: Partial<tasks.LambdaInvokeProps> = {}) =>
    new tasks.LambdaInvoke(scope, id, { lambdaFunction: fns[fn], payloadResponseOnly: true, ...props });

  const prepare = invoke('Prepare', 'prepare', { resultPath: '$.prepared' });

  const plan = invoke('Plan', 'plan', { resultPath: '$.plan' });
  const render = invoke('Render', 'render').addRetry({
    errors: ['RenderRateLimitedError'], interval: Duration.seconds(5), maxAttempts: 6, backoffRate: 2, jitterStrategy: sfn.JitterType.FULL,
  });
  const renderShots = new sfn.Map(scope, 'RenderShots', {
    itemsPath: '$.plan.renderJobs',
    itemSelector: { 'runId.$': '$.runId', 'jobKey.$': '$$.Map.Item.Value.jobKey', 'renderHash.$': '$$.Map.Item.Value.renderHash' },
    maxConcurrency: options.renderConcurrency,
    resultPath: sfn.JsonPath.DISCARD,
  }).itemProcessor(render);

  const assemble = invoke('Assemble', 'assemble');
  const validate = invoke('Validate', 'validate');
  const assembleVariants = new sfn.Map(scope, 'AssembleVariants', {
    itemsPath: '$.plan.variants',
    itemSelector: { 'runId.$': '$.runId', 'sku.$': '$.sku', 'variant.$': '$$.Map.Item.Value' },
    maxConcurrency: options.assembleConcurrency,
    resultPath: '$.assembled',
  }).itemProcessor(assemble.next(validate));

  const publish = invoke('Publish', 'publish', { resultPath: sfn.JsonPath.DISCARD });

  const recordFailure = invoke('RecordFailure', 'record-failure', { resultPath: sfn.JsonPath.DISCARD });
  const processProduct = new sfn.Parallel(scope, 'ProcessProduct', { resultPath: sfn.JsonPath.DISCARD })
    .branch(plan.next(renderShots).next(assembleVariants).next(publish))
    .addCatch(recordFailure, { resultPath: '$.error' });

  const products = new sfn.Map(scope, 'Products', {
    itemsPath: '$.prepared.products',
    maxConcurrency: options.productConcurrency,
    resultPath: sfn.JsonPath.DISCARD,
  }).itemProcessor(processProduct);

  const summarize = invoke('Summarize', 'summarize', {
    payload: sfn.TaskInput.fromObject({ 'runId.$': '$.runId', 'campaignKey.$': '$.campaignKey' }),
  });

  return prepare.next(products).next(summarize);
}
