import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '#domain/planning/channels';
import { planStoryboard } from '#domain/planning/planner';
import { assembleVideo } from '#media/assembly/assembler';
import { conformClipFilters, slowdownFor } from '#media/clip-conform';
import { probeMedia, runFfmpeg } from '#media/ffmpeg';
import { CAMPAIGN, product, TEMPLATES } from '../support/planner-fixtures.ts';
import { testChannel, storyboard as makeStoryboard, tempDir } from './media-fixtures.ts';

describe("conforming a model's clip in the single pass", () => {
  it("slows a short clip by at most 1.25×, trims a long one, resamples to the placement's rate", () => {
    expect(slowdownFor(3, 2.5)).toBeCloseTo(1.2, 6);
    expect(slowdownFor(3, 2)).toBe(1.25);
    expect(slowdownFor(3, 5)).toBe(1);
    const chain = conformClipFilters({ width: 180, height: 320, fps: 30, shotFrames: 90, from: 0, count: 90, media: { duration: 2.5, fps: 24 }, canPad: true });
    expect(chain[0]).toBe('setpts=1.2*(PTS-STARTPTS)');
    expect(chain).toEqual(
      expect.arrayContaining(['scale=180:320:force_original_aspect_ratio=increase', 'crop=180:320', 'fps=30', 'trim=start_frame=0:end_frame=90']),
    );
    expect(chain.indexOf('fps=30')).toBeGreaterThan(chain.indexOf('crop=180:320'));
  });

  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir('conform')));
  afterAll(async () => cleanup?.());

  it("assembles 16 fps and 24 fps clips of the models' lengths into a 30 fps variant of exactly the storyboard's frames", async () => {
    const channel = testChannel();
    const sb = makeStoryboard({ channel, duration: 4, cameras: ['push-in', 'pan-left'] });
    const clips = [
      { fps: 16, frames: 30 }, // 1.875 s of Wan-like 16 fps for a ~2 s shot: slowed ≤ 1.25×
      { fps: 24, frames: 120 }, // 5 s of Kling-like 24 fps: trimmed
    ];
    const shots = await Promise.all(
      sb.shots.map(async (s, i) => {
        const path = join(dir, `clip${i}.mp4`);
        const c = clips[i];
        await runFfmpeg([
          '-f',
          'lavfi',
          '-i',
          `testsrc2=s=180x320:r=${c.fps}`,
          '-frames:v',
          String(c.frames),
          '-c:v',
          'libx264',
          '-preset',
          'ultrafast',
          '-pix_fmt',
          'yuv420p',
          path,
        ]);
        return { index: s.index, source: { kind: 'clip' as const, path, media: { duration: c.frames / c.fps, fps: c.fps } } };
      }),
    );
    await assembleVideo({ storyboard: sb, channel, shots, outPath: join(dir, 'ad.mp4'), posterPath: join(dir, 'poster.jpg'), workDir: dir });
    const probe = await probeMedia(join(dir, 'ad.mp4'));
    expect(probe.video).toMatchObject({ width: channel.width, height: channel.height });
    expect(probe.video!.fps).toBeCloseTo(channel.fps, 2);
    expect(Math.abs(probe.durationSeconds - sb.duration)).toBeLessThan(0.1);
  });
});

describe('the generative prompt', () => {
  it("carries the product's colour, material, category, description and features, within the model's limit", () => {
    const p = product({
      title: 'Harbor Mug',
      description: 'A hand-thrown stoneware mug with a speckled glaze. Dishwasher safe.',
      features: ['12 oz', 'Lead-free glaze'],
      category: 'Mugs',
      tags: ['color:navy'],
    });
    const channel = CHANNELS.find((c) => c.id === 'tiktok')!;
    const template = TEMPLATES.find((t) => t.id === 'product-hero')!;
    for (const [profile, limit] of [
      ['fal-kling-v2.1-standard', 2500],
      ['bedrock-nova-reel', 512],
    ] as const) {
      const kind = profile.startsWith('fal') ? 'fal' : 'bedrock';
      const campaign = { ...CAMPAIGN, renderer: { ...CAMPAIGN.renderer, kind, profile, endpoint: 'https://x.invalid' } } as typeof CAMPAIGN;
      const { jobs } = planStoryboard({ product: p, campaign, template, channel });
      for (const job of jobs) {
        expect(job.prompt.length).toBeLessThanOrEqual(limit);
        expect(job.prompt).toMatch(/navy stoneware mugs/);
        expect(job.clip?.profile).toBe(profile);
      }
      if (limit > 600) expect(jobs[0].prompt).toMatch(/hand-thrown stoneware mug.*Features: 12 oz; Lead-free glaze/);
      // Deterministic: the same input plans the same request.
      expect(planStoryboard({ product: p, campaign, template, channel }).jobs).toEqual(jobs);
    }
  });
});
