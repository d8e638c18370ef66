import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Campaign } from '#domain/model/campaign';
import { CHANNELS } from '#domain/planning/channels';
import { planStoryboard } from '#domain/planning/planner';
import { mediaToolchain, toolchainId } from '#media/toolchain-version';
import { openLocalHost, type LocalHostOptions } from '../../local/local-host.ts';
import { followRun, uploadRunInput } from '../../local/local-run.ts';
import { productPhoto, writeCatalog } from '../support/catalog-fixture.ts';
import { CAMPAIGN, product, TEMPLATES } from '../support/planner-fixtures.ts';
import { TINY_CHANNELS } from '../support/tiny-channels.ts';
import { REPO } from './cli-process.ts';

const CHANNEL_IDS = TINY_CHANNELS.map((c) => c.id);

/** Fix h of issue 11: the ffmpeg and sharp versions are part of the render and variant hashes. */
describe('the media toolchain in the hashes', () => {
  it("reads ffmpeg's version line and sharp's and libvips' versions, once", async () => {
    const first = mediaToolchain();
    expect(mediaToolchain()).toBe(first);
    const versions = await first;
    expect(versions.ffmpeg).toMatch(/^ffmpeg version \S+/);
    expect(versions.sharp).toBe((JSON.parse(readFileSync(join(REPO, 'node_modules', 'sharp', 'package.json'), 'utf8')) as { version: string }).version);
    expect(versions.vips).toMatch(/^\d+\.\d+\.\d+/);
    expect(await toolchainId()).toMatch(/^[0-9a-f]{16}$/);
    expect(await toolchainId({ toolchain: 'other' })).toBe('other');
  });

  it("a procedural render hash changes with the toolchain; an endpoint's (paid) render hash does not", () => {
    const input = {
      product: product({ images: ['images/a.jpg'] }),
      template: TEMPLATES.find((t) => t.id === 'product-hero')!,
      channel: CHANNELS.find((c) => c.id === 'tiktok')!,
    };
    const hashes = (campaign: Campaign, toolchain?: string) => planStoryboard({ ...input, campaign, toolchain }).storyboard.shots.map((s) => s.renderHash);
    expect(hashes(CAMPAIGN, 'ffmpeg-4.1+sharp-0.35')).not.toEqual(hashes(CAMPAIGN, 'ffmpeg-7.1+sharp-0.35'));
    expect(hashes(CAMPAIGN, 'ffmpeg-4.1+sharp-0.35')).not.toEqual(hashes(CAMPAIGN));
    const http = Campaign.parse({ ...CAMPAIGN, renderer: { kind: 'http', endpoint: 'http://127.0.0.1:1' } });
    expect(hashes(http, 'ffmpeg-4.1+sharp-0.35')).toEqual(hashes(http, 'ffmpeg-7.1+sharp-0.35'));
  });

  describe('a run after an upgrade', () => {
    let root: string;
    let files: { catalog: string; campaign: string };
    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'adline-toolchain-'));
      files = await writeCatalog(join(root, 'input'), [{ sku: 'MUG-1', title: 'Harbor Mug', price: 18, images: ['mug.jpg'] }], CHANNEL_IDS);
      await writeFile(join(root, 'input', 'mug.jpg'), await productPhoto('#2255cc'));
    });
    afterAll(async () => {
      await rm(root, { recursive: true, force: true });
    });

    const runOn = async (options: Partial<LocalHostOptions>, runId: string) => {
      const host = await openLocalHost({ outDir: join(root, 'out'), stateDir: join(root, 'state'), extraChannels: TINY_CHANNELS, ...options });
      try {
        const input = await uploadRunInput(host, { catalogPath: files.catalog, campaignPath: files.campaign, runId, channels: CHANNEL_IDS });
        const summary = await followRun(host, (await host.start(input, runId)).executionId);
        return { summary, ads: await host.deps.tracker.listAds({ campaignId: 'test-campaign' }), renders: await host.deps.tracker.listRenders({ runId }) };
      } finally {
        await host.close();
      }
    };

    it('makes every ad again (new renders, new variants) instead of calling it unchanged', async () => {
      const before = await runOn({}, 'run-1');
      expect(before.summary).toMatchObject({ published: 2, unchanged: 0 });
      expect((await runOn({}, 'run-2')).summary).toMatchObject({ published: 0, unchanged: 2 });

      const upgraded = await runOn({ wrapDeps: (deps) => ({ ...deps, toolchain: 'ffmpeg version 7.1 / sharp 0.36' }) }, 'run-3');
      expect(upgraded.summary).toMatchObject({ published: 2, unchanged: 0, failed: 0 });
      expect(upgraded.renders.length).toBeGreaterThan(0); // the plates were made again, not reused
      const variant = (ads: typeof before.ads) => Object.fromEntries(ads.map((ad) => [ad.channel, ad.variantHash]));
      for (const channel of CHANNEL_IDS) expect(variant(upgraded.ads)[channel]).not.toBe(variant(before.ads)[channel]);
    });
  });
});
