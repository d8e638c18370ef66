import { describe, expect, it } from 'vitest';
import { TASK_NAMES } from '#infra/workflow';
import { bindTaskHandlers, localFunctionArn, localWorkflowAsl, runLocally, type Asl } from '../../local/local-engine.ts';
import { LOCAL_WORKFLOW } from '../../local/local-host.ts';

type State = {
  Type: string;
  Resource?: string;
  ItemProcessor?: { States: Record<string, State>; ProcessorConfig?: { Mode?: string } };
  Branches?: Array<{ States: Record<string, State> }>;
  [k: string]: unknown;
};

function allStates(states: Record<string, State>): Array<[string, State]> {
  return Object.entries(states).flatMap(([name, s]) => [
    [name, s] as [string, State],
    ...(s.ItemProcessor ? allStates(s.ItemProcessor.States) : []),
    ...(s.Branches ?? []).flatMap((b) => allStates(b.States)),
  ]);
}

describe('the local engine adapter (what differs from AWS, pinned)', () => {
  const asl = localWorkflowAsl(LOCAL_WORKFLOW) as Asl & { States: Record<string, State> };
  const states = allStates(asl.States);

  it('uses no feature the local engine lacks: ItemReader, tolerated failures, task tokens, JSONata', () => {
    const text = JSON.stringify(asl);
    for (const missing of ['ItemReader', 'ToleratedFailurePercentage', 'waitForTaskToken', 'JSONata', '{%']) expect(text).not.toContain(missing);
  });

  it('calls Lambda functions directly (payload response only), so no {Payload} wrapping differs', () => {
    const tasks = states.filter(([, s]) => s.Type === 'Task');
    expect(tasks.length).toBe(TASK_NAMES.length);
    for (const [, task] of tasks) expect(task.Resource).toMatch(/^arn:aws:lambda:local-1:000000000000:function:adline-/);
  });

  it('binds every Task state, at any depth, by state name to the handler of the function it names', () => {
    const calls: string[] = [];
    const handlers = Object.fromEntries(
      TASK_NAMES.map((t) => [
        t,
        async () => {
          calls.push(t);
          return {};
        },
      ]),
    ) as never;
    const bound = bindTaskHandlers(asl, handlers);
    expect(Object.keys(bound).sort()).toEqual([
      'Assemble',
      'Plan',
      'Prepare',
      'Publish',
      'RecordFailure',
      'RenderFallback',
      'RenderPoll',
      'RenderSubmit',
      'Summarize',
      'Validate',
    ]);
    expect(localFunctionArn('render-submit')).toBe(states.find(([n]) => n === 'RenderSubmit')![1].Resource);
  });

  it('runs on Node 20 thanks to the Promise.withResolvers polyfill, and a per-product Catch keeps the batch going', async () => {
    const seen: string[] = [];
    const handlers = {
      prepare: async () => ({
        products: [
          { runId: 'r', campaignKey: 'c', sku: 'a' },
          { runId: 'r', campaignKey: 'c', sku: 'b' },
        ],
        unchanged: 0,
        rejected: 0,
      }),
      plan: async (input: { sku: string }) => {
        if (input.sku === 'b') throw Object.assign(new Error('bad product'), { name: 'PlanError' });
        return { renderJobs: [{ renderHash: 'r1', jobKey: 'k1', templateId: 't' }], variants: [{ channel: 'c' }], renderConcurrency: 2 };
      },
      'render-submit': async () => ({ state: 'DONE', waitSeconds: 1, attempt: 0 }),
      'render-poll': async () => ({ state: 'DONE', waitSeconds: 1, attempt: 1 }),
      'render-fallback': async () => ({ state: 'DONE', waitSeconds: 1, attempt: 0 }),
      assemble: async () => ({ ok: true }),
      validate: async (v: unknown) => v,
      publish: async (input: { sku: string }) => {
        seen.push(`published ${input.sku}`);
        return {};
      },
      'record-failure': async (input: { sku: string; error: { Error: string } }) => {
        seen.push(`failed ${input.sku} ${input.error.Error}`);
        return {};
      },
      summarize: async () => ({ done: true }),
    };
    const result = await runLocally(asl, { runId: 'r', campaignKey: 'c' }, handlers as never).result;
    expect(result).toEqual({ done: true });
    expect(seen.sort()).toEqual(['failed b PlanError', 'published a']);
  });

  it('runs the render loop: submit → wait → poll until done, a failed attempt resubmits, and Wait/Retry timings can be shortened', async () => {
    const steps: string[] = [];
    let polls = 0;
    const handlers = {
      prepare: async () => ({ products: [{ runId: 'r', campaignKey: 'c', sku: 'a' }], unchanged: 0, rejected: 0 }),
      plan: async () => ({ renderJobs: [{ renderHash: 'r1', jobKey: 'k1', templateId: 't' }], variants: [{ channel: 'c' }], renderConcurrency: 1 }),
      'render-submit': async () => {
        steps.push('submit');
        if (steps.filter((s) => s === 'submit').length === 1) throw Object.assign(new Error('429'), { name: 'RenderRateLimitedError' });
        return { state: 'WAITING', waitSeconds: 3600, attempt: 1 };
      },
      'render-poll': async () => {
        steps.push('poll');
        polls += 1;
        return polls === 2
          ? { state: 'RESUBMIT', waitSeconds: 3600, attempt: 2 }
          : polls < 4
            ? { state: 'WAITING', waitSeconds: 3600, attempt: 1 }
            : { state: 'DONE', waitSeconds: 1, attempt: 2 };
      },
      'render-fallback': async () => {
        steps.push('fallback');
        return { state: 'DONE', waitSeconds: 1, attempt: 0 };
      },
      assemble: async () => ({ ok: true }),
      validate: async (v: unknown) => v,
      publish: async () => {
        steps.push('publish');
        return {};
      },
      'record-failure': async () => ({}),
      summarize: async () => ({ done: true }),
    };
    const started = performance.now();
    // An hour-long Wait and a 5 s rate-limit Retry, both shortened to milliseconds by state name.
    const result = await runLocally(asl, { runId: 'r', campaignKey: 'c' }, handlers as never, {
      waitTimeOverrides: { RenderWait: 1 },
      retryIntervalOverrides: { RenderSubmit: 1 },
    }).result;
    expect(result).toEqual({ done: true });
    expect(steps).toEqual(['submit', 'submit', 'poll', 'poll', 'submit', 'poll', 'poll', 'publish']);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
