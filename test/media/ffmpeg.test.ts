import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfmpegError, ffmpegVersion, hasFilter, probeMedia, ProbeError, runFfmpeg } from '#media/ffmpeg';
import { tempDir } from './media-fixtures.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('ffmpeg')));
afterAll(() => cleanup());

describe('ffmpeg gateway', () => {
  it('reports its version and knows which filters the build has', async () => {
    expect(await ffmpegVersion()).toMatch(/^ffmpeg version /);
    expect(await hasFilter('zoompan')).toBe(true);
    expect(await hasFilter('overlay')).toBe(true);
    expect(await hasFilter('no-such-filter')).toBe(false);
  });

  it('encodes with argument arrays and probes the result', async () => {
    const out = join(dir, 'bars.mp4');
    await runFfmpeg([
      '-f',
      'lavfi',
      '-i',
      'testsrc=s=64x48:r=25:d=1',
      '-f',
      'lavfi',
      '-i',
      'anullsrc=r=48000:cl=stereo',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-t',
      '1',
      out,
    ]);
    const probe = await probeMedia(out);
    expect(probe.video).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', width: 64, height: 48, fps: 25, frames: 25 });
    expect(probe.audio).toMatchObject({ codec: 'aac', sampleRate: 48000, channels: 2 });
    expect(probe.durationSeconds).toBeCloseTo(1, 1);
    expect(probe.bytes).toBeGreaterThan(0);
  });

  it('throws FfmpegError with stderr when ffmpeg fails', async () => {
    const error = await runFfmpeg(['-f', 'lavfi', '-i', 'nosuchsource', join(dir, 'x.mp4')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FfmpegError);
    expect(error).toMatchObject({ name: 'FfmpegError', code: 'FFMPEG_FAILED' });
    expect((error as Error).message).toMatch(/nosuchsource/);
  });

  it('throws ProbeError on a file that is not media', async () => {
    const path = join(dir, 'junk.mp4');
    await writeFile(path, 'definitely not a video');
    await expect(probeMedia(path)).rejects.toBeInstanceOf(ProbeError);
  });

  it('stops ffmpeg when the signal aborts', async () => {
    const controller = new AbortController();
    const run = runFfmpeg(['-re', '-f', 'lavfi', '-i', 'testsrc=s=64x48:r=25:d=30', '-f', 'null', '-'], { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });
});
