import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleVideo, MusicError } from '#media/assembly/assembler';
import { planTimeline, tiling } from '#media/assembly/assembly-timeline';
import { planAssembly } from '#media/assembly/filter-graph';
import type { AssembleShot } from '#media/assembly/assembler';
import { probeMedia, runFfmpeg } from '#media/ffmpeg';
import { renderPlate } from '#media/procedural-plate';
import { checkShot } from '#media/quality-check';
import { ensureContrast, WORST_CASE_BACKDROP, worstContrast } from '#media/text-contrast';
import { validateVideo } from '#media/validate-output';
import { productPhoto, renderJob, storyboard, tempDir, testChannel } from './media-fixtures.ts';

let dir: string;
let cleanup: () => Promise<void>;
const channel = testChannel();
let plate: string;
let whitePlate: string;
let productLayer: string;
let bgOnly: string;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('assemble-features'));
  const photo = await productPhoto(400);
  plate = join(dir, 'plate.png');
  await renderPlate({ job: renderJob(), image: photo, outPath: plate });
  bgOnly = join(dir, 'bg.png');
  productLayer = join(dir, 'product.png');
  const result = await renderPlate({
    job: renderJob(),
    image: photo,
    outPath: join(dir, 'composed.png'),
    layers: { backgroundPath: bgOnly, productPath: productLayer },
  });
  expect(result.layered).toBe(true);
  whitePlate = join(dir, 'white.png');
  await renderPlate({ job: renderJob({ background: ['#fafafa', '#f0f0f0'] }), outPath: whitePlate });
});
afterAll(() => cleanup());

/** Integrated loudness (LUFS) as ffmpeg's ebur128 filter measures it. */
async function loudness(path: string): Promise<number> {
  const { stderr } = await runFfmpeg(['-loglevel', 'info', '-nostats', '-i', path, '-vn', '-af', 'ebur128', '-f', 'null', '-']);
  const match = /Integrated loudness:\s+I:\s+(-?[\d.]+) LUFS/.exec(stderr);
  if (!match) throw new Error(`no loudness in: ${stderr.slice(-400)}`);
  return Number(match[1]);
}

