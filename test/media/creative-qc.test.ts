import { join } from 'node:path';
import { MEDIA_ENGINE } from '#media/media-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLayout, CREATIVE_THRESHOLDS } from '#domain/planning/creative-qc';
import type { Storyboard } from '#domain/model/storyboard';
import { checkCreative } from '#media/creative-qc';
import { runFfmpeg } from '#media/ffmpeg';
import { assembleVideo } from '#media/assembly/assembler';
import type { AssembleShot } from '#media/assembly/assembler';
import { FsAssetStore } from '#adapters/local/fs-asset-store';
import { RenderResult } from '#domain/model/render-job';
import type { AssetStore } from '#ports/asset-store';
import { CreativeQcError, encodeWithCreativeQc } from '#usecases/creative-check';
import { catalogPhotos } from '../support/catalog-photos.ts';
import type { CatalogPhoto, PhotoKind } from '../support/catalog-photos.ts';
import { CAMPAIGN, TEMPLATES, product } from '../support/planner-fixtures.ts';
import { renderAd } from '../support/render-ad.ts';
import type { RenderedAd } from '../support/render-ad.ts';
import { tinyChannel } from '../support/tiny-channels.ts';
import { tempDir } from './media-fixtures.ts';

/* Done-when 3 of issue 13: the creative QC catches planted faults and passes good layouts. */

let dir: string;
let cleanup: () => Promise<void>;
let photos: Map<PhotoKind, CatalogPhoto>;
const channel = tinyChannel('tiktok', 180, 320, 4);
const template = TEMPLATES.find((t) => t.id === 'product-hero')!;
const p = product({ sku: 'MUG-QC', title: 'Harbor Mug', images: ['images/mug.jpg'], price: { amount: 14, currency: 'USD' } });

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('creative-qc'));
  photos = await catalogPhotos();
});
afterAll(() => cleanup());

const ad = (kind: PhotoKind, name: string, edit?: (s: Storyboard) => Storyboard): Promise<RenderedAd> =>
  renderAd({ product: p, campaign: CAMPAIGN, template, channel, photos: new Map([['images/mug.jpg', photos.get(kind)!.bytes]]), dir, name, edit });

const moveSlot =
  (slot: string, to: (box: Storyboard['overlays'][number]['box']) => Storyboard['overlays'][number]['box']) =>
  (s: Storyboard): Storyboard => ({ ...s, overlays: s.overlays.map((o) => (o.slot === slot ? { ...o, box: to(o.box) } : o)) });

