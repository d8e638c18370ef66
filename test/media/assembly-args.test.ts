import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AssembleShot } from '#media/assembly/assembler';
import { CHANNELS } from '#domain/planning/channels';
import { planStoryboard } from '#domain/planning/planner';
import type { ChannelSpec } from '#domain/model/channel-spec';
import type { Storyboard } from '#domain/model/storyboard';
import { CAMPAIGN, TEMPLATES, product } from '../support/planner-fixtures.ts';
import { storyboard, tempDir, testChannel } from './media-fixtures.ts';

/*
 * Pins every ffmpeg argument list the assembler makes (inputs, filter graph, encode, bitrate retries,
 * music measurement, poster) for fixed storyboards, so a refactor of the assembler is proven to change
 * nothing. ffmpeg itself is replaced by a recorder: these run in milliseconds and need no encode.
 */

const calls: string[][] = [];
/** Bytes the recorder "encodes" per attempt: above the cap first, so the retries are pinned too. */
let sizes: number[] = [];
let scratch = '';

vi.mock('#media/ffmpeg', async (importOriginal) => {
  const real = await importOriginal<typeof import('#media/ffmpeg')>();
  return {
    ...real,
    hasFilter: async (name: string) => name === 'tpad',
    probeMedia: async () => ({ duration: 3, audio: { codec: 'mp3', sampleRate: 44_100, channels: 2 } }),
    runFfmpeg: async (args: string[]) => {
      const script = args.indexOf('-filter_complex_script');
      const recorded = args.map((a) => a.split(scratch).join('<work>'));
      if (script >= 0) recorded[script + 1] = await readFile(args[script + 1], 'utf8');
      calls.push(recorded);
      const last = args.at(-1)!;
      if (last.endsWith('.mp4')) await writeFile(last, Buffer.alloc(sizes.shift() ?? 1000));
      const stderr = args.includes('-af')
        ? '{ "input_i" : "-23.50", "input_tp" : "-4.20", "input_lra" : "3.10", "input_thresh" : "-33.90", "target_offset" : "0.40" }'
        : '';
      return { stderr };
    },
  };
});

const { assembleVideo } = await import('#media/assembly/assembler');

let dir: string;
let cleanup: () => Promise<void>;
let plate: string;
let productLayer: string;
let logo: string;
const channel = testChannel();

async function png(path: string, color: string, alpha = 1): Promise<string> {
  await sharp({ create: { width: 90, height: 160, channels: 4, background: { r: parseInt(color.slice(1, 3), 16), g: 80, b: 120, alpha } } })
    .png()
    .toFile(path);
  return path;
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('assembly-args'));
  scratch = dir;
  plate = await png(join(dir, 'plate.png'), '#204060');
  productLayer = await png(join(dir, 'product.png'), '#c02020', 0.5);
  logo = await png(join(dir, 'logo.png'), '#101010');
});
afterAll(() => cleanup());

/** The argument lists of one assembleVideo call, temp paths replaced by <work>. */
async function argsOf(board: Storyboard, ch: ChannelSpec, shots: AssembleShot[], extra: { logo?: boolean; music?: boolean; sizes?: number[] } = {}) {
  calls.length = 0;
  sizes = extra.sizes ?? [];
  await assembleVideo({
    storyboard: board,
    channel: ch,
    shots,
    outPath: join(dir, 'ad.mp4'),
    posterPath: join(dir, 'poster.jpg'),
    workDir: dir,
    ...(extra.logo ? { logoPath: logo } : {}),
    ...(extra.music ? { musicPath: join(dir, 'music.mp3') } : {}),
  });
  return calls.map((c) => [...c]);
}

describe('assembler ffmpeg arguments (pinned)', () => {
  it('tiled plates with every transition, parallax, a detail shot, text, logo, music and a bitrate retry', async () => {
    const board = storyboard({ channel, duration: 4, cameras: ['push-in', 'pan-left', 'parallax', 'tilt-up', 'static'], fade: 0.5 });
    const transitions = [undefined, 'slide', 'push', 'zoom', 'zoom'] as const;
    board.shots.forEach((s, i) => {
      board.shots[i] = { ...s, ...(transitions[i] ? { transition: transitions[i] } : {}), ...(i === 4 ? { role: 'detail' as const } : {}) };
    });
    board.overlays.push({ ...board.overlays[0], slot: 'brand', text: 'Acme', start: 0.2, end: 3.9 });
    const shots: AssembleShot[] = board.shots.map((s) => ({
      index: s.index,
      source: { kind: 'plate', path: plate, camera: s.camera, ...(s.camera === 'parallax' ? { productPath: productLayer } : {}) },
    }));
    const args = await argsOf(board, channel, shots, { logo: true, music: true, sizes: [6 * 1024 * 1024, 1000] });
    expect(args.length).toBe(4);
    expect(args).toMatchSnapshot();
  });

  it('clips that may run short fall back to the overlay chain; a gap between shots too', async () => {
    const board = storyboard({ channel, duration: 3, cameras: ['push-in', 'pan-right', 'static'], fade: 0.5 });
    const gappy = {
      ...board,
      shots: board.shots.map((s, i) =>
        i === 2 ? { ...s, start: s.start + 0.2, duration: s.duration - 0.2, startFrame: s.startFrame + 6, frames: s.frames - 6 } : s,
      ),
    };
    const shots: AssembleShot[] = gappy.shots.map((s) =>
      s.index === 1
        ? { index: s.index, source: { kind: 'clip', path: join(dir, 'clip.mp4'), media: { duration: 1.2, fps: 24 } } }
        : { index: s.index, source: { kind: 'plate', path: plate, camera: s.camera } },
    );
    expect(await argsOf(gappy, channel, shots)).toMatchSnapshot();
  });

  it('planned storyboards at 30 fps, for a portrait and a landscape channel', async () => {
    const template = TEMPLATES.find((t) => t.id === 'product-hero')!;
    for (const id of ['tiktok', 'youtube-16x9']) {
      const ch = CHANNELS.find((c) => c.id === id)!;
      const { storyboard: planned } = planStoryboard({
        product: product({ compareAtPrice: { amount: 24, currency: 'USD' } }),
        campaign: CAMPAIGN,
        template,
        channel: ch,
      });
      const shots: AssembleShot[] = planned.shots.map((s) => ({ index: s.index, source: { kind: 'plate', path: plate, camera: s.camera } }));
      expect(await argsOf(planned, ch, shots)).toMatchSnapshot(id);
    }
  });
});
