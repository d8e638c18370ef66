import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Storyboard } from '#domain/model/storyboard';
import { probeMedia } from '#media/ffmpeg';
import { stateNamesOf, synthesizedStateNames } from '#infra/synthesized-definition';
import { openLocalHost, type LocalHost } from '../../local/local-host.ts';
import { followRun, uploadRunInput } from '../../local/local-run.ts';
import { productPhoto, writeCatalog } from '../support/catalog-fixture.ts';
import { TINY_CHANNELS } from '../support/tiny-channels.ts';

const CHANNEL_IDS = TINY_CHANNELS.map((c) => c.id);

describe('the local workflow, end to end on a tiny catalog', () => {
  let root: string;
  let files: { catalog: string; campaign: string };
  const open = () => openLocalHost({ outDir: join(root, 'out'), stateDir: join(root, 'state'), extraChannels: TINY_CHANNELS });

  async function run(host: LocalHost, runId: string) {
    const input = await uploadRunInput(host, { catalogPath: files.catalog, campaignPath: files.campaign, runId, channels: CHANNEL_IDS });
    const { executionId } = await host.start(input, runId);
    const states: string[] = [];
    const plannedSkus: string[] = [];
    const summary = await followRun(host, executionId, (_p, event) => {
      if (event.type !== 'StateEntered') return;
      states.push(event.state.name);
      if (event.state.name === 'Plan') plannedSkus.push((event.state.input as { sku: string }).sku);
    });
    return { summary, states, plannedSkus };
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-workflow-'));
    const catalogDir = join(root, 'input');
    files = await writeCatalog(
      catalogDir,
      [
        { sku: 'GOOD-1', title: 'Blue Bottle', price: 12, compareAt: 20, images: ['blue.jpg', 'green.jpg'] },
        { sku: 'GOOD-2', title: 'Green Box', price: 30, images: ['green.jpg'] },
        // The header decodes, the pixels do not: passes ingest, fails in the render state.
        { sku: 'BROKEN-3', title: 'Truncated Photo', price: 5, images: ['truncated.jpg'] },
        // A photo that does not exist: rejected at ingest with its reason.
        { sku: 'MISSING-4', title: 'No Photo', price: 5, images: ['nope.jpg'] },
      ],
      CHANNEL_IDS,
    );
    await writeFile(join(catalogDir, 'blue.jpg'), await productPhoto('#2255cc'));
    await writeFile(join(catalogDir, 'green.jpg'), await productPhoto('#22aa55'));
    const whole = await productPhoto('#aa2222', 800);
    await writeFile(join(catalogDir, 'truncated.jpg'), whole.subarray(0, Math.floor(whole.length / 3)));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('publishes valid MP4s and posters, records the failure and the rejection, and goes on', async () => {
    const host = await open();
    try {
      const { summary, states } = await run(host, 'run-first');
      expect(summary).toMatchObject({ published: 4, failed: 2, rejected: 1, unchanged: 0 });
      expect(summary.rejections[0]).toMatchObject({ sku: 'MISSING-4' });
      expect(summary.rejections[0].reason).toMatch(/nope\.jpg/);
      expect(states).toContain('RecordFailure');

      // The run executed the CDK-defined workflow: every state entered exists in the synthesized
      // AWS::StepFunctions::StateMachine definition, and the local ASL has exactly its states.
      const synthesized = synthesizedStateNames();
      expect([...new Set(states)].filter((name) => !synthesized.has(name))).toEqual([]);
      expect(new Set(states).size).toBeGreaterThanOrEqual(10);
      expect([...stateNamesOf(host.asl as never)].sort()).toEqual([...synthesized].sort());

      const ads = await host.deps.tracker.listAds({ runId: 'run-first' });
      const published = ads.filter((ad) => ad.status === 'published');
      expect(published.map((ad) => `${ad.sku}/${ad.channel}`).sort()).toEqual(
        ['GOOD-1', 'GOOD-2'].flatMap((sku) => CHANNEL_IDS.map((c) => `${sku}/${c}`)).sort(),
      );
      const failed = ads.filter((ad) => ad.status === 'failed');
      expect(failed.map((ad) => ad.sku)).toEqual(['BROKEN-3', 'BROKEN-3']);
      expect(failed[0].reason).toMatch(/Error/);

      for (const ad of published) {
        const channel = TINY_CHANNELS.find((c) => c.id === ad.channel)!;
        const storyboard = Storyboard.parse(JSON.parse(await readFile(join(root, 'out', `storyboards/${ad.storyboardHash}.json`), 'utf8')));
        const probe = await probeMedia(join(root, 'out', ad.outputs.video!));
        expect(probe.video).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', width: channel.width, height: channel.height });
        expect(probe.video!.fps).toBeCloseTo(30, 2);
        expect(probe.audio?.codec).toBe('aac');
        expect(Math.abs(probe.durationSeconds - storyboard.duration)).toBeLessThanOrEqual(0.1);
        const poster = await probeMedia(join(root, 'out', ad.outputs.poster!));
        expect(poster.video).toMatchObject({ width: channel.width, height: channel.height });
        const manifest = JSON.parse(await readFile(join(root, 'out', ad.outputs.manifest!), 'utf8'));
        expect(manifest.variants.map((v: { channel: string }) => v.channel)).toContain(ad.channel);
        // The creative QC ran on the published output; its report is in the store and linked from the gallery.
        expect(ad.creative).toMatchObject({ ok: true, failures: [] });
        expect(JSON.parse(await readFile(join(root, 'out', ad.creative!.reportKey), 'utf8'))).toMatchObject({ ok: true });
      }
      const gallery = await readFile(join(root, 'out', 'index.html'), 'utf8');
      for (const ad of published) expect(gallery).toContain(ad.outputs.video!);
      expect(gallery).toContain('creative QC ok');
    } finally {
      await host.close();
    }
  });

  it('re-running unchanged input renders and encodes nothing, read from the persisted tracker', async () => {
    const host = await open(); // a fresh host: the tracker state comes from disk
    try {
      const { summary, states, plannedSkus } = await run(host, 'run-second');
      expect(summary.unchanged).toBe(4);
      expect(summary.published).toBe(0);
      // Only the broken product is tried again; nothing of the published ones is planned, rendered or encoded.
      expect(plannedSkus).toEqual(['BROKEN-3']);
      expect(states.filter((s) => s === 'Assemble')).toHaveLength(0);
      const ads = await host.deps.tracker.listAds();
      expect(ads.filter((ad) => ad.status === 'published')).toHaveLength(4);
    } finally {
      await host.close();
    }
  });
});
