import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleVideo } from '#media/assembly/assembler';
import { planAssembly } from '#media/assembly/filter-graph';
import type { AssembleShot } from '#media/assembly/assembler';
import { probeMedia, runFfmpeg } from '#media/ffmpeg';
import { renderTextLayers } from '#media/text-image';
import { lineBands, motionFor, motionStrip } from '#media/text-motion';
import { validateVideo } from '#media/validate-output';
import { storyboard, tempDir, testChannel } from './media-fixtures.ts';

let dir: string;
let cleanup: () => Promise<void>;
const channel = testChannel();
let red: string;
let blue: string;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('motion'));
  red = join(dir, 'red.png');
  blue = join(dir, 'blue.png');
  await sharp({ create: { width: 180, height: 320, channels: 3, background: '#e01010' } })
    .png()
    .toFile(red);
  await sharp({ create: { width: 180, height: 320, channels: 3, background: '#1010e0' } })
    .png()
    .toFile(blue);
});
afterAll(() => cleanup());

/** Ink (alpha ≥ 128) of rows [from, to) of one tile of a strip. */
function tileInk(strip: NonNullable<ReturnType<typeof motionStrip>>, k: number, from = 0, to = strip.tileH): { count: number; meanY: number; width: number } {
  let count = 0,
    sumY = 0,
    left = Infinity,
    right = -1;
  for (let y = from; y < to; y++) {
    for (let x = 0; x < strip.tileW; x++) {
      if (strip.data[((k * strip.tileH + y) * strip.tileW + x) * 4 + 3] === 0) continue;
      count++;
      sumY += y;
      left = Math.min(left, x);
      right = Math.max(right, x);
    }
  }
  return { count, meanY: count ? sumY / count : NaN, width: right - left + 1 };
}

