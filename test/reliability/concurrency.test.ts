import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '#media/ffmpeg';
import { openLocalHost } from '../../local/local-host.ts';
import { followRun, uploadRunInput } from '../../local/local-run.ts';
import { productPhoto, writeCatalog } from '../support/catalog-fixture.ts';
import { tinyChannel } from '../support/tiny-channels.ts';
import { storeViolations } from './invariants.ts';

const CHANNELS = [tinyChannel('tiktok', 180, 320, 2), tinyChannel('feed-4x5', 160, 200, 2)];
const CHANNEL_IDS = CHANNELS.map((c) => c.id);
const SKUS = ['CONC-1', 'CONC-2'];

/**
 * Two runs over the same catalog at the same time, as two executions in one local host: dynalite keeps
 * its LevelDB under a per-folder lock, so two processes cannot share one tracker; on AWS, two
 * executions share DynamoDB the same way these two share dynalite.
 */
describe('concurrency: two runs over the same catalog at once', () => {
  let root: string;
  let files: { catalog: string; campaign: string };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-conc-'));
    const dir = join(root, 'input');
    files = await writeCatalog(
      dir,
      [
        { sku: SKUS[0], title: 'Blue Bottle', price: 12, images: ['a.jpg'] },
        { sku: SKUS[1], title: 'Green Box', price: 30, compareAt: 40, images: ['b.jpg'] },
      ],
      CHANNEL_IDS,
    );
    await writeFile(join(dir, 'a.jpg'), await productPhoto('#2255cc', 240));
    await writeFile(join(dir, 'b.jpg'), await productPhoto('#22aa55', 240));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('publishes every ad exactly once, with valid files and one manifest entry each', async () => {
    const host = await openLocalHost({ outDir: join(root, 'out'), stateDir: join(root, 'state'), extraChannels: CHANNELS });
    try {
      const runIds = ['run-conc-a', 'run-conc-b'];
      const inputs = await Promise.all(
        runIds.map((runId) => uploadRunInput(host, { catalogPath: files.catalog, campaignPath: files.campaign, runId, channels: CHANNEL_IDS })),
      );
      const started = await Promise.all(inputs.map((input) => host.start(input, input.runId)));
      const summaries = await Promise.all(started.map(({ executionId }) => followRun(host, executionId)));

      expect(
        summaries.map((s) => s.failures),
        JSON.stringify(summaries.map((s) => s.failures)),
      ).toEqual([[], []]);
      const ads = await host.deps.tracker.listAds();
      expect(ads).toHaveLength(SKUS.length * CHANNEL_IDS.length);
      for (const ad of ads) {
        expect(ad.status).toBe('published');
        // Version 1: exactly one write moved the row to published; a second publisher would have made it 2.
        expect(ad.version, `${ad.sku}/${ad.channel} was written ${ad.version} times`).toBe(1);
        const probe = await probeMedia(join(root, 'out', ad.outputs.video!));
        const channel = CHANNELS.find((c) => c.id === ad.channel)!;
        expect(probe.video).toMatchObject({ codec: 'h264', width: channel.width, height: channel.height });
      }
      // Each ad counted as published by exactly one of the two runs.
      expect(summaries[0].published + summaries[1].published).toBe(ads.length);
      expect(await storeViolations(join(root, 'out'), ads)).toEqual([]);
    } finally {
      await host.close();
    }
  });

  it("bounds the media work of concurrent runs by the host's media slots, and both runs still publish", async () => {
    let active = 0;
    let most = 0;
    const byRun = new Map<string, number>();
    const host = await openLocalHost({
      outDir: join(root, 'out-slots'),
      stateDir: join(root, 'state-slots'),
      extraChannels: CHANNELS,
      mediaConcurrency: 1,
      wrapHandler: (task, handler) =>
        ['render-submit', 'render-poll', 'render-fallback', 'assemble'].includes(task)
          ? async (input) => {
              active += 1;
              most = Math.max(most, active);
              const runId = (input as { runId?: string }).runId ?? '?';
              byRun.set(runId, (byRun.get(runId) ?? 0) + 1);
              try {
                return await handler(input);
              } finally {
                active -= 1;
              }
            }
          : handler,
    });
    try {
      const inputs = await Promise.all(
        ['run-slot-a', 'run-slot-b'].map((runId) =>
          uploadRunInput(host, { catalogPath: files.catalog, campaignPath: files.campaign, runId, channels: CHANNEL_IDS }),
        ),
      );
      const started = await Promise.all(inputs.map((input) => host.start(input, input.runId)));
      const summaries = await Promise.all(started.map(({ executionId }) => followRun(host, executionId)));
      expect(summaries.map((s) => s.failed)).toEqual([0, 0]);
      expect(summaries[0].published + summaries[1].published).toBe(SKUS.length * CHANNEL_IDS.length);
      expect(most).toBe(1);
      expect([...byRun.keys()].sort()).toEqual(['run-slot-a', 'run-slot-b']);
    } finally {
      await host.close();
    }
  });
});
