import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/** The task states of the workflow; each is one function in functions/<name>/. */
export const TASK_NAMES = [
  'prepare',
  'plan',
  'render-submit',
  'render-poll',
  'render-fallback',
  'assemble',
  'validate',
  'publish',
  'record-failure',
  'summarize',
] as const;
export type TaskName = (typeof TASK_NAMES)[number];

/** Every task state's TimeoutSeconds: Lambda's 15-minute ceiling. */
const TASK_TIMEOUT = sfn.Timeout.duration(Duration.minutes(15));

/**
 * The Map concurrency limits the deployer sets. Shots rendered at once per product are not one of them: they come
 * from the campaign's renderer.concurrency, which the RenderShots Map reads from the plan (MaxConcurrencyPath), so
 * each endpoint gets its own cap.
 */
export interface WorkflowOptions {
  /** Products processed at once (each runs its own renders and encodes). */
  productConcurrency: number;
  /** Channel variants assembled at once per product. */
  assembleConcurrency: number;
}

/**
 * The one definition of adline's workflow. The AWS stack deploys it; the local host resolves the
 * same chain to ASL and runs it in-process. States pass references (keys, hashes), never media.
 */
export function buildWorkflow(scope: Construct, fns: Record<TaskName, lambda.IFunction>, options: WorkflowOptions): sfn.IChainable {
  // Without TimeoutSeconds a Task state times out after 60 s (the ASL default, which the local engine applies),
  // cutting a long encode on a slow or busy machine; 15 minutes is Lambda's ceiling, and each function's own
  // timeout (TASK_PROFILES) still ends it first in AWS.
  const invoke = (id: string, fn: TaskName, props: Partial<tasks.LambdaInvokeProps> = {}) =>
    new tasks.LambdaInvoke(scope, id, { lambdaFunction: fns[fn], payloadResponseOnly: true, taskTimeout: TASK_TIMEOUT, ...props });

  const prepare = invoke('Prepare', 'prepare', { resultPath: '$.prepared' });

  const plan = invoke('Plan', 'plan', { resultPath: '$.plan' });
  // The render loop: submit → wait → poll → choice, all state in the tracker (no task tokens: the local
  // engine lacks them). Poll interval and timeout come from the campaign via $.render.waitSeconds.
  const rateLimited = {
    errors: ['RenderRateLimitedError'],
    interval: Duration.seconds(5),
    maxAttempts: 6,
    backoffRate: 2,
    maxDelay: Duration.minutes(5),
    jitterStrategy: sfn.JitterType.FULL,
  };
  const transient = { errors: ['RenderTransientError'], interval: Duration.seconds(2), maxAttempts: 4, backoffRate: 2, jitterStrategy: sfn.JitterType.FULL };
  // Endpoint errors that outlast their retries, or a refusal, end in the procedural fallback; others fail the product.
  const toFallback = { errors: ['RenderRateLimitedError', 'RenderTransientError', 'RenderProviderError', 'RenderConfigError'], resultPath: '$.renderError' };
  const rendered = new sfn.Pass(scope, 'Rendered', { resultPath: sfn.JsonPath.DISCARD });
  const renderFallback = invoke('RenderFallback', 'render-fallback', { resultPath: '$.render' }).next(rendered);
  const renderSubmit = invoke('RenderSubmit', 'render-submit', { resultPath: '$.render' })
    .addRetry(rateLimited)
    .addRetry(transient)
    .addCatch(renderFallback, toFallback);
  const renderPoll = invoke('RenderPoll', 'render-poll', { resultPath: '$.render' })
    .addRetry(rateLimited)
    .addRetry(transient)
    .addCatch(renderFallback, toFallback);
  const renderWait = new sfn.Wait(scope, 'RenderWait', { time: sfn.WaitTime.secondsPath('$.render.waitSeconds') });
  const renderNext = new sfn.Choice(scope, 'RenderNext')
    .when(sfn.Condition.stringEquals('$.render.state', 'WAITING'), renderWait.next(renderPoll))
    .when(sfn.Condition.stringEquals('$.render.state', 'RESUBMIT'), renderSubmit)
    .otherwise(rendered);
  renderSubmit.next(renderNext);
  renderPoll.next(renderNext);
  const renderShots = new sfn.Map(scope, 'RenderShots', {
    itemsPath: '$.plan.renderJobs',
    itemSelector: {
      'runId.$': '$.runId',
      'campaignKey.$': '$.campaignKey',
      'jobKey.$': '$$.Map.Item.Value.jobKey',
      'renderHash.$': '$$.Map.Item.Value.renderHash',
      'templateId.$': '$$.Map.Item.Value.templateId',
    },
    // Per-endpoint concurrency: the campaign's renderer.concurrency, which the plan step passes on.
    maxConcurrencyPath: '$.plan.renderConcurrency',
    resultPath: sfn.JsonPath.DISCARD,
  }).itemProcessor(renderSubmit);

  const assemble = invoke('Assemble', 'assemble');
  const validate = invoke('Validate', 'validate');
  const assembleVariants = new sfn.Map(scope, 'AssembleVariants', {
    itemsPath: '$.plan.variants',
    itemSelector: { 'runId.$': '$.runId', 'sku.$': '$.sku', 'campaignKey.$': '$.campaignKey', 'variant.$': '$$.Map.Item.Value' },
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