/** One decoded frame at `t` seconds, as raw RGB. */
async function frameAt(path: string, t: number): Promise<{ data: Buffer; width: number; height: number }> {
  const png = join(dir, `f-${Math.random().toString(36).slice(2)}.png`);
  await runFfmpeg(['-ss', t.toFixed(3), '-i', path, '-frames:v', '1', '-update', '1', png]);
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

describe('text motion strips', () => {
  const text = { fontPx: 28, color: '#ffffff', background: '#000000b3', width: 300, height: 90 };

  it('staggers lines: early on the first line is further in than the second, and the last tile is the text at rest', async () => {
    const layers = await renderTextLayers({ ...text, text: 'Trail Runner\nall terrain' });
    const bands = lineBands(layers, 2);
    expect(bands).toHaveLength(2);
    const strip = motionStrip(layers, 'stagger', 2, 30, 2)!;
    expect(strip.tiles).toBe(Math.round((0.45 + 0.12) * 30));
    expect(strip.tileH).toBeGreaterThan(text.height);
    // How much white text there is from a line's rows down (a rising line sits below its place): the box is black.
    const white = (k: number, band: { from: number; to: number }) => {
      let n = 0;
      for (let y = band.from; y < Math.min(strip.tileH, band.to + 40); y++)
        for (let x = 0; x < strip.tileW; x++) {
          const o = ((k * strip.tileH + y) * strip.tileW + x) * 4;
          n += (strip.data[o] * strip.data[o + 3]) / 255;
        }
      return n;
    };
    const rest = strip.tiles - 1;
    expect(white(2, bands[1])).toBeLessThan(white(rest, bands[1]) * 0.2);
    expect(white(6, bands[0])).toBeGreaterThan(white(6, bands[1]) * 1.5);
    // At rest the tile is the overlay itself: box pixels at full strength, nothing below the box.
    expect(strip.data[((rest * strip.tileH + 5) * strip.tileW + 150) * 4 + 3]).toBe(179);
    expect(tileInk(strip, rest, text.height, strip.tileH).count).toBe(0);
  });

  it('rises from below and pops up from smaller', async () => {
    const layers = await renderTextLayers({ ...text, text: '$89.00' });
    const rise = motionStrip(layers, 'rise', 1, 30, 2)!;
    expect(tileInk(rise, 2).meanY).toBeGreaterThan(tileInk(rise, rise.tiles - 1).meanY + 5);
    const pop = motionStrip(layers, 'pop', 1, 30, 2)!;
    expect(pop.offsetX).toBeLessThan(0);
    expect(tileInk(pop, 1).width).toBeLessThan(tileInk(pop, pop.tiles - 1).width * 0.85);
    expect(tileInk(pop, pop.tiles - 1).width).toBe(text.width);
    expect(motionStrip(layers, 'fade', 1, 30, 2)).toBeUndefined();
    expect([motionFor('headline'), motionFor('price'), motionFor('discount'), motionFor('cta'), motionFor('brand')]).toEqual([
      'stagger',
      'rise',
      'pop',
      'pop',
      'fade',
    ]);
  });
});

describe('animated text and transitions in the one ffmpeg pass', () => {
  it('animates the headline in line by line and drifts it out, in one encode of exact length', async () => {
    const board = storyboard({ channel, duration: 2, cameras: ['static', 'static'], texts: ['Trail Runner\nall terrain'] });
    board.overlays[0] = { ...board.overlays[0], box: { ...board.overlays[0].box, h: 70 }, fontPx: 20, start: 0, end: 1.2 };
    const shots: AssembleShot[] = [
      { index: 0, source: { kind: 'plate', path: blue, camera: 'static' } },
      { index: 1, source: { kind: 'plate', path: blue, camera: 'static' } },
    ];
    const out = join(dir, 'text.mp4');
    await assembleVideo({ storyboard: board, channel, shots, outPath: out, posterPath: join(dir, 'text.jpg'), workDir: dir });
    expect((await validateVideo(out, channel, 2)).problems).toEqual([]);
    expect((await probeMedia(out)).video).toMatchObject({ width: 180, height: 320 });
    // White text pixels in the box's rows: few just after it starts, all at rest, none after it left.
    const box = board.overlays[0].box;
    const whiteIn = async (t: number) => {
      const f = await frameAt(out, t);
      let n = 0;
      for (let y = box.y; y < box.y + box.h + 30; y++)
        for (let x = box.x; x < box.x + box.w; x++) {
          const o = (y * f.width + x) * 3;
          if (f.data[o] > 190 && f.data[o + 1] > 190 && f.data[o + 2] > 190) n++;
        }
      return n;
    };
    const early = await whiteIn(0.07);
    const rest = await whiteIn(0.8);
    expect(rest).toBeGreaterThan(100);
    expect(early).toBeLessThan(rest * 0.5);
    expect(await whiteIn(1.5)).toBe(0);
  });

  it.each(['slide', 'push', 'zoom', 'fade'] as const)('%s: builds the transition from filters this ffmpeg has, and it shows mid-way', async (kind) => {
    const board = storyboard({ channel, duration: 2, cameras: ['static', 'static'], texts: [] });
    board.shots[1] = { ...board.shots[1], ...(kind === 'fade' ? {} : { transition: kind }) };
    const shots: AssembleShot[] = [
      { index: 0, source: { kind: 'plate', path: red, camera: 'static' } },
      { index: 1, source: { kind: 'plate', path: blue, camera: 'static' } },
    ];
    const graph = planAssembly({ storyboard: board, channel, shots, overlayPaths: [], canPadClips: false }).filterGraph;
    expect(graph).not.toMatch(/xfade/);
    if (kind === 'push') expect(graph).toMatch(/hstack=inputs=2,crop=/);
    if (kind === 'slide') expect(graph).toMatch(/overlay=x='180\*\(1-/);
    const out = join(dir, `${kind}.mp4`);
    await assembleVideo({ storyboard: board, channel, shots, outPath: out, posterPath: join(dir, `${kind}.jpg`), workDir: dir });
    expect((await validateVideo(out, channel, 2)).problems).toEqual([]);
    // Mid-transition: a slide or push splits the frame (red left, blue right); a fade or zoom blends everywhere.
    const mid = board.shots[1].start + board.shots[1].fadeIn / 2;
    const f = await frameAt(out, mid);
    const px = (x: number) => {
      const o = (160 * f.width + x) * 3;
      return { r: f.data[o], b: f.data[o + 2] };
    };
    const left = px(10),
      right = px(170);
    if (kind === 'slide' || kind === 'push') {
      expect(left.r).toBeGreaterThan(150);
      expect(left.b).toBeLessThan(80);
      expect(right.b).toBeGreaterThan(150);
      expect(right.r).toBeLessThan(80);
    } else {
      for (const p of [left, right]) {
        expect(p.r).toBeGreaterThan(40);
        expect(p.b).toBeGreaterThan(40);
      }
    }
  });
});
