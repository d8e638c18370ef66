import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFfmpeg } from '#media/ffmpeg';
import { renderPlate } from '#media/procedural-plate';
import { checkShot, contrastRatio, relativeLuminance } from '#media/quality-check';
import { renderTextImage } from '#media/text-image';
import { productPhoto, renderJob, tempDir } from './media-fixtures.ts';

const W = 180;
const H = 320;
const SECONDS = 2;
const expected = { width: W, height: H, duration: SECONDS };
const box = { x: 20, y: 30, w: 140, h: 40 };
let dir: string;
let cleanup: () => Promise<void>;
let photo: Buffer;
let otherPhoto: Buffer;
const clip = (name: string) => join(dir, `${name}.mp4`);

const ENCODE = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-r', '30', '-t', String(SECONDS)];
const PUSH_IN = `zoompan=z='1+0.15*on/60':x='(iw-iw/zoom)/2':y='(ih-ih/zoom)/2':d=60:s=${W}x${H}:fps=30`;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('qc'));
  photo = await productPhoto(400, '#d22020');
  // A different product: a blue-green square, not the red disc.
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
  const plate = join(dir, 'plate.png');
  await renderPlate({ job: renderJob({ width: W, height: H }), image: photo, outPath: plate });
  const white = join(dir, 'white.png');
  await sharp({ create: { width: W, height: H, channels: 3, background: '#f4f4f4' } })
    .png()
    .toBuffer()
    .then((b) => writeFile(white, b));
  const good = join(dir, 'good-text.png');
  await writeFile(good, await renderTextImage({ text: 'Shop now', fontPx: 22, color: '#ffffff', background: '#000000d0', width: box.w, height: box.h }));
  const faint = join(dir, 'faint-text.png');
  await writeFile(faint, await renderTextImage({ text: 'Shop now', fontPx: 22, color: '#c8c8c8', width: box.w, height: box.h }));
  const still = ['-f', 'image2', '-pattern_type', 'none', '-loop', '1', '-framerate', '30', '-i'];
  await Promise.all([
    runFfmpeg([...still, plate, '-vf', PUSH_IN, ...ENCODE, clip('good')]),
    runFfmpeg(['-f', 'lavfi', '-i', `color=c=0x808890:s=${W}x${H}:r=30:d=${SECONDS}`, ...ENCODE, clip('blank')]),
    runFfmpeg([...still, plate, '-vf', `${PUSH_IN},drawbox=x=0:y=0:w=iw:h=ih:color=black:t=9999:enable='between(n,20,27)'`, ...ENCODE, clip('black')]),
    runFfmpeg([...still, plate, ...ENCODE, clip('frozen')]),
    runFfmpeg([...still, plate, '-vf', `${PUSH_IN},eq=brightness='0.12*mod(n,2)':eval=frame`, ...ENCODE, clip('flicker')]),
    runFfmpeg([...still, plate, ...still, good, '-filter_complex', `[0]${PUSH_IN}[b];[b][1]overlay=${box.x}:${box.y}`, ...ENCODE, clip('text-good')]),
    runFfmpeg([...still, white, ...still, faint, '-filter_complex', `[0]${PUSH_IN}[b];[b][1]overlay=${box.x}:${box.y}`, ...ENCODE, clip('text-faint')]),
  ]);
});
afterAll(() => cleanup());

describe('checkShot', () => {
  it('passes a good moving product shot with the right product and legible text', async () => {
    const report = await checkShot({ clipPath: clip('text-good'), expected, reference: photo, textBoxes: [{ box, color: '#ffffff' }] });
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.metrics).toMatchObject({ width: W, height: H, blank: 0, black: 0, flash: 0 });
    expect(report.metrics.fidelity).toBeGreaterThan(0.6);
    expect(report.metrics.minContrast).toBeGreaterThanOrEqual(4.5);
    expect(report.metrics.frozen).toBeLessThan(0.6);
  });

  it('passes the plain good clip too', async () => {
    const report = await checkShot({ clipPath: clip('good'), expected, reference: photo });
    expect(report.failures).toEqual([]);
  });

  it('catches a blank clip', async () => {
    const report = await checkShot({ clipPath: clip('blank'), expected });
    expect(report.ok).toBe(false);
    expect(report.metrics.blank).toBe(1);
    expect(report.failures.join()).toMatch(/blank/);
  });

  it('catches black frames in an otherwise good clip', async () => {
    const report = await checkShot({ clipPath: clip('black'), expected, reference: photo });
    expect(report.metrics.black).toBeGreaterThan(0.1);
    expect(report.failures.join()).toMatch(/black/);
    expect(report.failures.join()).not.toMatch(/fidelity|frozen/);
  });

  it('catches a frozen clip unless the shot may hold still', async () => {
    const report = await checkShot({ clipPath: clip('frozen'), expected });
    expect(report.metrics.frozen).toBe(1);
    expect(report.failures.join()).toMatch(/frozen/);
    expect((await checkShot({ clipPath: clip('frozen'), expected, expectMotion: false })).ok).toBe(true);
  });

  it('catches flicker', async () => {
    const report = await checkShot({ clipPath: clip('flicker'), expected });
    expect(report.metrics.flicker).toBeGreaterThan(0.5);
    expect(report.failures.join()).toMatch(/flicker/);
  });

  it('catches a swapped product image', async () => {
    const report = await checkShot({ clipPath: clip('good'), expected, reference: otherPhoto });
    expect(report.metrics.fidelity).toBeLessThan(0.55);
    expect(report.failures.join()).toMatch(/fidelity/);
  });

  it('catches low-contrast text', async () => {
    const report = await checkShot({ clipPath: clip('text-faint'), expected, textBoxes: [{ box, color: '#c8c8c8' }] });
    expect(report.metrics.minContrast).toBeLessThan(2);
    expect(report.failures.join()).toMatch(/contrast/);
  });

  it('catches a wrong size and duration', async () => {
    const report = await checkShot({ clipPath: clip('good'), expected: { width: 360, height: 640, duration: 5 } });
    expect(report.failures.join()).toMatch(/size: 180×320, expected 360×640/);
    expect(report.failures.join()).toMatch(/duration/);
  });

  it('computes WCAG contrast like the spec (black on white is 21:1)', () => {
    expect(contrastRatio(relativeLuminance(0, 0, 0), relativeLuminance(255, 255, 255))).toBeCloseTo(21, 5);
    expect(contrastRatio(relativeLuminance(118, 118, 118), relativeLuminance(255, 255, 255))).toBeCloseTo(4.54, 1);
  });
});