describe('creative QC', () => {
  it('passes good layouts of every photo class', async () => {
    for (const kind of ['alpha', 'plain', 'sweep', 'busy'] as const) {
      const good = await ad(kind, `good-${kind}`);
      const report = await checkCreative({ videoPath: good.path, storyboard: good.storyboard, channel, pictures: good.pictures });
      expect(report.failures, kind).toEqual([]);
      expect(report.ok).toBe(true);
      expect(Math.min(...report.texts.map((t) => t.contrast!))).toBeGreaterThanOrEqual(CREATIVE_THRESHOLDS.minContrast);
    }
  }, 60_000);

  it('catches a text box outside the safe zone on the output', async () => {
    // The headline pushed into TikTok's right-hand button rail.
    const bad = await ad(
      'plain',
      'outside',
      moveSlot('headline', (b) => ({ ...b, x: channel.width - b.w })),
    );
    const report = await checkCreative({ videoPath: bad.path, storyboard: bad.storyboard, channel, pictures: bad.pictures });
    expect(report.ok).toBe(false);
    expect(report.failures.join('\n')).toMatch(/headline text box .* outside the tiny-tiktok safe zone/);
  });

  it('catches text over the product', async () => {
    const good = await ad('plain', 'over-ref');
    const product = good.pictures[0].frame!.productBox!;
    const bad = await ad(
      'plain',
      'over',
      moveSlot('headline', (b) => ({ ...b, y: product.y + Math.round(product.h / 3) })),
    );
    const report = await checkCreative({ videoPath: bad.path, storyboard: bad.storyboard, channel, pictures: bad.pictures });
    expect(report.failures.join('\n')).toMatch(/headline text covers \d+ % of the product/);
  });

  it('catches a tiny product', async () => {
    const good = await ad('plain', 'tiny');
    // A plate whose product came out a sliver (as a bad cut-out would leave it).
    const pictures = good.pictures.map((pic) => ({ ...pic, frame: pic.frame && { ...pic.frame, productBox: { x: 80, y: 150, w: 14, h: 16 } } }));
    const report = checkLayout(good.storyboard, channel, pictures);
    expect(report.failures.join('\n')).toMatch(/the product fills \d+ % of the safe area/);
    expect(report.failures.join('\n')).toMatch(/the product spans \d+ % of the safe area's width or height/);
  });

  it('catches low contrast on the output', async () => {
    const good = await ad('plain', 'faint-src');
    // The encoded price and CTA washed out by a light haze over the bottom band (as a bad plate or clip would).
    const faint = join(dir, 'faint.mp4');
    const cta = good.storyboard.overlays.find((o) => o.slot === 'cta')!;
    await runFfmpeg([
      '-i',
      good.path,
      '-vf',
      `drawbox=x=0:y=${cta.box.y - 4}:w=iw:h=${cta.box.h + 8}:color=0xe8e8e8@0.92:t=fill`,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'copy',
      faint,
    ]);
    const report = await checkCreative({ videoPath: faint, storyboard: good.storyboard, channel, pictures: good.pictures });
    expect(report.failures.join('\n')).toMatch(/cta text has a contrast of [\d.]+:1 on the output/);
    const before = await checkCreative({ videoPath: good.path, storyboard: good.storyboard, channel, pictures: good.pictures });
    expect(before.texts.find((t) => t.slot === 'cta')!.contrast).toBeGreaterThan(report.texts.find((t) => t.slot === 'cta')!.contrast!);
  });

  it('catches text under the channel minimum size', () => {
    const sb = {
      schemaVersion: 1,
      kind: 'video',
      hash: 'h',
      plannerVersion: 'p',
      sku: 's',
      productHash: 'p',
      campaignId: 'c',
      templateId: 't',
      templateVersion: 1,
      channel: channel.id,
      channelVersion: 1,
      width: 180,
      height: 320,
      fps: 30,
      duration: 2,
      seed: 1,
      shots: [{ index: 0, role: 'hero', start: 0, duration: 2, fadeIn: 0, camera: 'static', renderHash: 'r', seed: 1 }],
      overlays: [{ slot: 'headline', text: 'Hi', box: { x: 40, y: 30, w: 60, h: 12 }, fontPx: 5, color: '#ffffff', start: 0, end: 2 }],
      audio: { kind: 'silent' },
    } as Storyboard;
    expect(checkLayout(sb, channel, []).failures.join('\n')).toMatch(/headline text is 5 px, under the tiny-tiktok minimum/);
  });
});

describe('creative QC gate: re-layout, then the safe layout, never a failing ad', () => {
  /** The pipeline's encode step for a rendered ad: the plates stay, the layout may change. */
  const gate = async (good: RenderedAd, storyboard: Storyboard, pictures = good.pictures) => {
    const store: AssetStore = new FsAssetStore(join(dir, 'gate-store'));
    const renders = new Map(storyboard.shots.map((s) => [s.renderHash, pictures.find((p) => p.index === s.index)?.frame]));
    const tracker = {
      getRender: async (hash: string) =>
        RenderResult.parse({
          schemaVersion: 1,
          renderHash: hash,
          state: 'SUCCEEDED',
          renderer: 'procedural',
          attempts: 0,
          renderSeconds: 0,
          output: { kind: 'plate', key: 'k', camera: 'static', ...(renders.get(hash) ? { frame: renders.get(hash) } : {}) },
        }),
    };
    const shots: AssembleShot[] = storyboard.shots.map((s) => ({
      index: s.index,
      source: { kind: 'plate', path: good.plates.get(s.index)!, camera: s.camera },
    }));
    const videoPath = join(dir, `gate-${storyboard.hash}-${Math.random().toString(36).slice(2)}.mp4`);
    const encoded: Storyboard[] = [];
    const result = await encodeWithCreativeQc(
      { store, tracker, media: MEDIA_ENGINE },
      {
        variantHash: 'v1',
        storyboard,
        channel,
        videoPath,
        label: 'test ad',
        encode: async (laidOut) => {
          encoded.push(laidOut);
          await assembleVideo({ storyboard: laidOut, channel, shots, outPath: videoPath, posterPath: `${videoPath}.jpg`, workDir: dir });
        },
      },
    );
    return { result, encoded, store };
  };

  it('lays a headline that covers the product out again and passes', async () => {
    const good = await ad('plain', 'gate-over-ref');
    const product = good.pictures[0].frame!.productBox!;
    const bad = moveSlot('headline', (b) => ({ ...b, y: product.y + Math.round(product.h / 3) }))(good.storyboard);
    const { result, encoded, store } = await gate(good, bad);
    expect(encoded).toHaveLength(2);
    expect(result.creative).toMatchObject({ ok: true, relayouts: 1 });
    const headline = encoded[1].overlays.find((o) => o.slot === 'headline')!;
    expect(headline.box.y + headline.box.h).toBeLessThanOrEqual(product.y);
    const stored = JSON.parse((await store.getBytes('creative/v1.json')).toString('utf8'));
    expect(stored.earlierFailures[0]).toMatch(/headline text covers/);
  });

  it('refuses an ad no layout can save (a tiny product), naming the failures', async () => {
    const good = await ad('plain', 'gate-tiny');
    const pictures = good.pictures.map((pic) => ({ ...pic, frame: pic.frame && { ...pic.frame, productBox: { x: 80, y: 150, w: 14, h: 16 } } }));
    const error = await gate(good, good.storyboard, pictures).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CreativeQcError);
    expect(error).toMatchObject({ name: 'CreativeQcError', code: 'CREATIVE_QC' });
    expect((error as Error).message).toMatch(/the product fills \d+ % of the safe area.*after 1 re-layout/);
  });
});
