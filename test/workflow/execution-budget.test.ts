import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_PER_ITERATION, EVENTS_PER_RETRY, EVENTS_PER_STATE, eventsPerProduct, WORKFLOW_EVENTS } from '#domain/planning/execution-budget';
import { openLocalHost } from '../../local/local-host.ts';
import { uploadRunInput } from '../../local/local-run.ts';
import { startRenderServer, type RenderServer } from '../../local/render-server.ts';
import { productPhoto, writeCatalog } from '../support/catalog-fixture.ts';
import { TINY_CHANNELS } from '../support/tiny-channels.ts';

/** What one execution's engine log stands for in AWS history events, and the counts the model is written in. */
interface Measured {
  history: number;
  states: Map<string, number>;
  bytes: number;
}

/** Runs the catalog on the local engine (the CDK-defined workflow) and counts its events as Standard history would. */
async function measure(root: string, name: string, files: { catalog: string; campaign: string }, renderer: Record<string, unknown>): Promise<Measured> {
  const campaignPath = join(root, `campaign-${name}.json`);
  await writeFile(campaignPath, JSON.stringify({ ...JSON.parse(await readFile(files.campaign, 'utf8')), renderer }));
  const host = await openLocalHost({
    outDir: join(root, `out-${name}`),
    stateDir: join(root, `state-${name}`),
    inMemoryTracker: true,
    extraChannels: TINY_CHANNELS,
    timing: { waitTimeOverrides: { RenderWait: 20 } },
  });
  try {
    const input = await uploadRunInput(host, { catalogPath: files.catalog, campaignPath, runId: `run-${name}` });
    const { executionId } = await host.start(input, input.runId);
    const execution = host.execution(executionId);
    const measured: Measured = { history: 2, states: new Map(), bytes: Buffer.byteLength(JSON.stringify(input)) };
    for await (const event of execution.eventLogs as AsyncIterable<any>) {
      if (event.type === 'StateEntered') {
        measured.history += EVENTS_PER_STATE[event.state.type as keyof typeof EVENTS_PER_STATE] ?? 2;
        measured.states.set(event.state.name, (measured.states.get(event.state.name) ?? 0) + 1);
      }
      if (event.type === 'MapIterationStarted' || event.type === 'MapIterationSucceeded') measured.history += EVENTS_PER_ITERATION / 2;
      if (event.type === 'StateRetried') measured.history += EVENTS_PER_RETRY;
      for (const v of [event.state?.input, event.state?.output])
        if (v !== undefined) measured.bytes = Math.max(measured.bytes, Buffer.byteLength(JSON.stringify(v)));
    }
    const summary = (await execution.result) as { published: number; failed: number };
    expect(summary.failed).toBe(0);
    expect(summary.published).toBeGreaterThan(0);
    return measured;
  } finally {
    await host.close();
  }
}

/** The model's events for the counts the run actually had (products, variants, render jobs, polls, fallbacks). */
function modelled(m: Measured): number {
  const n = (state: string) => m.states.get(state) ?? 0;
  const e = WORKFLOW_EVENTS;
  return (
    e.execution +
    n('ProcessProduct') * e.product +
    n('Assemble') * e.variant +
    n('Rendered') * e.renderJob +
    n('RenderPoll') * e.poll +
    n('RenderFallback') * e.fallback
  );
}

describe('execution budget: the per-state event model against the local engine', () => {
  let root: string;
  let server: RenderServer;
  let files: { catalog: string; campaign: string };
  let single: { catalog: string; campaign: string };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-budget-'));
    server = await startRenderServer({ concurrency: 2 });
    const dir = join(root, 'input');
    files = await writeCatalog(
      dir,
      [
        { sku: 'B-1', title: 'Blue Bottle', price: 12, images: ['blue.jpg'] },
        { sku: 'B-2', title: 'Green Box', price: 30, compareAt: 40, images: ['green.jpg'] },
      ],
      TINY_CHANNELS.map((c) => c.id),
    );
    await writeFile(join(dir, 'blue.jpg'), await productPhoto('#2255cc'));
    await writeFile(join(dir, 'green.jpg'), await productPhoto('#22aa55'));
    single = await writeCatalog(
      join(root, 'single'),
      [{ sku: 'B-1', title: 'Blue Bottle', price: 12, images: ['blue.jpg'] }],
      TINY_CHANNELS.map((c) => c.id),
    );
    await writeFile(join(root, 'single', 'blue.jpg'), await productPhoto('#2255cc'));
  });
  afterAll(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('procedural: the history the engine walks is exactly the model (per product, variant and render job)', async () => {
    const m = await measure(root, 'procedural', files, { kind: 'procedural' });
    expect(m.states.get('ProcessProduct')).toBe(2);
    expect(m.states.get('Assemble')).toBe(4); // 2 products × 2 channels
    expect(m.history).toBe(modelled(m));
    // Printed for docs/scaling.md.
    console.log(`procedural: ${m.history} history events for 2 products × 2 channels (${m.states.get('Rendered')} render jobs); max state ${m.bytes} bytes`);
  });

  it('generative polling: each poll is RenderWait + RenderPoll + RenderNext, and the worst case bounds the run', async () => {
    const renderer = { kind: 'http', endpoint: server.url, pollSeconds: 1, timeoutSeconds: 30, maxAttempts: 1, concurrency: 3 };
    const m = await measure(root, 'generative', single, renderer);
    expect(m.states.get('RenderPoll') ?? 0).toBeGreaterThan(0);
    expect(m.states.get('RenderWait')).toBe(m.states.get('RenderPoll'));
    expect(m.history).toBe(modelled(m));
    const perProduct = m.history - WORKFLOW_EVENTS.execution;
    const jobsPerProduct = m.states.get('Rendered') ?? 0;
    const worst = eventsPerProduct({ variants: 2, renderJobs: jobsPerProduct, renderer: { ...renderer, kind: 'http' } });
    expect(worst).toBeGreaterThanOrEqual(perProduct);
    console.log(
      `generative: ${m.history} history events for 1 product × 2 channels (${m.states.get('RenderPoll')} polls, ${jobsPerProduct} jobs per product); ` +
        `worst case per product ${worst}; max state ${m.bytes} bytes`,
    );
  });
});
