import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Campaign } from '#domain/model/campaign';
import { ChannelSpec } from '#domain/model/channel-spec';
import { CHANNELS } from '#domain/planning/channels';
import { Product } from '#domain/model/product';
import { sharedEncode } from '#domain/planning/shared-encode';
import { validateVideo } from '#media/validate-output';
import { encodesPerProduct } from '../../bench/lib/encodes.ts';
import { openLocalHost } from '../../local/local-host.ts';
import { followRun, uploadRunInput } from '../../local/local-run.ts';
import { productPhoto, writeCatalog } from '../support/catalog-fixture.ts';
import { TEMPLATES } from '../support/planner-fixtures.ts';

const VIDEO = CHANNELS.filter((c) => c.kind === 'video');

/** A registry placement at a sixth of its size (even sides), with its real durations, codecs and caps: distinct sizes stay distinct. */
function sixth(base: ChannelSpec): ChannelSpec {
  const even = (n: number) => Math.round(n / 12) * 2;
  const scale = even(base.width) / base.width;
  return ChannelSpec.parse({
    ...base,
    id: `sixth-${base.id}`,
    name: `${base.name} (1/6)`,
    width: even(base.width),
    height: even(base.height),
    family: { id: `sixth-${base.family.id}`, renderWidth: even(base.width), renderHeight: even(base.height) },
    safeZone: Object.fromEntries(Object.entries(base.safeZone).map(([k, v]) => [k, Math.round(v * scale)])),
    minTextPx: Math.max(8, Math.round(base.minTextPx * scale)),
  });
}

describe('shared encodes', () => {
  it('the 11 registry video placements need at most 6 encodes per product and template (planned, as npm run bench reports)', () => {
    const campaign = Campaign.parse({
      schemaVersion: 1,
      id: 'c',
      name: 'C',
      brand: { name: 'B', colors: { primary: '#112233', secondary: '#445566', text: '#000000', accent: '#ffcc00' } },
      templates: ['product-hero'],
      channels: ['tiktok'],
    });
    const product = Product.parse({
      schemaVersion: 1,
      source: 'json',
      productHash: 'p',
      sku: 'S',
      title: 'Harbor Ceramic Mug',
      price: { amount: 18, currency: 'USD' },
      compareAtPrice: { amount: 24, currency: 'USD' },
      features: ['Glazed', 'Dishwasher safe', 'Holds 350 ml'],
      images: ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg'],
    });
    expect(VIDEO).toHaveLength(11);
    const counts = encodesPerProduct(product, campaign, TEMPLATES, CHANNELS);
    for (const [template, n] of Object.entries(counts.perTemplate)) {
      const fitting = VIDEO.filter(
        (c) => !TEMPLATES.find((t) => t.id === template)!.conditions.channels || TEMPLATES.find((t) => t.id === template)!.conditions.channels!.includes(c.id),
      );
      if (fitting.length === 11) expect(n, template).toBeLessThanOrEqual(6);
    }
    expect(counts.perTemplate['product-hero']).toBe(6);
    expect(
      sharedEncode(
        VIDEO.find((c) => c.id === 'tiktok')!,
        CHANNELS,
      ).members,
    ).toEqual(['reels', 'shorts', 'snapchat', 'stories', 'tiktok']);
    expect(
      sharedEncode(
        VIDEO.find((c) => c.id === 'youtube-16x9')!,
        CHANNELS,
      ).spec.duration.target,
    ).toBe(6);
  });

  describe('through the local workflow on all 11 placements (at a sixth of their size)', () => {
    let root: string;
    const channels = VIDEO.map(sixth);
    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'adline-shared-encodes-'));
    });
    afterAll(async () => {
      await rm(root, { recursive: true, force: true });
    });

    it('encodes 6 times, publishes one row and one file per placement, each valid for its placement', async () => {
      const files = await writeCatalog(
        join(root, 'input'),
        [{ sku: 'MUG-1', title: 'Harbor Mug', price: 18, compareAt: 24, images: ['mug.jpg', 'mug.jpg'] }],
        channels.map((c) => c.id),
      );
      await writeFile(join(root, 'input', 'mug.jpg'), await productPhoto('#2255cc'));
      const host = await openLocalHost({ outDir: join(root, 'out'), stateDir: join(root, 'state'), inMemoryTracker: true, extraChannels: channels });
      try {
        const input = await uploadRunInput(host, {
          catalogPath: files.catalog,
          campaignPath: files.campaign,
          runId: 'run-shared',
          channels: channels.map((c) => c.id),
        });
        const { executionId } = await host.start(input, 'run-shared');
        let assembles = 0;
        const summary = await followRun(host, executionId, (_p, event) => {
          if (event.type === 'StateEntered' && event.state.name === 'Assemble') assembles += 1;
        });
        expect(summary).toMatchObject({ published: 11, failed: 0 });
        expect(assembles).toBe(6);
        const ads = await host.deps.tracker.listAds({ runId: 'run-shared' });
        expect(ads).toHaveLength(11);
        expect(new Set(ads.map((a) => a.variantHash)).size).toBe(6);
        expect(new Set(ads.map((a) => a.outputs.video)).size).toBe(11);
        const nine16 = ads.filter((a) => ['tiktok', 'reels', 'stories', 'shorts', 'snapchat'].includes(a.channel.replace('sixth-', '')));
        expect(new Set(nine16.map((a) => a.variantHash)).size).toBe(1);
        for (const ad of ads) {
          const channel = channels.find((c) => c.id === ad.channel)!;
          const report = await validateVideo(await host.deps.store.localPath(ad.outputs.video!), channel, ad.durationSeconds!);
          expect(report.problems, ad.channel).toEqual([]);
        }
      } finally {
        await host.close();
      }
    }, 120_000);
  });
});
