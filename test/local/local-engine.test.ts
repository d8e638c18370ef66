import { describe, expect, it } from 'vitest';
import { TASK_NAMES } from '#infra/workflow';
import { bindTaskHandlers, localFunctionArn, localWorkflowAsl, runLocally, type Asl } from '../../local/local-engine.ts';
import { LOCAL_WORKFLOW } from '../../local/local-host.ts';

type State = { Type: string; Resource?: string; ItemProcessor?: { States: Record<string, State>; ProcessorConfig?: { Mode?: string } }; Branches?: Array<{ States: Record<string, State> }>; [k: string]: unknown };

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
    const handlers = Object.fromEntries(TASK_NAMES.map((t) => [t, async () => { calls.push(t); return {}; }])) as never;
    const bound = bindTaskHandlers(asl, handlers);
    expect(Object.keys(bound).sort()).toEqual(['Assemble', 'Plan', 'Prepare', 'Publish', 'RecordFailure', 'Render', 'Summarize', 'Validate']);
    expect(localFunctionArn('render')).toBe(states.find(([n]) => n === 'Render')![1].Resource);
  });

  it('runs on Node 20 thanks to the Promise.withResolvers polyfill, and a per-product Catch keeps the batch going', async () => {
    const seen: string[] = [];
    const handlers = {
      prepare: async () => ({ products: [{ runId: 'r', sku: 'a' }, { runId: 'r', sku: 'b' }], unchanged: 0, rejected: 0 }),
      plan: async (input: { sku: string }) => {
        if (input.sku === 'b') throw Object.assign(new Error('bad product'), { name: 'PlanError' });
        return { renderJobs: [{ renderHash: 'r1', jobKey: 'k1' }], variants: [{ channel: 'c' }] };
      },
      render: async () => ({}),
      assemble: async () => ({ ok: true }),
      validate: async (v: unknown) => v,
      publish: async (input: { sku: string }) => { seen.push(`published ${input.sku}`); return {}; },
      'record-failure': async (input: { sku: string; error: { Error: string } }) => { seen.push(`failed ${input.sku} ${input.error.Error}`); return {}; },
      summarize: async () => ({ done: true }),
    };
    const result = await runLocally(asl, { runId: 'r', campaignKey: 'c' }, handlers as never).result;
    expect(result).toEqual({ done: true });
    expect(seen.sort()).toEqual(['failed b PlanError', 'published a']);
  });
});
