import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssemblyError, assembleVideo, OutputTooLargeError } from '#media/assembly/assembler';
import { cameraExpressions } from '#media/assembly/camera-moves';
import { planAssembly } from '#media/assembly/filter-graph';
import { posterTime } from '#media/assembly/poster-time';
import { probeMedia, runFfmpeg } from '#media/ffmpeg';
import { renderPlate } from '#media/procedural-plate';
import { validateVideo } from '#media/validate-output';
import type { AssembleShot } from '#media/assembly/assembler';
import type { ChannelSpec } from '#domain/model/channel-spec';
import type { Storyboard } from '#domain/model/storyboard';
import { productPhoto, renderJob, storyboard, tempDir, testChannel } from './media-fixtures.ts';

let dir: string;
let cleanup: () => Promise<void>;
let channel: ChannelSpec;
let board: Storyboard;
let shots: AssembleShot[];
const outPath = () => join(dir, 'ad.mp4');
const posterPath = () => join(dir, 'poster.jpg');

/** Mean RGB of a frame at `t` seconds, decoded by ffmpeg to a PNG. */
async function frameAt(video: string, t: number, name: string): Promise<{ data: Buffer; width: number; channels: number }> {
  const png = join(dir, name);
  await runFfmpeg(['-ss', String(t), '-i', video, '-frames:v', '1', '-update', '1', png]);
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, channels: info.channels };
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('assemble'));
  channel = testChannel();
  board = storyboard({ channel, duration: 3, cameras: ['push-in', 'pan-left', 'tilt-up'], fade: 0.5 });
  const photo = await productPhoto(400);
  // Plates come at twice the channel size (the family render size) to prove zoompan rescales them.
  shots = await Promise.all(
    board.shots.map(async (s) => {
      const path = join(dir, `plate-${s.index}.png`);
      const colours: Array<[string, string]> = [
        ['#1e3a8a', '#0f172a'],
        ['#14532d', '#052e16'],
        ['#7f1d1d', '#450a0a'],
      ];
      await renderPlate({ job: renderJob({ width: 360, height: 640, background: colours[s.index] }), image: s.index === 2 ? undefined : photo, outPath: path });
      return { index: s.index, source: { kind: 'plate' as const, path, camera: s.camera } };
    }),
  );
  await assembleVideo({ storyboard: board, channel, shots, outPath: outPath(), posterPath: posterPath(), workDir: dir });
});
afterAll(() => cleanup());

