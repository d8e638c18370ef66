import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalHost } from '../../local/local-host.ts';
import { followRun, uploadRunInput } from '../../local/local-run.ts';
import { productPhoto, writeCatalog } from '../support/catalog-fixture.ts';
import { TINY_CHANNELS } from '../support/tiny-channels.ts';
import { expectedYield, startFaultServer, type FaultServer, type Schedule } from './fault-render-server.ts';

const CHANNEL = TINY_CHANNELS[0];
const MAX_ATTEMPTS = 3;
const PRODUCTS = 6;
/** One schedule per shot (2 shots per product): every fault kind once, some more than once per shot. */
const SCHEDULES: Schedule[] = [
  { outcomes: ['ok'] },
  { submitFault: { status: 503 }, outcomes: ['ok'] },
  { submitFault: { status: 429, retryAfter: 1, body: { detail: 'Request was throttled. Your rate limit resets in ~1s.' } }, outcomes: ['ok'] },
  { statusHang: true, outcomes: ['ok'] },
  { outcomes: ['blank', 'ok'] },
  { outcomes: ['wrong-size', 'ok'] },
  { outcomes: ['wrong-product', 'ok'] },
  { outcomes: ['never-finish', 'ok'] },
  { outcomes: ['fail', 'blank', 'wrong-product'] },
  { outcomes: ['fail', 'fail', 'fail'] },
  { submitFault: { status: 500 }, outcomes: ['ok'] },
  { outcomes: ['blank', 'wrong-size', 'ok'] },
];

describe('a fault-injecting render server: retries and the fallback keep the batch publishing', () => {
  let root: string;
  let server: FaultServer;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-faults-'));
    server = await startFaultServer(SCHEDULES);
  });

  afterAll(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('ends every product terminal, publishes every ad once, and reports the injected yield and cost', async () => {
    const dir = join(root, 'input');
    const colors = ['#2255cc', '#22aa55', '#cc5522', '#8833aa', '#118899', '#aa8811'];
    const files = await writeCatalog(
      dir,
      colors.slice(0, PRODUCTS).map((_, i) => ({ sku: `F-${i + 1}`, title: `Product ${i + 1}`, price: 10 + i, images: [`p${i}.jpg`] })),
      [CHANNEL.id],
    );
    for (const [i, color] of colors.entries()) await writeFile(join(dir, `p${i}.jpg`), await productPhoto(color));
    const campaign = JSON.parse(await (await import('node:fs/promises')).readFile(files.campaign, 'utf8'));
    await writeFile(
      files.campaign,
      JSON.stringify({
        ...campaign,
        renderer: { kind: 'http', endpoint: server.url, pollSeconds: 1, timeoutSeconds: 8, maxAttempts: MAX_ATTEMPTS, concurrency: 2 },
      }),
    );

    const host = await openLocalHost({
      outDir: join(root, 'out'),
      stateDir: join(root, 'state'),
      inMemoryTracker: true,
      extraChannels: TINY_CHANNELS,
      // Two products at once so one product's waits overlap another's encodes.
      workflow: { productConcurrency: 2 },
      // Polls every 100 ms instead of every second; retries after 50 ms instead of 2-5 s (jittered).
      timing: { waitTimeOverrides: { RenderWait: 100 }, retryIntervalOverrides: { RenderSubmit: 50, RenderPoll: 50 } },
    });
    try {
      const input = await uploadRunInput(host, { catalogPath: files.catalog, campaignPath: files.campaign, runId: 'run-faults', channels: [CHANNEL.id] });
      const { executionId } = await host.start(input, input.runId);
      const publishes: string[] = [];
      const summary = await followRun(host, executionId, (_p, event) => {
        if (event.type === 'StateEntered' && event.state.name === 'Publish') publishes.push((event.state.input as { sku: string }).sku);
      });

      // Every product terminal; ≥ 99 % of ads published (here: all), each published exactly once.
      const ads = await host.deps.tracker.listAds({ runId: input.runId });
      expect(ads).toHaveLength(PRODUCTS);
      expect(ads.every((ad) => ad.status === 'published' || ad.status === 'failed')).toBe(true);
      expect(ads.filter((ad) => ad.status === 'published').length / ads.length).toBeGreaterThanOrEqual(0.99);
      expect(publishes.sort()).toEqual([...new Set(publishes)].sort());
      expect(ads.every((ad) => ad.attempts === 1)).toBe(true);

      // The summary's figures are what was injected.
      const expected = expectedYield(server.assigned, MAX_ATTEMPTS);
      expect(expected).toMatchObject({ shots: PRODUCTS * 2, fallbacks: 2 });
      const r = summary.renders!;
      expect(r).toMatchObject({
        shots: expected.shots,
        fallbacks: expected.fallbacks,
        attempts: expected.attempts,
        firstPassYield: round(expected.firstPass / expected.shots),
        finalYield: round(expected.final / expected.shots),
      });
      // One server job per attempt (transient HTTP faults never created a second job), each billed once.
      expect(server.jobs).toHaveLength(expected.attempts);
      const billed = server.jobs.reduce((sum, job) => sum + job.request.duration, 0);
      expect(r.videoSeconds).toBeCloseTo(billed, 2);
      expect(r.costUsd).toBeCloseTo(billed * 0.01, 4);
      expect(r.byEndpoint.http).toMatchObject({
        shots: expected.shots,
        attempts: expected.attempts,
        fallbacks: expected.fallbacks,
        firstPassYield: round(expected.firstPass / expected.shots),
        finalYield: round(expected.final / expected.shots),
      });
      expect(r.byTemplate['product-hero']).toMatchObject({ fallbacks: expected.fallbacks, finalYield: round(expected.final / expected.shots) });
      expect(r.byTemplate['product-hero'].costUsd).toBeCloseTo(r.costUsd, 6);

      // Each failed attempt is recorded with why it failed, and the fallbacks with the real product photo.
      const renders = await host.deps.tracker.listRenders({ runId: input.runId });
      const reasons = renders.flatMap((x) => x.attemptErrors).join('\n');
      for (const needle of ['blank', 'aspect', 'fidelity', 'timed out', 'failed']) expect(reasons).toMatch(new RegExp(needle));
      expect(renders.filter((x) => x.fallback).every((x) => x.output?.kind === 'plate' && x.renderer === 'procedural')).toBe(true);
    } finally {
      await host.close();
    }
  });
});

const round = (n: number) => Math.round(n * 10_000) / 10_000;
