import { readFile } from 'node:fs/promises';
import { MEDIA_ENGINE } from '#media/media-engine';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsAssetStore } from '#adapters/local/fs-asset-store';
import { channelRegistry } from '#domain/planning/channels';
import { planStoryboard } from '#domain/planning/planner';
import type { Deps } from '#ports/deps';
import type { Tracker } from '#ports/tracker';
import { assembleVariant } from '#usecases/assemble-variant';
import { saveDocument } from '#usecases/load-documents';
import { validateVariant } from '#usecases/validate-variant';
import { CAMPAIGN, TEMPLATES, product } from '../support/planner-fixtures.ts';
import { tempDir } from './media-fixtures.ts';

let dir: string;
let cleanup: () => Promise<void>;
let deps: Deps;
// Banners need no render: any tracker call would be a bug, so every method throws.
const noTracker = new Proxy(
  {},
  {
    get: (_, name) => () => {
      throw new Error(`banner assembly must not call tracker.${String(name)}`);
    },
  },
) as Tracker;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('banner-variant'));
  const store = new FsAssetStore(join(dir, 'out'));
  deps = {
    store,
    tracker: noTracker,
    channels: channelRegistry(),
    templates: new Map(TEMPLATES.map((t) => [t.id, t])),
    workDir: join(dir, 'work'),
    now: () => new Date(0),
    renderClients: () => {
      throw new Error('banners render nothing');
    },
    images: { fetch: () => Promise.reject(new Error('banners fetch nothing')) },
    cutout: null,
    media: MEDIA_ENGINE,
  };
  await store.putBytes('images/a.jpg', await readFile('examples/images/mug-front.jpg'));
  await saveDocument(store, 'campaigns/c.json', CAMPAIGN);
});
afterAll(() => cleanup());

describe('assembleVariant and validateVariant for image channels', () => {
  for (const id of ['banner-300x250', 'banner-728x90']) {
    it(`${id}: stages the banner under stagedVideo/stagedPoster and validates it`, async () => {
      const channel = deps.channels.get(id)!;
      const { storyboard } = planStoryboard({
        product: product({ images: ['images/a.jpg'] }),
        campaign: CAMPAIGN,
        template: TEMPLATES.find((t) => t.id === 'product-hero')!,
        channel,
      });
      const storyboardKey = `storyboards/${storyboard.hash}.json`;
      await saveDocument(deps.store, storyboardKey, storyboard);
      const variant = { templateId: 'product-hero', channel: id, inputHash: 'i', storyboardKey, storyboardHash: storyboard.hash };
      const assembled = await assembleVariant(deps, { runId: 'r', sku: 'SKU-1', campaignKey: 'campaigns/c.json', variant });
      expect(assembled.stagedVideo).toMatch(/^staging\/[0-9a-f]+\/[\w.-]+\/banner\.(jpg|png)$/);
      expect(assembled.stagedPoster).toBe(assembled.stagedVideo);
      const meta = await sharp(await deps.store.getBytes(assembled.stagedVideo)).metadata();
      expect(meta).toMatchObject({ width: channel.width, height: channel.height });
      const validated = await validateVariant(deps, assembled);
      expect(validated.bytes).toBeLessThanOrEqual(channel.maxBytes);
    });
  }

  it('rejects a banner that breaks its spec', async () => {
    await deps.store.putBytes(
      'staging/x/banner.png',
      await sharp({ create: { width: 300, height: 251, channels: 3, background: '#fff' } })
        .png()
        .toBuffer(),
      'image/png',
    );
    const bad = {
      templateId: 'product-hero',
      channel: 'banner-300x250',
      inputHash: 'i',
      storyboardKey: 's',
      storyboardHash: 'h',
      variantHash: 'x',
      stagedVideo: 'staging/x/banner.png',
      stagedPoster: 'staging/x/banner.png',
      duration: 0,
      encodeSeconds: 0,
    };
    await expect(validateVariant(deps, bad)).rejects.toMatchObject({ code: 'OUTPUT_INVALID', message: expect.stringMatching(/300×251/) });
  });
});
