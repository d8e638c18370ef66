import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelSpec } from '#domain/model/channel-spec';
import { CHANNELS } from '#domain/planning/channels';
import { planStoryboard, templateFits } from '#domain/planning/planner';
import type { Product } from '#domain/model/product';
import { assembleVideo } from '#media/assembly/assembler';
import type { AssembleShot } from '#media/assembly/assembler';
import { renderBanner, validateBanner } from '#media/banner';
import { probeMedia } from '#media/ffmpeg';
import { renderPlate } from '#media/procedural-plate';
import { validateVideo } from '#media/validate-output';
import { tinyChannel } from '../support/tiny-channels.ts';
import { CAMPAIGN, TEMPLATES, product } from '../support/planner-fixtures.ts';
import { tempDir } from './media-fixtures.ts';

const IMAGES = ['sneaker-side.jpg', 'sneaker-top.jpg', 'mug-front.jpg'];
let dir: string;
let cleanup: () => Promise<void>;
let photos: Map<string, Buffer>;

/** A product rich enough for every template (images, features, a discount), and one with no image for the typographic one. */
const RICH = product({
  title: 'Trail Runner 3',
  brand: 'Northwind',
  images: IMAGES.map((f) => `images/${f}`),
  features: ['Grippy outsole', 'Breathable mesh', 'Recycled laces'],
  description: 'A light trail shoe.',
  price: { amount: 89, currency: 'USD' },
  compareAtPrice: { amount: 120, currency: 'USD' },
});
const BARE = product({ title: 'Gift card', images: [], features: ['Any amount', 'Never expires'], price: { amount: 25, currency: 'USD' } });

/** A product the template accepts. */
const productFor = (templateId: string, channel?: ChannelSpec): Product => {
  const template = TEMPLATES.find((t) => t.id === templateId)!;
  return templateFits(template, RICH, channel) ? RICH : BARE;
};

/** Renders every shot's plate (with its parallax layers) and assembles the storyboard, as the pipeline does. */
async function renderVideo(templateId: string, channel: ChannelSpec, name: string): Promise<{ path: string; duration: number }> {
  const template = TEMPLATES.find((t) => t.id === templateId)!;
  const p = productFor(templateId, channel);
  expect(templateFits(template, p, channel), `${templateId} fits its test product`).toBe(true);
  const { storyboard, jobs } = planStoryboard({ product: p, campaign: CAMPAIGN, template, channel });
  const plates = new Map<string, { plate: string; bg: string; product: string; layered: boolean }>();
  for (const job of jobs) {
    const base = join(dir, `${name}-${job.renderHash}`);
    const files = { plate: `${base}.png`, bg: `${base}.bg.png`, product: `${base}.product.png` };
    const image = job.imageKey ? photos.get(job.imageKey) : undefined;
    const { layered } = await renderPlate({ job, image, outPath: files.plate, layers: { backgroundPath: files.bg, productPath: files.product } });
    plates.set(job.renderHash, { ...files, layered });
  }
  const shots: AssembleShot[] = storyboard.shots.map((shot) => {
    const plate = plates.get(shot.renderHash)!;
    return shot.camera === 'parallax' && plate.layered
      ? { index: shot.index, source: { kind: 'plate', path: plate.bg, productPath: plate.product, camera: shot.camera } }
      : { index: shot.index, source: { kind: 'plate', path: plate.plate, camera: shot.camera } };
  });
  const path = join(dir, `${name}.mp4`);
  await assembleVideo({ storyboard, channel, shots, outPath: path, posterPath: join(dir, `${name}.jpg`), workDir: dir });
  return { path, duration: storyboard.duration };
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('templates'));
  photos = new Map(await Promise.all(IMAGES.map(async (f) => [`images/${f}`, await readFile(join('examples/images', f))] as const)));
});
afterAll(() => cleanup());

describe('every template renders', () => {
  const small = tinyChannel('tiktok', 180, 320, 3);
  it('has at least the six planned templates', () => {
    expect(TEMPLATES.length).toBeGreaterThanOrEqual(6);
  });
  for (const template of TEMPLATES) {
    it(`${template.id}: a small 9:16 video that ffprobe accepts`, async () => {
      const { path, duration } = await renderVideo(template.id, small, template.id);
      const probe = await probeMedia(path);
      expect(probe.video).toMatchObject({ codec: 'h264', profile: 'High', pixFmt: 'yuv420p', width: 180, height: 320, fps: 30 });
      expect(probe.audio).toMatchObject({ codec: 'aac' });
      expect(Math.abs(probe.durationSeconds - duration)).toBeLessThanOrEqual(0.1);
      expect((await validateVideo(path, small, duration)).problems).toEqual([]);
    });
  }
});

describe('every registry channel gets a valid output', () => {
  const template = TEMPLATES.find((t) => t.id === 'product-hero')!;
  for (const channel of CHANNELS) {
    if (channel.kind === 'video') {
      // The same rules at a sixth of the size and 2 s, so 11 encodes stay fast.
      const even = (n: number) => Math.max(2, Math.round(n / 12) * 2);
      const small = tinyChannel(channel.id, even(channel.width), even(channel.height), 2);
      it(`${channel.id} (as ${small.width}×${small.height})`, async () => {
        const { path, duration } = await renderVideo('product-hero', small, channel.id);
        expect((await validateVideo(path, small, duration)).problems).toEqual([]);
      });
    } else {
      it(`${channel.id} (full size)`, async () => {
        const { storyboard } = planStoryboard({ product: RICH, campaign: CAMPAIGN, template, channel });
        const banner = await renderBanner({ storyboard, channel, image: photos.get(storyboard.still!.imageKey!), outPathBase: join(dir, channel.id) });
        expect((await validateBanner(banner.path, channel)).problems).toEqual([]);
      });
    }
  }
});
