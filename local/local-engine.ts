/**
 * The one module where the local host adapts the CDK-defined workflow to the in-process ASL engine
 * (aws-local-stepfunctions). What differs from AWS, and nothing else:
 *
 * 1. Node 20 lacks `Promise.withResolvers`, which the engine's Task timeout uses: polyfilled below.
 * 2. Task states are bound to in-process handlers by STATE NAME (the engine's override key), found by
 *    walking the ASL; the Lambda each Task names (by ARN) decides which handler it gets.
 * 3. ARNs and partitions are CDK tokens: resolved against a fixed local account and region.
 * 4. Wait states and Retry intervals may be shortened (`waitTimeOverrides`/`retryIntervalOverrides`,
 *    in milliseconds, by state name) so tests run the render poll loop in milliseconds; nothing else
 *    about the loop differs, and without overrides the campaign's poll interval is honoured.
 *
 * The workflow uses `payloadResponseOnly` Lambda tasks, so no `{Payload}` wrapping differs, and it uses
 * no ItemReader, ToleratedFailurePercentage, `.waitForTaskToken` or JSONata (the engine lacks them).
 * test/local/local-engine.test.ts pins these differences.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { StateMachine } from 'aws-local-stepfunctions';
import { buildWorkflow, TASK_NAMES, type TaskName, type WorkflowOptions } from '#infra/workflow';

type Resolvers<T> = { promise: Promise<T>; resolve: (value: T | PromiseLike<T>) => void; reject: (reason?: unknown) => void };
const PromiseWithResolvers = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> };
if (!PromiseWithResolvers.withResolvers) {
  PromiseWithResolvers.withResolvers = function withResolvers<T>(): Resolvers<T> {
    let resolve!: Resolvers<T>['resolve'];
    let reject!: Resolvers<T>['reject'];
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'local-1';

/** The Lambda function ARN a task gets on the local host. */
export const localFunctionArn = (task: TaskName) => `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:adline-${task}`;

type AslState = {
  Type: string;
  Resource?: string;
  ItemProcessor?: { States: Record<string, AslState> };
  Iterator?: { States: Record<string, AslState> };
  Branches?: Array<{ States: Record<string, AslState> }>;
};
export type Asl = { StartAt: string; States: Record<string, AslState> };
export type TaskHandlerFn = (input: unknown) => Promise<unknown>;
export type LocalExecution = ReturnType<StateMachine['run']>;
export type EngineEvent = LocalExecution['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/** Resolves the workflow from infra/workflow.ts to runnable ASL, without synthesizing a whole app. */
export function localWorkflowAsl(options: WorkflowOptions): Asl {
  const stack = new Stack(new App(), 'AdlineLocal', { env: { account: LOCAL_ACCOUNT, region: LOCAL_REGION } });
  const fns = Object.fromEntries(TASK_NAMES.map((task) => [task, lambda.Function.fromFunctionArn(stack, `Fn-${task}`, localFunctionArn(task))])) as Record<
    TaskName,
    lambda.IFunction
  >;
  const chain = buildWorkflow(stack, fns, options);
  const graph = new sfn.StateGraph(chain.startState, 'adline');
  return resolveTokens(stack.resolve(graph.toGraphJson())) as Asl;
}

function resolveTokens(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(resolveTokens);
  const obj = value as Record<string, unknown>;
  if ('Fn::Join' in obj) {
    const [separator, parts] = obj['Fn::Join'] as [string, unknown[]];
    return parts.map(resolveTokens).join(separator);
  }
  if ('Ref' in obj)
    return (
      ({ 'AWS::Partition': 'aws', 'AWS::Region': LOCAL_REGION, 'AWS::AccountId': LOCAL_ACCOUNT, 'AWS::URLSuffix': 'amazonaws.com' } as Record<string, string>)[
        obj.Ref as string
      ] ?? obj.Ref
    );
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolveTokens(v)]));
}

/** Maps every Task state (at any depth) to the handler of the function its Resource names. */
export function bindTaskHandlers(asl: Asl, handlers: Record<TaskName, TaskHandlerFn>): Record<string, TaskHandlerFn> {
  const byArn = new Map(TASK_NAMES.map((task) => [localFunctionArn(task), handlers[task]]));
  const bound: Record<string, TaskHandlerFn> = {};
  const walk = (states: Record<string, AslState>) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Task') {
        const handler = byArn.get(state.Resource ?? '');
        if (!handler) throw new Error(`Task state ${name} names ${state.Resource}, which no local handler serves.`);
        bound[name] = handler;
      }
      const inner = state.ItemProcessor ?? state.Iterator;
      if (inner) walk(inner.States);
      state.Branches?.forEach((branch) => walk(branch.States));
    }
  };
  walk(asl.States);
  return bound;
}

/** Shortened timings for tests, by state name, in milliseconds (difference 4 in the header). */
export interface TimingOverrides {
  waitTimeOverrides?: Record<string, number>;
  retryIntervalOverrides?: Record<string, number>;
}

/**
 * The ASL on the in-process engine with the given handlers, ready to start executions. The engine
 * validates the definition when it is constructed (~0.2–0.5 s on two cores), so a host builds it once
 * and starts every execution from it.
 */
export function localRunner(asl: Asl, handlers: Record<TaskName, TaskHandlerFn>, timing: TimingOverrides = {}): (input: unknown) => LocalExecution {
  const machine = new StateMachine(asl as never);
  const overrides = {
    taskResourceLocalHandlers: bindTaskHandlers(asl, handlers) as never,
    waitTimeOverrides: timing.waitTimeOverrides,
    retryIntervalOverrides: timing.retryIntervalOverrides,
  };
  return (input) => machine.run(input as never, { overrides });
}

/** Starts one execution of the ASL on the in-process engine with the given handlers. */
export function runLocally(asl: Asl, input: unknown, handlers: Record<TaskName, TaskHandlerFn>, timing: TimingOverrides = {}): LocalExecution {
  return localRunner(asl, handlers, timing)(input);
}