describe('assembleVideo', () => {
  it('encodes H.264 High yuv420p at the channel size and fps, with AAC audio and the exact duration', async () => {
    const probe = await probeMedia(outPath());
    expect(probe.video).toMatchObject({ codec: 'h264', profile: 'High', pixFmt: 'yuv420p', width: 180, height: 320, fps: 30, frames: 90 });
    expect(probe.audio).toMatchObject({ codec: 'aac', sampleRate: 48000, channels: 2 });
    expect(Math.abs(probe.durationSeconds - 3)).toBeLessThanOrEqual(0.1);
  });

  it('passes validateVideo for its own channel and expected duration', async () => {
    const report = await validateVideo(outPath(), channel, board.duration);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('writes a poster JPEG at the channel size', async () => {
    const meta = await sharp(posterPath()).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 180, height: 320 });
  });

  it('keeps user text out of the filter graph and shows shots in storyboard order', async () => {
    const graph = await readFile(join(dir, 'assemble.filtergraph'), 'utf8');
    for (const overlay of board.overlays) expect(graph).not.toContain(overlay.text);
    // Bottom row of each shot's plate is its gradient's end colour: blue, then green, then red.
    const bottom = async (t: number, name: string) => {
      const f = await frameAt(outPath(), t, name);
      const p = ((320 - 4) * f.width + 4) * f.channels;
      return [f.data[p], f.data[p + 1], f.data[p + 2]];
    };
    const [b0, b1, b2] = await Promise.all([bottom(0.3, 'f0.png'), bottom(1.5, 'f1.png'), bottom(2.8, 'f2.png')]);
    expect(b0[2]).toBeGreaterThan(b0[0]); // shot 0: blue-ish
    expect(b1[1]).toBeGreaterThan(b1[0]); // shot 1: green-ish
    expect(b2[0]).toBeGreaterThan(b2[2]); // shot 2: red-ish
  });

  it('re-encodes at a lower bitrate when the first encode is above the byte cap', async () => {
    // Noise defeats compression, so the CRF encode lands near its 1500 kbps peak cap (about 280 KB for 1.5 s).
    const noise = join(dir, 'noise.mp4');
    await runFfmpeg([
      '-f',
      'lavfi',
      '-i',
      'color=c=gray:s=180x320:r=30:d=1.5',
      '-vf',
      'noise=alls=100:allf=t+u',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-crf',
      '10',
      '-pix_fmt',
      'yuv420p',
      noise,
    ]);
    const noisy = storyboard({ channel, duration: 1.5, cameras: ['static'], texts: [] });
    const capped = testChannel({ maxBytes: 150_000 });
    const out = join(dir, 'capped.mp4');
    const result = await assembleVideo({
      storyboard: noisy,
      channel: capped,
      shots: [{ index: 0, source: { kind: 'clip', path: noise } }],
      outPath: out,
      posterPath: join(dir, 'capped.jpg'),
      workDir: dir,
    });
    const bytes = (await stat(out)).size;
    expect(bytes).toBeLessThanOrEqual(150_000);
    expect(bytes).toBeGreaterThan(75_000); // it lowered the rate to the cap, not to nothing
    expect(result.encodeSeconds).toBeGreaterThan(0);
    expect((await validateVideo(out, capped, 1.5)).problems).toEqual([]);
  });

  it('fails clearly when no bitrate can meet the byte cap', async () => {
    // A cap below the silent audio track's own size cannot be met at any video bitrate.
    const tiny = testChannel({ maxBytes: 2_000 });
    const error = await assembleVideo({
      storyboard: board,
      channel: tiny,
      shots,
      outPath: join(dir, 'tiny.mp4'),
      posterPath: join(dir, 'tiny.jpg'),
      workDir: dir,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputTooLargeError);
    expect(error).toMatchObject({ code: 'OUTPUT_TOO_LARGE' });
  });

  it('refuses a storyboard with a shot that has no source', async () => {
    await expect(
      assembleVideo({ storyboard: board, channel, shots: shots.slice(0, 2), outPath: join(dir, 'x.mp4'), posterPath: join(dir, 'x.jpg'), workDir: dir }),
    ).rejects.toBeInstanceOf(AssemblyError);
  });

  it('accepts a video clip as a shot source and fits it to the channel', async () => {
    const clip = join(dir, 'clip.mp4');
    // A 16:9 clip shorter than its slot: scaled/cropped to 9:16 and held on its last frame.
    await runFfmpeg(['-f', 'lavfi', '-i', 'testsrc=s=320x180:r=24:d=0.5', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', clip]);
    const one = storyboard({ channel, duration: 1.5, cameras: ['static', 'static'], fade: 0.3, texts: [] });
    const out = join(dir, 'clip-ad.mp4');
    await assembleVideo({
      storyboard: one,
      channel,
      shots: [
        { index: 0, source: { kind: 'clip', path: clip } },
        { index: 1, source: shots[0].source },
      ],
      outPath: out,
      posterPath: join(dir, 'clip.jpg'),
      workDir: dir,
    });
    const report = await validateVideo(out, channel, 1.5);
    expect(report.problems).toEqual([]);
    expect(report.probe.video?.frames).toBe(45);
  });
});

describe('assembly planning', () => {
  it('tiles shots frame-exactly and fades every incoming shot with alpha', () => {
    const plan = planAssembly({ storyboard: board, channel, shots, overlayPaths: ['a.png', 'b.png', 'c.png'], canPadClips: true });
    expect(plan.timeline.totalFrames).toBe(90);
    expect(plan.timeline.shots.map((s) => s.startFrame)).toEqual([0, 25, 50]);
    expect(plan.filterGraph.match(/fade=t=in:st=0:d=0\.5:alpha=1/g)).toHaveLength(2);
    expect(plan.filterGraph).toContain('zoompan=');
    expect(plan.filterGraph).toMatch(/\[vout\]$/);
    // Each text overlay is one decoded frame repeated in the graph for its time on screen (not re-decoded per frame).
    expect(plan.inputs.filter((a) => a === '-loop')).toHaveLength(0);
    for (const path of ['a.png', 'b.png', 'c.png']) expect(plan.inputs).toContain(path);
    const repeats = [...plan.filterGraph.matchAll(/loop=loop=(\d+):size=1:start=0,setpts=N\/30\/TB/g)].map((m) => Number(m[1]) + 1);
    expect(repeats).toEqual(plan.timeline.overlays.map((o) => Math.round(o.duration * 30)));
  });

  it('gives every camera move an expression that zoompan can read', () => {
    for (const camera of ['static', 'push-in', 'pull-out', 'pan-left', 'pan-right', 'tilt-up', 'tilt-down', 'parallax'] as const) {
      const e = cameraExpressions(camera, 40);
      for (const expr of [e.z, e.x, e.y]) expect(expr).not.toMatch(/[,;:'\[\]]/);
    }
  });

  it('takes the poster from the hero shot, clear of the next crossfade', () => {
    const t = posterTime(board, board.duration);
    const hero = board.shots[1];
    expect(t).toBeGreaterThanOrEqual(hero.start + hero.fadeIn);
    expect(t).toBeLessThanOrEqual(board.shots[2].start);
  });
});

it('file sizes stay tiny for tiny channels', async () => {
  expect((await stat(outPath())).size).toBeLessThan(200_000);
});