describe('assembler features', () => {
  it('animates a parallax shot as two layers: background and product move differently', async () => {
    const board = storyboard({ channel, duration: 2, cameras: ['parallax'], texts: [] });
    const shots: AssembleShot[] = [{ index: 0, source: { kind: 'plate', path: bgOnly, camera: 'parallax', productPath: productLayer } }];
    const plan = planAssembly({ storyboard: board, channel, shots, overlayPaths: [], canPadClips: false });
    expect(plan.inputs.filter((a) => a === productLayer)).toHaveLength(1);
    expect(plan.filterGraph).toMatch(/format=yuva420p,zoompan=/);
    const out = join(dir, 'parallax.mp4');
    await assembleVideo({ storyboard: board, channel, shots, outPath: out, posterPath: join(dir, 'parallax.jpg'), workDir: dir });
    expect((await validateVideo(out, channel, 2)).problems).toEqual([]);
    // The product (red) slides right-to-left across the frame: its centroid moves.
    const centroid = async (t: number) => {
      const png = join(dir, `px-${t}.png`);
      await runFfmpeg(['-ss', String(t), '-i', out, '-frames:v', '1', '-update', '1', png]);
      const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
      let sx = 0,
        n = 0;
      for (let i = 0; i < info.width * info.height; i++) {
        const p = i * info.channels;
        if (data[p] > 150 && data[p + 1] < 80 && data[p + 2] < 80) {
          sx += i % info.width;
          n++;
        }
      }
      return sx / n;
    };
    const [a, b] = [await centroid(0.05), await centroid(1.9)];
    expect(a - b).toBeGreaterThan(channel.width * 0.04);
    expect((await checkShot({ clipPath: out, expected: { width: 180, height: 320, duration: 2 }, reference: await productPhoto(400) })).failures).toEqual([]);
  });

  it('concatenates tiled shots and blends only inside crossfades; falls back to the overlay chain otherwise', () => {
    const board = storyboard({ channel, duration: 3, cameras: ['push-in', 'pan-right', 'static'], fade: 0.5, texts: [] });
    expect(tiling(planTimeline(board), false)).toEqual([
      { head: 0, body: 25, tail: 15 },
      { head: 15, body: 10, tail: 15 },
      { head: 15, body: 25, tail: 0 },
    ]);
    const shots: AssembleShot[] = board.shots.map((s) => ({ index: s.index, source: { kind: 'plate', path: plate, camera: s.camera } }));
    const tiled = planAssembly({ storyboard: board, channel, shots, overlayPaths: [], canPadClips: false }).filterGraph;
    expect(tiled).toContain('concat=n=5:v=1:a=0');
    expect(tiled).not.toContain('[0:v]');
    // A gap between shots cannot tile: every shot is laid over the black base instead.
    const gappy = {
      ...board,
      shots: board.shots.map((s, i) =>
        i === 2 ? { ...s, start: s.start + 0.2, duration: s.duration - 0.2, startFrame: s.startFrame + 6, frames: s.frames - 6 } : s,
      ),
    };
    expect(tiling(planTimeline(gappy), false)).toBeUndefined();
    const chained = planAssembly({ storyboard: gappy, channel, shots, overlayPaths: [], canPadClips: false }).filterGraph;
    expect(chained).not.toContain('concat=');
    expect(chained.match(/overlay=eof_action=pass/g)).toHaveLength(3);
  });

  it('encodes the overlay-chain fallback to the exact length too', async () => {
    const board = storyboard({ channel, duration: 3, cameras: ['push-in', 'pan-right', 'static'], fade: 0.5, texts: [] });
    const gappy = {
      ...board,
      shots: board.shots.map((s, i) =>
        i === 2 ? { ...s, start: s.start + 0.2, duration: s.duration - 0.2, startFrame: s.startFrame + 6, frames: s.frames - 6 } : s,
      ),
    };
    const shots: AssembleShot[] = gappy.shots.map((s) => ({ index: s.index, source: { kind: 'plate', path: plate, camera: s.camera } }));
    const out = join(dir, 'gappy.mp4');
    await assembleVideo({ storyboard: gappy, channel, shots, outPath: out, posterPath: join(dir, 'gappy.jpg'), workDir: dir });
    const report = await validateVideo(out, channel, 3);
    expect(report.problems).toEqual([]);
    expect(report.probe.video?.frames).toBe(90);
  });

  it('crops into the product for a detail shot', () => {
    const board = storyboard({ channel, duration: 3, cameras: ['push-in', 'pan-right', 'static'], texts: [] });
    const detailBoard = { ...board, shots: board.shots.map((s, i) => (i === 1 ? { ...s, role: 'detail' as const } : s)) };
    const shots: AssembleShot[] = detailBoard.shots.map((s) => ({ index: s.index, source: { kind: 'plate', path: plate, camera: s.camera } }));
    const graph = planAssembly({ storyboard: detailBoard, channel, shots, overlayPaths: [], canPadClips: false }).filterGraph;
    // Only the detail shot zooms in 1.6×: its three segments (fade-in head, body, tail under the next fade).
    expect(graph.match(/zoompan=z='1\.6\*/g)).toHaveLength(3);
    expect(graph.match(/zoompan=/g)).toHaveLength(7);
  });

  it('adds a box behind text that would be illegible, so the output measures ≥ 4.5:1', async () => {
    // Light grey text with no box over a near-white plate: about 1.6:1 as planned.
    const base = storyboard({ channel, duration: 2, cameras: ['push-in'], texts: ['Shop now'] });
    const overlay = { ...base.overlays[0], color: '#cccccc', background: undefined, start: 0, end: 2 };
    const board = { ...base, overlays: [overlay] };
    const out = join(dir, 'contrast.mp4');
    await assembleVideo({
      storyboard: board,
      channel,
      shots: [{ index: 0, source: { kind: 'plate', path: whitePlate, camera: 'push-in' } }],
      outPath: out,
      posterPath: join(dir, 'contrast.jpg'),
      workDir: dir,
    });
    const qc = await checkShot({
      clipPath: out,
      expected: { width: 180, height: 320, duration: 2 },
      textBoxes: [{ box: overlay.box, color: overlay.color }],
      expectMotion: false,
    });
    expect(qc.metrics.minContrast).toBeGreaterThanOrEqual(4.5);
  });

  it('ensureContrast keeps a box that works and strengthens one that does not', () => {
    const dark = Uint8Array.from([10, 10, 10, 30, 30, 30]);
    expect(ensureContrast('#ffffff', undefined, dark)).toEqual({ background: undefined, contrast: expect.any(Number) });
    const fixed = ensureContrast('#ffffff', '#00000040', WORST_CASE_BACKDROP);
    expect(fixed.background).toMatch(/^#000000[0-9a-f]{2}$/);
    expect(worstContrast('#ffffff', { r: 0, g: 0, b: 0 }, parseInt(fixed.background!.slice(7), 16) / 255, WORST_CASE_BACKDROP)).toBeGreaterThanOrEqual(4.5);
    // The CTA's brand colours (dark text on a yellow box) are kept when opaque enough.
    expect(ensureContrast('#101418', '#ffd166', WORST_CASE_BACKDROP).background).toBe('#ffd166');
  });

  it('shows the brand logo on the end card and mixes music at about −16 LUFS, faded', async () => {
    const logo = join(dir, 'logo.png');
    await sharp({ create: { width: 300, height: 100, channels: 4, background: { r: 0, g: 0, b: 200, alpha: 1 } } })
      .png()
      .toFile(logo);
    const music = join(dir, 'music.m4a');
    // A quiet (about −35 LUFS) 1.2 s tone: looped to the ad's length, then normalized.
    await runFfmpeg(['-f', 'lavfi', '-i', 'sine=f=330:d=1.2:sample_rate=44100', '-af', 'volume=-32dB', '-c:a', 'aac', music]);
    const board = storyboard({ channel, duration: 3, cameras: ['push-in', 'pull-out'], texts: ['Trail Runner'] });
    const out = join(dir, 'music.mp4');
    const shots: AssembleShot[] = board.shots.map((s) => ({ index: s.index, source: { kind: 'plate', path: plate, camera: s.camera } }));
    await assembleVideo({
      storyboard: board,
      channel,
      shots,
      outPath: out,
      posterPath: join(dir, 'music.jpg'),
      workDir: dir,
      logoPath: logo,
      musicPath: music,
    });
    expect((await validateVideo(out, channel, 3)).problems).toEqual([]);
    const probe = await probeMedia(out);
    expect(probe.audio).toMatchObject({ codec: 'aac', sampleRate: 48000, channels: 2 });
    expect(Math.abs((await loudness(out)) + 16)).toBeLessThan(2.5);
    // The blue logo is on screen near the end, not at the start.
    const blue = async (t: number) => {
      const png = join(dir, `logo-${t}.png`);
      await runFfmpeg(['-ss', String(t), '-i', out, '-frames:v', '1', '-update', '1', png]);
      const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
      let n = 0;
      for (let i = 0; i < data.length; i += info.channels) if (data[i + 2] > 150 && data[i] < 60 && data[i + 1] < 60) n++;
      return n;
    };
    expect(await blue(0.3)).toBe(0);
    expect(await blue(2.8)).toBeGreaterThan(300);
  });

  it('fails clearly on music that is not audio', async () => {
    const bad = join(dir, 'bad.mp3');
    await writeFile(bad, 'not audio at all');
    const board = storyboard({ channel, duration: 1.5, cameras: ['static'], texts: [] });
    const error = await assembleVideo({
      storyboard: board,
      channel,
      shots: [{ index: 0, source: { kind: 'plate', path: plate, camera: 'static' } }],
      outPath: join(dir, 'bad.mp4'),
      posterPath: join(dir, 'bad.jpg'),
      workDir: dir,
      musicPath: bad,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MusicError);
    expect(error).toMatchObject({ code: 'MUSIC_INVALID' });
  });
});
