import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputSafeArea } from '#domain/planning/creative-qc';
import { checkCreative, flatBlockShare, sampleFrames } from '#media/creative-qc';
import { analyzePhoto } from '#media/photo-analysis';
import { catalogPhotos, PHOTO_KINDS } from '../support/catalog-photos.ts';
import type { CatalogPhoto, PhotoKind } from '../support/catalog-photos.ts';
import { CAMPAIGN, TEMPLATES, product } from '../support/planner-fixtures.ts';
import { renderAd } from '../support/render-ad.ts';
import { tinyChannel } from '../support/tiny-channels.ts';
import { tempDir } from './media-fixtures.ts';

/*
 * Done-when 1 of issue 13: ads from each class of catalog photo. In every product shot of a 9:16 and a
 * 4:5 ad, flat 16×16 blocks cover at most 35 % of sampled frames for busy photos; an isolated product's
 * box is at least 40 % of the safe area's width; detail shots show product pixels.
 */

let dir: string;
let cleanup: () => Promise<void>;
let photos: Map<PhotoKind, CatalogPhoto>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('photo-ads'));
  photos = await catalogPhotos();
});
afterAll(() => cleanup());

const CHANNELS = [tinyChannel('tiktok', 180, 320, 6), tinyChannel('feed-4x5', 160, 200, 6)];
const TEMPLATE = TEMPLATES.find((t) => t.id === 'product-hero')!;

/** Pixels of the mug's red body (saturated red; the wood, pot and books are not). */
function redShare(rgb: Uint8Array): number {
  let red = 0;
  for (let i = 0; i < rgb.length; i += 3) if (rgb[i] > 110 && rgb[i] > 2.2 * rgb[i + 1] && rgb[i] > 2.2 * rgb[i + 2]) red++;
  return red / (rgb.length / 3);
}

describe('ads from real-looking catalog photos', () => {
  for (const kind of PHOTO_KINDS) {
    it(`${kind} photo: class detected; product shots full, large, and detail shots on the product`, async () => {
      const photo = photos.get(kind)!;
      const analysis = await analyzePhoto(photo.bytes, kind);
      expect(analysis.photoClass).toBe(kind);
      const key = `images/${kind}.jpg`;
      const p = product({ sku: `MUG-${kind}`, title: 'Harbor Mug', images: [key], price: { amount: 14, currency: 'USD' } });
      for (const channel of CHANNELS) {
        const started = performance.now();
        const ad = await renderAd({
          product: p,
          campaign: CAMPAIGN,
          template: TEMPLATE,
          channel,
          photos: new Map([[key, photo.bytes]]),
          analyses: new Map([[key, analysis]]),
          dir,
          name: `${kind}-${channel.id}`,
        });
        const report = await checkCreative({ videoPath: ad.path, storyboard: ad.storyboard, channel, pictures: ad.pictures });
        const safe = outputSafeArea(channel);
        const fps = channel.fps;
        for (const shot of ad.storyboard.shots) {
          const facts = report.shots.find((s) => s.index === shot.index)!;
          const frames = await sampleFrames(
            ad.path,
            [0.2, 0.5, 0.8].map((q) => (shot.start + shot.fadeIn + (shot.duration - shot.fadeIn) * q) * fps),
            channel.width,
            channel.height,
          );
          expect(frames.length).toBe(3);
          const flat = frames.reduce((s, f) => s + flatBlockShare(f, channel.width, channel.height), 0) / frames.length;
          const red = Math.min(...frames.map(redShare));
          console.log(
            `${kind} ${channel.id} shot ${shot.index} ${shot.role}: layout ${facts.layout}, flat ${(flat * 100).toFixed(1)} %, ` +
              `box/safe width ${facts.productWidthShare}, red ${(red * 100).toFixed(1)} %`,
          );
          if (kind === 'busy') expect(flat, `${kind} ${channel.id} shot ${shot.index}`).toBeLessThanOrEqual(0.35);
          else if (shot.role !== 'detail') expect(facts.productBox!.w / safe.w, `${kind} ${channel.id} shot ${shot.index}`).toBeGreaterThanOrEqual(0.4);
          // Every sampled frame of every shot shows the product (the detail shot included).
          expect(red, `${kind} ${channel.id} shot ${shot.index} (${shot.role})`).toBeGreaterThan(shot.role === 'detail' ? 0.05 : 0.02);
        }
        console.log(`${kind} ${channel.id}: ad in ${Math.round(performance.now() - started)} ms; creative QC ${report.ok ? 'ok' : report.failures.join('; ')}`);
      }
    }, 60_000);
  }
});
