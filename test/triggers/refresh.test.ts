import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshCampaign } from '#triggers/refresh-campaign';
import { putCampaign, registerCatalogSource } from '../../local/campaign-file.ts';
import { openLocalHost, type LocalHost } from '../../local/local-host.ts';
import { followRun, uploadRunInput } from '../../local/local-run.ts';
import { productPhoto, writeCatalog } from '../support/catalog-fixture.ts';
import { TINY_CHANNELS } from '../support/tiny-channels.ts';

/** Follows every run a refresh started; returns the skus planned and the summaries. */
async function follow(host: LocalHost, executionIds: string[]) {
  const planned: Array<{ sku: string; generations: Array<number | undefined> }> = [];
  const summaries = [];
  for (const id of executionIds) {
    summaries.push(
      await followRun(host, id, (_p, event) => {
        if (event.type === 'StateEntered' && event.state.name === 'Plan') {
          const input = event.state.input as { sku: string; variants: Array<{ generation?: number }> };
          planned.push({ sku: input.sku, generations: input.variants.map((v) => v.generation) });
        }
      }),
    );
  }
  return { planned, summaries };
}

describe('adline refresh: only what is stale', () => {
  let root: string;
  let host: LocalHost;
  let files: { catalog: string; campaign: string };
  const deps = () => ({ store: host.deps.store, tracker: host.deps.tracker, starter: host, now: host.deps.now });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-refresh-'));
    const dir = join(root, 'input');
    files = await writeCatalog(
      dir,
      [
        { sku: 'MUG-1', title: 'Trail Mug', price: 24, images: ['a.jpg'] },
        { sku: 'LAMP-2', title: 'Desk Lamp', price: 40, images: ['b.jpg'] },
      ],
      ['tiny-tiktok'],
    );
    const campaign = JSON.parse(await readFile(files.campaign, 'utf8'));
    await writeFile(files.campaign, JSON.stringify({ ...campaign, refresh: { cron: 'cron(0 6 * * ? *)', maxAgeDays: 14 } }));
    await writeFile(join(dir, 'a.jpg'), await productPhoto('#aa3322', 240));
    await writeFile(join(dir, 'b.jpg'), await productPhoto('#3322aa', 240));
    host = await openLocalHost({ outDir: join(root, 'out'), stateDir: join(root, 'state'), inMemoryTracker: true, extraChannels: TINY_CHANNELS });
    const input = await uploadRunInput(host, { catalogPath: files.catalog, campaignPath: files.campaign, runId: 'run-initial' });
    await followRun(host, (await host.start(input, input.runId)).executionId);
  });

  afterAll(async () => {
    await host?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('with nothing changed, renders nothing', async () => {
    const { campaignKey } = await putCampaign(host.deps.store, files.campaign);
    const outcome = await refreshCampaign(deps(), { campaignKey, runId: 'refresh-1' });
    if (outcome.outcome !== 'started') throw new Error(outcome.outcome);
    expect(outcome).toMatchObject({ sources: 1, products: 2 });
    const { planned, summaries } = await follow(
      host,
      outcome.runs.map((r) => r.executionId),
    );
    expect(planned).toEqual([]);
    expect(summaries[0]).toMatchObject({ unchanged: 2, published: 0 });
  });

  it("after one product's title changes, re-renders only that product's ads", async () => {
    const catalog = JSON.parse(await readFile(files.catalog, 'utf8')) as Array<{ sku: string; title: string }>;
    catalog[0].title = 'Trail Mug, now in green';
    await writeFile(files.catalog, JSON.stringify(catalog));
    const { campaignKey } = await putCampaign(host.deps.store, files.campaign);
    await registerCatalogSource(host, { catalogPath: files.catalog, campaignPath: files.campaign, campaignId: 'test-campaign', uploadId: 'upload-2' });
    const outcome = await refreshCampaign(deps(), { campaignKey, runId: 'refresh-2' });
    if (outcome.outcome !== 'started') throw new Error(outcome.outcome);
    const { planned, summaries } = await follow(
      host,
      outcome.runs.map((r) => r.executionId),
    );
    expect(planned.map((p) => p.sku)).toEqual(['MUG-1']);
    expect(summaries[0]).toMatchObject({ published: 1, unchanged: 1 });
    const mug = await host.deps.tracker.getAd({ campaignId: 'test-campaign', sku: 'MUG-1', templateId: 'product-hero', channel: 'tiny-tiktok' });
    expect(mug).toMatchObject({ status: 'published', runId: 'refresh-2' });
  });

  it('ads older than the campaign max age get the next generation (fresh seeds), once', async () => {
    const { campaignKey } = await putCampaign(host.deps.store, files.campaign);
    const realNow = host.deps.now;
    host.deps.now = () => new Date(Date.now() + 15 * 86_400_000);
    try {
      const outcome = await refreshCampaign(deps(), { campaignKey, runId: 'refresh-3' });
      if (outcome.outcome !== 'started') throw new Error(outcome.outcome);
      const { planned } = await follow(
        host,
        outcome.runs.map((r) => r.executionId),
      );
      expect(planned.map((p) => p.sku).sort()).toEqual(['LAMP-2', 'MUG-1']);
      expect(planned.flatMap((p) => p.generations)).toEqual([1, 1]);
      const ads = await host.deps.tracker.listAds({ runId: 'refresh-3' });
      expect(ads.map((ad) => [ad.status, ad.generation])).toEqual([
        ['published', 1],
        ['published', 1],
      ]);
      const again = await refreshCampaign(deps(), { campaignKey, runId: 'refresh-4' });
      if (again.outcome !== 'started') throw new Error(again.outcome);
      expect(
        (
          await follow(
            host,
            again.runs.map((r) => r.executionId),
          )
        ).planned,
      ).toEqual([]);
    } finally {
      host.deps.now = realNow;
    }
  });
});
