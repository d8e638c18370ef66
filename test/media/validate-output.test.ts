import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFfmpeg } from '#media/ffmpeg';
import { validateVideo } from '#media/validate-output';
import { tempDir, testChannel } from './media-fixtures.ts';

let dir: string;
let cleanup: () => Promise<void>;
let good: string;
let silent: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('validate'));
  good = join(dir, 'good.mp4');
  silent = join(dir, 'silent.mp4');
  await Promise.all([
    runFfmpeg([
      '-f',
      'lavfi',
      '-i',
      'color=c=gray:s=180x320:r=30:d=2',
      '-f',
      'lavfi',
      '-i',
      'anullsrc=r=48000:cl=stereo',
      '-c:v',
      'libx264',
      '-profile:v',
      'high',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-t',
      '2',
      good,
    ]),
    runFfmpeg(['-f', 'lavfi', '-i', 'color=c=gray:s=160x320:r=25:d=2', '-c:v', 'libx264', '-pix_fmt', 'yuv444p', silent]),
  ]);
});
afterAll(() => cleanup());

describe('validateVideo', () => {
  it('accepts a file that meets the channel spec', async () => {
    const report = await validateVideo(good, testChannel(), 2);
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(report.probe.video?.width).toBe(180);
  });

  it('reports a wrong expected duration as a readable sentence', async () => {
    const report = await validateVideo(good, testChannel(), 5);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.stringMatching(/^Duration is 2\.0\d+ s, but the storyboard says 5 s/)]);
  });

  it('lists every broken rule: size, fps, profile, pixel format, audio, bytes, duration range', async () => {
    const report = await validateVideo(silent, testChannel({ maxBytes: 100, duration: { min: 5, target: 10, max: 20 } }), 2);
    expect(report.ok).toBe(false);
    const text = report.problems.join('\n');
    expect(text).toMatch(/Frame size is 160×320/);
    expect(text).toMatch(/Frame rate is 25\.000 fps/);
    expect(text).toMatch(/profile is High 4:4:4 Predictive/);
    expect(text).toMatch(/Pixel format is yuv444p/);
    expect(text).toMatch(/no audio stream/);
    expect(text).toMatch(/above test-9x16's 100-byte cap/);
    expect(text).toMatch(/outside test-9x16's 5–20 s range/);
    for (const p of report.problems) expect(p).toMatch(/\.$/);
  });
});
