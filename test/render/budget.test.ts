import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalHost } from '../../local/local-host.ts';
import { followRun, uploadRunInput } from '../../local/local-run.ts';
import { startRenderServer, type RenderServer } from '../../local/render-server.ts';
import { productPhoto, writeCatalog } from '../support/catalog-fixture.ts';
import { TINY_CHANNELS } from '../support/tiny-channels.ts';

describe('a campaign render budget', () => {
  let root: string;
  let server: RenderServer;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-budget-'));
    server = await startRenderServer();
  });

  afterAll(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('stops submitting before the run would spend more, with a clear recorded reason', async () => {
    const dir = join(root, 'input');
    const files = await writeCatalog(dir, [{ sku: 'B-1', title: 'Blue Bottle', price: 12, images: ['blue.jpg'] }], [TINY_CHANNELS[0].id]);
    await writeFile(join(dir, 'blue.jpg'), await productPhoto('#2255cc'));
    const campaign = JSON.parse(await readFile(files.campaign, 'utf8'));
    // Each shot of this tiny channel bills ~1.5 s at $0.01/s: a $0.02 budget pays for one shot, not two.
    await writeFile(
      files.campaign,
      JSON.stringify({ ...campaign, renderer: { kind: 'http', endpoint: server.url, pollSeconds: 1, budgetUsd: 0.02, concurrency: 1 } }),
    );
    const host = await openLocalHost({
      outDir: join(root, 'out'),
      stateDir: join(root, 'state'),
      inMemoryTracker: true,
      extraChannels: TINY_CHANNELS,
      timing: { waitTimeOverrides: { RenderWait: 50 } },
    });
    try {
      const input = await uploadRunInput(host, {
        catalogPath: files.catalog,
        campaignPath: files.campaign,
        runId: 'run-budget',
        channels: [TINY_CHANNELS[0].id],
      });
      const { executionId } = await host.start(input, input.runId);
      const summary = await followRun(host, executionId);
      expect(server.jobs).toHaveLength(1);
      expect(summary.failed).toBe(1);
      expect(summary.failures[0].reason).toMatch(/RenderBudgetExceededError[\s\S]*budget of \$0\.02[\s\S]*raise renderer\.budgetUsd/);
    } finally {
      await host.close();
    }
  });
});
