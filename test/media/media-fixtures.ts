import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { ChannelSpec } from '#domain/model/channel-spec';
import { RenderJob } from '#domain/model/render-job';
import { Storyboard } from '#domain/model/storyboard';
import type { CameraMove } from '#domain/model/template';

/** A 9:16 test channel: real rules, a tiny frame so each encode takes well under a second. */
export function testChannel(overrides: Partial<ChannelSpec> = {}): ChannelSpec {
  return ChannelSpec.parse({
    id: 'test-9x16',
    name: 'Test 9:16',
    version: 1,
    kind: 'video',
    width: 180,
    height: 320,
    family: { id: 'test-9:16', renderWidth: 180, renderHeight: 320 },
    fps: 30,
    duration: { min: 1, target: 3, max: 20 },
    maxBytes: 5 * 1024 * 1024,
    video: { codec: 'h264', profile: 'high', bitrateKbps: 1500 },
    audio: { required: true, codec: 'aac', sampleRate: 48_000, bitrateKbps: 64 },
    safeZone: { top: 20, bottom: 60, left: 10, right: 20 },
    minTextPx: 10,
    sources: ['https://example.com/spec'],
    ...overrides,
  });
}

/** A product photo: a coloured disc on white, the typical catalogue pack shot. */
export function productPhoto(size = 400, color = '#d22020'): Promise<Buffer> {
  const r = Math.round(size * 0.3);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">` + `<circle cx="${size / 2}" cy="${size / 2}" r="${r}" fill="${color}"/></svg>`;
  return sharp({ create: { width: size, height: size, channels: 3, background: '#ffffff' } })
    .composite([{ input: Buffer.from(svg) }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

export function renderJob(overrides: Partial<RenderJob> = {}): RenderJob {
  return RenderJob.parse({
    schemaVersion: 1,
    renderHash: 'r-test',
    family: 'test-9:16',
    width: 180,
    height: 320,
    duration: 1,
    camera: 'push-in',
    focus: 'center',
    background: ['#1e3a8a', '#0f172a'],
    seed: 7,
    prompt: 'a product',
    negativePrompt: '',
    ...overrides,
  });
}

/** A storyboard of `cameras.length` shots tiling `duration` seconds with `fade` s crossfades, one overlay per shot. */
export function storyboard(opts: { channel: ChannelSpec; duration: number; cameras: CameraMove[]; fade?: number; texts?: string[] }): Storyboard {
  const { channel, duration, cameras } = opts;
  const fade = opts.fade ?? 0.5;
  const n = cameras.length;
  // Shots overlap by the incoming fade, so each lasts (duration + (n-1)·fade)/n.
  const length = (duration + (n - 1) * fade) / n;
  const shots = cameras.map((camera, i) => ({
    index: i,
    role: i === 1 ? 'hero' : i === 0 ? 'hook' : 'cta',
    start: i === 0 ? 0 : i * (length - fade),
    duration: length,
    fadeIn: i === 0 ? 0 : fade,
    camera,
    renderHash: `r${i}`,
    seed: i,
  }));
  const texts = opts.texts ?? shots.map((_, i) => ['Trail Runner 3', '$89 <was $120> & free returns', 'Shop now'][i % 3]);
  const boxH = Math.round(channel.height * 0.09);
  const overlays = texts.map((text, i) => {
    const shot = shots[Math.min(i, n - 1)];
    return {
      slot: (['headline', 'price', 'cta'] as const)[i % 3],
      text,
      box: { x: channel.safeZone.left, y: channel.safeZone.top + i * (boxH + 4), w: channel.width - channel.safeZone.left - channel.safeZone.right, h: boxH },
      fontPx: Math.max(channel.minTextPx, Math.round(channel.width * 0.06)),
      color: '#ffffff',
      background: '#000000b3',
      start: shot.start + shot.fadeIn,
      end: shot.start + shot.duration,
    };
  });
  return Storyboard.parse({
    schemaVersion: 1,
    hash: 'sb-test',
    plannerVersion: 'test',
    sku: 'SKU-1',
    productHash: 'p',
    campaignId: 'c',
    templateId: 't',
    templateVersion: 1,
    channel: channel.id,
    channelVersion: channel.version,
    width: channel.width,
    height: channel.height,
    fps: channel.fps,
    duration,
    seed: 1,
    shots,
    overlays,
    audio: { kind: 'silent' },
  });
}

/** A temp folder removed by the returned cleanup. */
export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  // The '%03d' proves paths are never read as ffmpeg image-sequence patterns.
  const dir = await mkdtemp(join(tmpdir(), `adline-${prefix}-%03d-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
