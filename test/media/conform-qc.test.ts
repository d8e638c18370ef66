import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProfile } from '#domain/render/models/index';
import { runFfmpeg } from '#media/ffmpeg';
import { prepareInputImage } from '#media/input-image';
import { checkShot, conformProblems } from '#media/quality-check';
import { productPhoto, tempDir } from './media-fixtures.ts';

/**
 * The render gate on clips in the models' own shapes (Kling 24 fps 5 s following the image aspect, Wan
 * 81 frames at 16 fps, Nova Reel 1280×720 24 fps 6 s — at a quarter of the pixels), judged against a
 * 180×320 (or 320×180) shot of 3 s: good clips pass, each planted defect is caught by its own check.
 */
const SHOT = { width: 180, height: 320, shotSeconds: 3 };
let dir: string;
let cleanup: () => Promise<void>;
let photo: Buffer;
let otherPhoto: Buffer;
const path = (name: string) => join(dir, `${name}.mp4`);

/** A model-shaped clip: the prepared input image with a slow pan (what an image-to-video model returns), plus `vf`. */
async function modelClip(name: string, o: { image: string; width: number; height: number; fps: number; frames: number; vf?: string; still?: boolean }) {
  const pan = o.still
    ? `scale=${o.width}:${o.height}`
    : `scale=${Math.round((o.width * 1.12) / 2) * 2}:${Math.round((o.height * 1.12) / 2) * 2}` +
      `,crop=${o.width}:${o.height}:x='(iw-ow)*n/${o.frames}':y='(ih-oh)/2'`;
  await runFfmpeg([
    '-f',
    'image2',
    '-pattern_type',
    'none',
    '-loop',
    '1',
    '-framerate',
    String(o.fps),
    '-i',
    o.image,
    '-vf',
    [pan, 'setsar=1', o.vf, 'format=yuv420p'].filter(Boolean).join(','),
    '-frames:v',
    String(o.frames),
    '-r',
    String(o.fps),
    '-an',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    path(name),
  ]);
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('conform-qc'));
  photo = await productPhoto(400, '#d22020');
  otherPhoto = await sharp({ create: { width: 400, height: 400, channels: 3, background: '#ffffff' } })
    .composite([
      {
        input: await sharp({ create: { width: 220, height: 300, channels: 3, background: '#10a0b0' } })
          .png()
          .toBuffer(),
        left: 90,
        top: 50,
      },
    ])
    .jpeg()
    .toBuffer();
  // The input images as the planner prepares them per profile (the product in the centre square).
  const kling = findProfile('fal-kling-v2.1-standard')!;
  const nova = findProfile('bedrock-nova-reel')!;
  const portrait = await prepareInputImage(photo, kling.image, { width: 180, height: 320, background: '#eeeeee' });
  const wrong = await prepareInputImage(otherPhoto, kling.image, { width: 180, height: 320, background: '#eeeeee' });
  const landscape = await prepareInputImage(photo, nova.image, { width: 320, height: 180, background: '#eeeeee' });
  expect([landscape.width, landscape.height]).toEqual([1280, 720]);
  const img = { portrait: join(dir, 'portrait.jpg'), wrong: join(dir, 'wrong.jpg'), landscape: join(dir, 'landscape.png') };
  await writeFile(img.portrait, portrait.bytes);
  await writeFile(img.wrong, wrong.bytes);
  await writeFile(img.landscape, landscape.bytes);
  const kl = { image: img.portrait, width: 180, height: 320, fps: 24, frames: 120 }; // Kling 720×1280 at 1/4, 5 s at 24 fps
  await Promise.all([
    modelClip('kling-good', kl),
    modelClip('wan-good', { image: img.portrait, width: 120, height: 208, fps: 16, frames: 81 }), // Wan 480×832 at 1/4, 81 frames at 16 fps
    modelClip('nova-good', { image: img.landscape, width: 320, height: 180, fps: 24, frames: 144 }), // Nova 1280×720 at 1/4, 6 s
    modelClip('kling-slow', { ...kl, frames: 60 }), // 2.5 s: covers the 3 s shot slowed 1.2×
    modelClip('blank', { ...kl, vf: 'drawbox=x=0:y=0:w=iw:h=ih:color=0x808890:t=9999' }),
    modelClip('black', { ...kl, vf: `drawbox=x=0:y=0:w=iw:h=ih:color=black:t=9999:enable='between(n,40,55)'` }),
    modelClip('frozen', { ...kl, still: true }),
    modelClip('flicker', { ...kl, vf: `eq=brightness='0.12*mod(n,2)':eval=frame` }),
    modelClip('wrong-product', { ...kl, image: img.wrong }),
    modelClip('too-short', { ...kl, frames: 48 }), // 2 s: even slowed 1.25× it covers 2.5 s of the 3 s shot
    modelClip('wrong-aspect', { image: img.landscape, width: 320, height: 180, fps: 24, frames: 120 }), // 16:9 for a 9:16 shot
    modelClip('low-res', { image: img.portrait, width: 60, height: 106, fps: 24, frames: 120 }), // 3× upscale to fill
  ]);
}, 60_000);

afterAll(async () => cleanup?.());

const judge = (name: string, shot: { width: number; height: number; shotSeconds: number } = SHOT) =>
  checkShot({
    clipPath: path(name),
    expected: { width: shot.width, height: shot.height, duration: shot.shotSeconds },
    reference: photo,
    conform: { shotSeconds: shot.shotSeconds },
  });

describe('the render gate judges the conformed shot', () => {
  it('passes good clips in Kling, Wan and Nova Reel shapes, and a short clip the assembler slows ≤ 1.25×', async () => {
    for (const [name, shot] of [
      ['kling-good', SHOT],
      ['wan-good', SHOT],
      ['nova-good', { width: 320, height: 180, shotSeconds: 3 }],
      ['kling-slow', SHOT],
    ] as const) {
      const report = await judge(name, shot);
      expect({ name, failures: report.failures }).toEqual({ name, failures: [] });
    }
  });

  it.each([
    ['blank', /blank/],
    ['black', /black/],
    ['frozen', /frozen/],
    ['flicker', /flicker/],
    ['wrong-product', /fidelity/],
    ['too-short', /length: .* too short/],
    ['wrong-aspect', /aspect: .*crop bound/],
    ['low-res', /resolution: .*upscal/],
  ])('catches %s', async (name, failure) => {
    const report = await judge(name);
    expect(report.ok).toBe(false);
    expect(report.failures.join('; ')).toMatch(failure);
  });

  it('states the conform limits as figures', () => {
    expect(conformProblems({ width: 720, height: 1280, duration: 5.04 }, { width: 1080, height: 1920, seconds: 5 })).toEqual([]);
    expect(conformProblems({ width: 480, height: 832, duration: 81 / 16 }, { width: 1080, height: 1920, seconds: 6 })).toEqual(
      expect.arrayContaining([expect.stringMatching(/resolution/)]),
    );
    expect(conformProblems({ width: 1280, height: 720, duration: 6 }, { width: 1080, height: 1920, seconds: 5 })).toEqual([
      expect.stringMatching(/aspect/),
      expect.stringMatching(/resolution/),
    ]);
  });
});
