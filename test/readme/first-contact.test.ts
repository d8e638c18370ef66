import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { MEDIA_ENGINE } from '#media/media-engine';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsAssetStore } from '#adapters/local/fs-asset-store';
import { loadTemplateDir } from '#adapters/local/template-dir';
import { AdRecord } from '#domain/model/ad-record';
import { Campaign } from '#domain/model/campaign';
import { CHANNELS, channelRegistry, UnknownChannelError } from '#domain/planning/channels';
import { planStoryboard } from '#domain/planning/planner';
import type { Deps } from '#ports/deps';
import { assembleVariant } from '#usecases/assemble-variant';
import { saveDocument } from '#usecases/load-documents';
import { planProduct } from '#usecases/plan-product';
import { validateVariant } from '#usecases/validate-variant';
import { resolveChannelIds } from '../../local/commands/common.ts';
import { planCatalog } from '../../local/plan-catalog.ts';
import { startRenderServer } from '../../local/render-server.ts';
import { product, CAMPAIGN } from '../support/planner-fixtures.ts';
import { TINY_CHANNELS, TINY_OVERRIDES } from '../support/tiny-channels.ts';
import { startImageServer } from '../triggers/support.ts';
import { REPO, runAdline, startBackground } from './cli-process.ts';

/** Fixes a, b, f and g of issue 11: what a new user hit copying the README's commands (the CLI cases run at once: they mostly wait). */
describe('first contact with the CLI', () => {
  let root: string;
  let tiny: string;
  let catalog: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-first-contact-'));
    tiny = join(root, 'tiny.json');
    await writeFile(tiny, JSON.stringify([...TINY_OVERRIDES, ...TINY_CHANNELS]));
    // One example product with its photo, beside a catalog of its own.
    await mkdir(join(root, 'input', 'images'), { recursive: true });
    await copyFile(join(REPO, 'examples', 'images', 'lamp.jpg'), join(root, 'input', 'images', 'lamp.jpg'));
    const examples = JSON.parse(await readFile(join(REPO, 'examples', 'catalog.json'), 'utf8')) as Array<{ sku: string }>;
    catalog = join(root, 'input', 'catalog.json');
    await writeFile(catalog, JSON.stringify(examples.filter((p) => p.sku === 'NW-LMP-003')));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it.concurrent('a. run --renderer http on the example campaign finds brand/logo.png beside the original campaign file', async () => {
    // The example campaign (no pollSeconds: a loopback endpoint is polled every second).
    const campaignDir = join(root, 'campaign-a');
    await mkdir(join(campaignDir, 'brand'), { recursive: true });
    await copyFile(join(REPO, 'examples', 'brand', 'logo.png'), join(campaignDir, 'brand', 'logo.png'));
    await copyFile(join(REPO, 'examples', 'campaign.json'), join(campaignDir, 'campaign.json'));
    const server = await startRenderServer({ port: 0 });
    try {
      const out = join(root, 'out-a');
      const result = await runAdline(
        [
          'run',
          catalog,
          '--campaign',
          join(campaignDir, 'campaign.json'),
          '--renderer',
          server.url,
          '--channels',
          'tiktok',
          '--channels-file',
          tiny,
          '--out',
          out,
          '--state',
          join(root, 'state-a'),
        ],
        { cwd: root },
      );
      expect(result.stderr).not.toMatch(/neither a file beside the campaign/);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/published 1 /);
      expect(result.stdout).toMatch(/endpoint http: \d+ shots/);
      expect(await readFile(join(out, 'brand', 'logo.png'))).toEqual(await readFile(join(REPO, 'examples', 'brand', 'logo.png')));
    } finally {
      await server.close();
    }
  });

  it.concurrent('b. an unknown --channels id is refused before anything starts, naming the known ids', async () => {
    const out = join(root, 'out-b');
    const result = await runAdline(['run', catalog, '--channels', 'tiktok,vine', '--out', out, '--state', join(root, 'state-b')], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Unknown channel "vine"\. Known channels: tiktok, reels, .*banner-970x250 \(or "all"\)/);
    // Nothing was uploaded, no tracker was opened.
    await expect(readdir(out)).rejects.toThrow();
    await expect(readdir(join(root, 'state-b'))).rejects.toThrow();
  });

  it.concurrent('b. --channels all is every registered placement in run (before the workflow) and in plan', async () => {
    const registry = channelRegistry(TINY_CHANNELS);
    expect(await resolveChannelIds(['all'], registry)).toEqual([...CHANNELS.map((c) => c.id), ...TINY_CHANNELS.map((c) => c.id)]);
    await expect(resolveChannelIds(['nope'], registry)).rejects.toThrow(UnknownChannelError);
    const plan = await planCatalog({ catalogPath: catalog, campaignPath: join(REPO, 'examples', 'campaign.json'), channels: ['all'] });
    expect(plan.channels).toEqual(CHANNELS.map((c) => c.id));

    // A run with --channels all gets past Prepare: the catalog's only row is invalid, so it ends as rejected (2), not as "Unknown channel "all"".
    const bad = join(root, 'input', 'bad.json');
    await writeFile(bad, JSON.stringify([{ sku: 'NO-PRICE', title: 'No price', images: ['images/lamp.jpg'] }]));
    const result = await runAdline(['run', bad, '--channels', 'all', '--out', join(root, 'out-b2'), '--state', join(root, 'state-b2')], { cwd: root });
    expect(result.stderr).not.toMatch(/Unknown channel/);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toMatch(/rejected row 1 \(NO-PRICE\)/);
  });

  it.concurrent("f. serve --channels-file registers the file's channels for the runs it starts", async () => {
    const campaign = join(root, 'campaign-f.json');
    await writeFile(campaign, JSON.stringify({ ...CAMPAIGN_JSON, id: 'serve-f', channels: ['tiny-tiktok'] }));
    const photos = await startImageServer({ '/lamp.jpg': await readFile(join(REPO, 'examples', 'images', 'lamp.jpg')) });
    const serve = startBackground(
      process.execPath,
      [
        join(REPO, 'bin', 'adline.js'),
        'serve',
        '--port',
        '0',
        '--local-images',
        '--campaign',
        campaign,
        '--channels-file',
        tiny,
        '--out',
        join(root, 'out-f'),
        '--state',
        join(root, 'state-f'),
      ],
      { cwd: root },
    );
    try {
      const [, url] = await serve.waitFor(/serving on (http:\/\/127\.0\.0\.1:\d+)/);
      const body = JSON.stringify([{ sku: 'LAMP-F', title: 'Amber Desk Lamp', price: { amount: 49.5, currency: 'USD' }, images: [`${photos.base}/lamp.jpg`] }]);
      // The session token serve printed, as a script on this machine reads it.
      const token = await readFile(join(root, 'state-f', 'serve-token'), 'utf8');
      const upload = await fetch(`${url}/uploads?name=lamp.json`, { method: 'POST', body, headers: { 'x-adline-token': token } });
      expect(upload.status).toBe(202);
      await serve.waitFor(/run \S+ (finished|failed)/, 60_000);
      expect(serve.output()).not.toMatch(/Unknown channel/);
      const ads = AdRecord.array().parse(await (await fetch(`${url}/ads`)).json());
      expect(ads.map((ad) => [ad.channel, ad.status])).toEqual([['tiny-tiktok', 'published']]);
    } finally {
      expect(await serve.stop()).toBe(0);
      await photos.close();
    }
  });

  it.concurrent('f. serve refuses a campaign whose channels the registry (with the channels file) does not know', async () => {
    const campaign = join(root, 'campaign-f2.json');
    await writeFile(campaign, JSON.stringify({ ...CAMPAIGN_JSON, id: 'serve-f2', channels: ['tiny-reels'] }));
    const result = await runAdline(
      ['serve', '--port', '0', '--campaign', campaign, '--channels-file', tiny, '--out', join(root, 'out-f2'), '--state', join(root, 'state-f2')],
      { cwd: root, timeoutMs: 90_000 },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Unknown channel "tiny-reels"\. Known channels: .*tiny-tiktok, tiny-feed-4x5/);
  });

  describe('g. a channel id the host does not know is an UnknownChannelError in plan, assemble and validate', () => {
    let deps: Deps;
    const tinyTikTok = TINY_CHANNELS[0];
    beforeAll(async () => {
      // A host whose registry lacks tiny-tiktok (say, started without the channels file a run was planned with).
      deps = {
        store: new FsAssetStore(join(root, 'out-g')),
        tracker: {} as Deps['tracker'],
        channels: channelRegistry(),
        templates: await loadTemplateDir(join(REPO, 'templates')),
        workDir: join(root, 'work-g'),
        now: () => new Date(),
        renderClients: () => {
          throw new Error('this test renders nothing');
        },
        images: { fetch: () => Promise.reject(new Error('this test fetches nothing')) },
        cutout: null,
        media: MEDIA_ENGINE,
      };
    });
    const known = /Unknown channel "tiny-tiktok"\. Known channels: tiktok, .*banner-970x250/;

    it('plan', async () => {
      await saveDocument(deps.store, 'campaigns/c.json', CAMPAIGN);
      await saveDocument(deps.store, 'products/p.json', product({ images: ['images/a.jpg'] }));
      const planning = planProduct(deps, {
        runId: 'r',
        campaignKey: 'campaigns/c.json',
        sku: 'SKU-1',
        productKey: 'products/p.json',
        productHash: 'p1',
        variants: [{ templateId: 'product-hero', channel: 'tiny-tiktok', inputHash: 'h' }],
      });
      await expect(planning).rejects.toThrow(UnknownChannelError);
      await expect(planning).rejects.toThrow(known);
    });

    it('assemble', async () => {
      const { storyboard } = planStoryboard({
        product: product({ images: ['images/a.jpg'] }),
        campaign: CAMPAIGN,
        template: deps.templates.get('product-hero')!,
        channel: tinyTikTok,
      });
      await saveDocument(deps.store, 'storyboards/s.json', storyboard);
      const assembling = assembleVariant(deps, {
        runId: 'r',
        sku: 'SKU-1',
        variant: { templateId: 'product-hero', channel: 'tiny-tiktok', inputHash: 'h', storyboardKey: 'storyboards/s.json', storyboardHash: storyboard.hash },
      });
      await expect(assembling).rejects.toThrow(UnknownChannelError);
      await expect(assembling).rejects.toThrow(known);
    });

    it('validate', async () => {
      const validating = validateVariant(deps, {
        templateId: 'product-hero',
        channel: 'tiny-tiktok',
        inputHash: 'h',
        storyboardKey: 's',
        storyboardHash: 's',
        variantHash: 'v',
        stagedVideo: 'staging/v/video.mp4',
        stagedPoster: 'staging/v/poster.jpg',
        duration: 3,
        encodeSeconds: 1,
      });
      await expect(validating).rejects.toThrow(UnknownChannelError);
      await expect(validating).rejects.toThrow(known);
    });
  });
});

const CAMPAIGN_JSON: Campaign = Campaign.parse({
  schemaVersion: 1,
  id: 'x',
  name: 'Test',
  brand: { name: 'Test Brand', colors: { primary: '#203040', secondary: '#6080a0', text: '#101010', accent: '#ffcc33' } },
  templates: ['product-hero'],
  channels: ['tiny-tiktok'],
  locale: 'en-US',
  cta: 'Buy now',
});
