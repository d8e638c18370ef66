import { describe, expect, it } from 'vitest';
import { Campaign } from '#domain/model/campaign';
import { clipCost, planClip } from '#domain/render/model-profile';
import { findProfile, MODEL_PROFILES } from '#domain/render/models/index';
import { RenderJob } from '#domain/model/render-job';
import { buildModelInput } from '#domain/render/profile-request';
import { quoteProfile } from '#domain/render/quote';

const p = (id: string) => findProfile(id)!;
const portrait = { width: 1080, height: 1920 };
const campaign = (renderer: Record<string, unknown>) =>
  Campaign.safeParse({
    schemaVersion: 1,
    id: 'c',
    name: 'C',
    brand: { name: 'B', colors: { primary: '#000000', secondary: '#111111', text: '#ffffff', accent: '#222222' } },
    templates: ['product-hero'],
    channels: ['tiktok'],
    renderer: { endpoint: 'https://x.invalid', ...renderer },
  });

describe('model profiles', () => {
  it('are all valid, unique, and cite a source for every price', () => {
    expect(new Set(MODEL_PROFILES.map((m) => m.id)).size).toBe(MODEL_PROFILES.length);
    for (const m of MODEL_PROFILES)
      expect(
        m.sources.some((s) => s.figure.startsWith('price')),
        m.id,
      ).toBe(true);
  });

  it('refuses an unknown model or an impossible setting when the campaign is loaded, naming the allowed values', () => {
    const kling7 = campaign({ kind: 'fal', profile: 'fal-kling-v2.1-standard', clip: { seconds: 7 } });
    expect(kling7.success).toBe(false);
    expect(kling7.error!.issues.map((i) => i.message).join()).toMatch(/7 is not allowed on fal-kling-v2\.1-standard: use one of 5, 10/);
    const unknown = campaign({ kind: 'fal', profile: 'fal-kling-v9' });
    expect(unknown.error!.issues.map((i) => i.message).join()).toMatch(/unknown model profile "fal-kling-v9": use one of fal-kling-v2\.1-standard/);
    expect(campaign({ kind: 'replicate', profile: 'fal-wan-v2.2-a14b' }).error!.issues[0].message).toMatch(/for the fal renderer/);
    expect(campaign({ kind: 'fal', profile: 'fal-wan-v2.2-a14b', clip: { resolution: '1080p' } }).error!.issues[0].message).toMatch(/480p, 580p, 720p/);
    expect(campaign({ kind: 'fal', profile: 'fal-wan-v2.2-a14b', clip: { fps: 16, resolution: '480p' } }).success).toBe(true);
  });

  it("plans the shortest allowed clip that covers the shot, or a frame count in the model's form", () => {
    expect(planClip(p('fal-kling-v2.1-standard'), { seconds: 4.2, ...portrait })).toMatchObject({ seconds: 5, fps: 24, width: 720, height: 1280 });
    expect(planClip(p('fal-kling-v2.1-pro'), { seconds: 6, ...portrait })).toMatchObject({ seconds: 10, width: 1080, height: 1920 });
    expect(planClip(p('fal-wan-v2.2-a14b'), { seconds: 5, ...portrait })).toMatchObject({
      frames: 80,
      fps: 16,
      seconds: 5,
      resolution: '720p',
      aspectRatio: '9:16',
      width: 720,
      height: 1280,
    });
    expect(planClip(p('fal-wan-v2.2-a14b'), { seconds: 0.5, ...portrait }).frames).toBe(17);
    expect(planClip(p('fal-ltx-video-13b'), { seconds: 3, ...portrait })).toMatchObject({ frames: 97, fps: 30, width: 704, height: 1216 });
    expect(planClip(p('replicate-wan-2.2-i2v-a14b'), { seconds: 2, ...portrait })).toMatchObject({ frames: 81, seconds: 5.063 });
    expect(planClip(p('bedrock-nova-reel'), { seconds: 3, width: 1920, height: 1080 })).toMatchObject({ seconds: 6, fps: 24, width: 1280, height: 720 });
    expect(planClip(p('bedrock-luma-ray-2'), { seconds: 6, ...portrait })).toMatchObject({ seconds: 9, aspectRatio: '9:16' });
  });

  it("prices a clip by the profile's rule", () => {
    expect(clipCost(p('fal-kling-v2.1-standard'), { seconds: 10, width: 720, height: 1280, fps: 24 })).toBeCloseTo(0.28 + 5 * 0.056, 6);
    expect(clipCost(p('fal-wan-v2.2-a14b'), { seconds: 5.063, frames: 81, width: 720, height: 1280, fps: 16, resolution: '720p' })).toBeCloseTo(
      (81 / 16) * 0.08,
      6,
    );
    // fal: "each 1080p 5 second video costs roughly $0.62" (tokens = w·h·fps·s / 1024 at $2.5 per million).
    expect(clipCost(p('fal-seedance-v1-pro'), { seconds: 5, width: 1920, height: 1080, fps: 24 })).toBeCloseTo(0.6075, 4);
    expect(clipCost(p('bedrock-nova-reel'), { seconds: 6, width: 1280, height: 720, fps: 24 })).toBeCloseTo(0.48, 6);
    expect(clipCost(p('sagemaker-wan-2.2-async'), { seconds: 5, width: 720, height: 1280, fps: 16 }, 120)).toBeCloseTo(120 * 0.000631, 6);
  });

  it('quotes jobs per profile: expected one attempt each, worst case every attempt', () => {
    const job = (seconds: number) =>
      RenderJob.parse({
        schemaVersion: 1,
        renderHash: `h${seconds}`,
        family: '9:16',
        ...portrait,
        duration: seconds,
        camera: 'push-in',
        focus: 'center',
        background: ['#000000', '#ffffff'],
        seed: 1,
        prompt: 'p',
        negativePrompt: '',
        clip: planClip(p('fal-kling-v2.1-standard'), { seconds, ...portrait }),
      });
    expect(quoteProfile(p('fal-kling-v2.1-standard'), [job(3), job(7)], 3)).toMatchObject({ jobs: 2, clipSeconds: 15, expectedUsd: 0.84, worstCaseUsd: 2.52 });
  });

  it('builds the same request bytes for the same job (deterministic), with only the fields the model takes', () => {
    const profile = p('fal-wan-v2.2-a14b');
    const job = RenderJob.parse({
      schemaVersion: 1,
      renderHash: 'h',
      family: '9:16',
      ...portrait,
      duration: 5,
      camera: 'push-in',
      focus: 'center',
      background: ['#000000', '#ffffff'],
      seed: 7,
      prompt: 'a mug',
      negativePrompt: 'text',
      clip: planClip(profile, { seconds: 5, ...portrait }),
    });
    const a = JSON.stringify(buildModelInput(profile, job, 7, { bytes: Buffer.from('x'), contentType: 'image/jpeg' }));
    expect(a).toBe(JSON.stringify(buildModelInput(profile, job, 7, { bytes: Buffer.from('x'), contentType: 'image/jpeg' })));
    expect(Object.keys(JSON.parse(a)).sort()).toEqual([
      'aspect_ratio',
      'frames_per_second',
      'image_url',
      'negative_prompt',
      'num_frames',
      'prompt',
      'resolution',
      'seed',
    ]);
  });
});
