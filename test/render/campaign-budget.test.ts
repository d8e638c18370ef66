import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererProfile, type RendererSettings } from '#domain/model/campaign';
import { FalRenderClient } from '#adapters/render/fal-render-client';
import { openLocalTracker, type LocalTracker } from '../../local/local-tracker.ts';
import { openLocalHost } from '../../local/local-host.ts';
import { followRun, uploadRunInput } from '../../local/local-run.ts';
import { productPhoto, writeCatalog } from '../support/catalog-fixture.ts';
import { startStandIns, type StandIns } from '../support/model-stand-ins.ts';
import { tinyChannel } from '../support/tiny-channels.ts';

/** Kling 2.1 standard on fal: $0.28 per 5 s clip (the profile's price rule). */
const CLIP_USD = 0.28;
const CHANNEL = tinyChannel('tiktok', 180, 320);
let root: string;
let standIns: StandIns;

const fal = (settings: RendererSettings) => {
  const profile = rendererProfile(settings)!;
  return new FalRenderClient({ endpoint: standIns.url, model: profile.model, key: 'k', timeoutMs: 10_000, profile });
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'adline-campaign-budget-'));
  // Kling v2.1 pro answers blank clips: every job is paid for and rejected by the gate.
  standIns = await startStandIns({ sizeScale: 0.25, blank: (model) => model.includes('/pro/') });
});

afterAll(async () => {
  await standIns?.close();
  await rm(root, { recursive: true, force: true });
});

/** A catalog of `skus` products and a campaign on a fal Kling profile with these renderer settings. */
async function fixture(name: string, skus: string[], renderer: Record<string, unknown>) {
  const dir = join(root, name);
  const files = await writeCatalog(
    join(dir, 'input'),
    skus.map((sku, i) => ({ sku, title: `Mug ${i + 1}`, price: 10 + i, images: [`p${i}.jpg`] })),
    [CHANNEL.id],
  );
  for (const [i] of skus.entries()) await writeFile(join(dir, 'input', `p${i}.jpg`), await productPhoto(['#2255cc', '#22aa55', '#cc5522', '#8833aa'][i % 4]));
  const campaign = JSON.parse(await readFile(files.campaign, 'utf8'));
  await writeFile(
    files.campaign,
    JSON.stringify({ ...campaign, renderer: { kind: 'fal', endpoint: standIns.url, pollSeconds: 1, timeoutSeconds: 120, ...renderer } }),
  );
  const host = await openLocalHost({
    outDir: join(dir, 'out'),
    stateDir: join(dir, 'state'),
    inMemoryTracker: true,
    extraChannels: [CHANNEL],
    renderClients: fal,
    timing: { waitTimeOverrides: { RenderWait: 100 } },
  });
  return { files, host, dir };
}

describe('honest money', () => {
  it('records the cost of every paid attempt when the gate rejects the clips, and still publishes (procedural fallback)', async () => {
    const { files, host } = await fixture('rejected', ['REJ-1'], { profile: 'fal-kling-v2.1-pro', maxAttempts: 2 });
    try {
      const input = await uploadRunInput(host, { catalogPath: files.catalog, campaignPath: files.campaign, runId: 'run-rejected', channels: [CHANNEL.id] });
      const summary = await followRun(host, (await host.start(input, input.runId)).executionId);
      const renders = await host.deps.tracker.listRenders({ runId: input.runId });
      expect(summary.published).toBe(1);
      expect(renders.length).toBeGreaterThan(0);
      for (const r of renders) {
        expect(r).toMatchObject({ fallback: true, attempts: 2, renderer: 'procedural' });
        // Two completed Kling pro jobs of 5 s at $0.49 each, paid though the gate said blank.
        expect(r.costUsd).toBeCloseTo(2 * 0.49, 6);
        for (const n of [1, 2]) {
          const attempt = await host.deps.tracker.getAttempt(r.renderHash, n);
          expect(attempt).toMatchObject({ state: 'SUCCEEDED', costUsd: 0.49, qc: { ok: false } });
          expect(attempt!.error).toMatch(/blank/);
        }
      }
      expect(summary.renders!.costUsd).toBeCloseTo(renders.length * 2 * 0.49, 6);
      expect(summary.renders).toMatchObject({ firstPassYield: 0, fallbacks: renders.length, budgetStops: 0 });
    } finally {
      await host.close();
    }
  }, 120_000);

  it('holds the daily budget under 4 concurrent runs: shots past it render procedurally, every ad is published, the summary says so', async () => {
    const skus = ['DAY-1', 'DAY-2', 'DAY-3', 'DAY-4'];
    const budget = 3 * CLIP_USD;
    const { files, host, dir } = await fixture('daily', skus, { profile: 'fal-kling-v2.1-standard', dailyBudgetUsd: budget, maxAttempts: 1, concurrency: 4 });
    try {
      // Four runs of the same campaign at once (webhook-started runs), one product each.
      const runs = await Promise.all(
        skus.map(async (sku, i) => {
          // Beside the images: the catalog's relative image paths stay valid.
          const catalog = join(dir, 'input', `catalog-${i}.json`);
          const all = JSON.parse(await readFile(files.catalog, 'utf8')) as Array<{ sku: string }>;
          await writeFile(catalog, JSON.stringify(all.filter((p) => p.sku === sku)));
          const input = await uploadRunInput(host, { catalogPath: catalog, campaignPath: files.campaign, runId: `run-day-${i}`, channels: [CHANNEL.id] });
          return { input, executionId: (await host.start(input, input.runId)).executionId };
        }),
      );
      const summaries = await Promise.all(runs.map((r) => followRun(host, r.executionId)));
      const renders = (await Promise.all(runs.map((r) => host.deps.tracker.listRenders({ runId: r.input.runId })))).flat();
      const spent = renders.reduce((n, r) => n + r.costUsd, 0);
      const paid = renders.filter((r) => !r.fallback);
      const stopped = renders.filter((r) => r.budgetStop);
      expect(paid.length).toBeLessThanOrEqual(3);
      expect(spent).toBeLessThanOrEqual(budget + 1e-9);
      expect(stopped.length).toBe(renders.length - paid.length);
      expect(stopped.length).toBeGreaterThan(0);
      for (const r of stopped) expect(r.error).toMatch(/daily budget of \$0.84/);
      expect(summaries.reduce((n, s) => n + s.published, 0)).toBe(4);
      expect(summaries.reduce((n, s) => n + (s.renders?.budgetStops ?? 0), 0)).toBe(stopped.length);
      // The stand-in was asked for exactly the paid shots, no more.
      expect(standIns.requests.filter((q) => q.model.includes('v2.1/standard') && q.status < 400).length).toBe(paid.length);
    } finally {
      await host.close();
    }
  }, 180_000);

  it('the tracker never lets 4 concurrent writers pass a budget (single-item conditional updates on dynalite)', async () => {
    const local: LocalTracker = await openLocalTracker();
    try {
      const results = await Promise.all(
        Array.from({ length: 4 }, () => Promise.all(Array.from({ length: 10 }, () => local.tracker.reserveBudget('campaign-x-day-2026-12-01', 0.28, 2.0)))),
      );
      // 2.00 / 0.28 = 7.14: exactly 7 of the 40 reservations fit.
      expect(results.flat().filter(Boolean)).toHaveLength(7);
    } finally {
      await local.close();
    }
  });
});
