/**
 * Encode-floor ratio: the real Assemble task on one full-size variant against a bare ffmpeg encode of the
 * same length, size, rate control and preset, alternating in the same process and window. A child of
 * bench/run-bench.ts. Usage: floor-run.ts <config.json> <result.json>
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import { ChannelSpec } from '#domain/model/channel-spec';
import { Storyboard } from '#domain/model/storyboard';
import { runFfmpeg } from '#media/ffmpeg';
import { HANDLER_FACTORIES } from '../functions/handlers.ts';
import { openLocalHost } from '../local/local-host.ts';
import { reapedChildrenCpuSeconds } from './lib/child-cpu.ts';
import { startRssSampler } from './lib/rss-sampler.ts';
import { round, spread, type Spread } from './lib/stats.ts';

export const FloorRunConfig = z.object({
  /** A measured workflow sample's folder: its out/ holds the storyboard and renders, its state/ the tracker. */
  sampleDir: z.string(),
  /** The Assemble task input to replay (recorded by the workflow run). */
  assembleInput: z.object({ variant: z.object({ storyboardKey: z.string(), channel: z.string() }).loose() }).loose(),
  samples: z.number().int().min(1),
  /** Channels the sample used beyond the registry (quick runs use small copies). */
  extraChannels: z.array(ChannelSpec).default([]),
});
export type FloorRunConfig = z.infer<typeof FloorRunConfig>;

export interface FloorRunResult {
  channel: string;
  width: number;
  height: number;
  seconds: number;
  fps: number;
  floorArgs: string[];
  floorSeconds: Spread;
  assembleSeconds: Spread;
  /** The assembler's own ffmpeg time inside the task (without text rendering, store copies, poster). */
  assemblerEncodeSeconds: Spread;
  /** median(assemble) / median(floor), and the same per alternating pair. */
  ratio: number;
  pairRatios: Spread;
  /** CPU seconds of the ffmpeg children (user + system) of each, and median(assemble) / median(floor): steadier than wall time on a shared machine. */
  cpuSeconds?: { floor: Spread; assemble: Spread; ratio: number };
  floorPeakMiB: { ffmpeg: Spread };
  /** footprint = ffmpeg peak + the Node process's growth during the task (the local host's own baggage — CDK, the engine, dynalite — excluded). */
  assemblePeakMiB: { ffmpeg: Spread; node: Spread; tree: Spread; nodeBefore: Spread; footprint: Spread };
}

/** The floor: the same frames-per-second, size, length, codec, profile, preset and rate control, from one still. */
export function floorArgs(o: { still: string; seconds: number; fps: number; profile: string; kbps: number; out: string }): string[] {
  return [
    '-loop',
    '1',
    '-framerate',
    String(o.fps),
    '-i',
    o.still,
    '-f',
    'lavfi',
    '-i',
    'anullsrc=r=48000:cl=stereo',
    '-map',
    '0:v',
    '-map',
    '1:a',
    '-c:v',
    'libx264',
    '-profile:v',
    o.profile,
    '-pix_fmt',
    'yuv420p',
    '-preset',
    'veryfast',
    '-crf',
    '21',
    '-maxrate',
    `${o.kbps}k`,
    '-bufsize',
    `${o.kbps * 2}k`,
    '-r',
    String(o.fps),
    '-g',
    String(o.fps * 2),
    '-c:a',
    'aac',
    '-b:a',
    '128k',
    '-ar',
    '48000',
    '-ac',
    '2',
    '-t',
    String(o.seconds),
    '-movflags',
    '+faststart',
    o.out,
  ];
}

/** Alternates floor encodes and Assemble tasks `samples` times each and reports the spreads and the ratio. */
export async function measureFloorRatio(config: FloorRunConfig): Promise<FloorRunResult> {
  const host = await openLocalHost({ outDir: join(config.sampleDir, 'out'), stateDir: join(config.sampleDir, 'state'), extraChannels: config.extraChannels });
  try {
    const storyboard = Storyboard.parse(JSON.parse(await readFile(join(config.sampleDir, 'out', config.assembleInput.variant.storyboardKey), 'utf8')));
    const channel = host.deps.channels.get(storyboard.channel);
    if (!channel) throw new Error(`Channel ${storyboard.channel} of the recorded variant is not in the registry.`);
    const scratch = join(config.sampleDir, 'floor');
    await mkdir(scratch, { recursive: true });
    const still = join(scratch, 'still.png');
    await sharp({ create: { width: storyboard.width, height: storyboard.height, channels: 3, background: '#5b8fa8' } })
      .composite([
        {
          input: Buffer.from(
            `<svg xmlns="http://www.w3.org/2000/svg" width="${storyboard.width}" height="${storyboard.height}">` +
              `<circle cx="50%" cy="45%" r="30%" fill="#ffd166"/></svg>`,
          ),
        },
      ])
      .png()
      .toFile(still);
    const args = floorArgs({
      still,
      seconds: storyboard.duration,
      fps: storyboard.fps,
      profile: channel.video.profile,
      kbps: channel.video.bitrateKbps,
      out: join(scratch, 'floor.mp4'),
    });
    const assemble = HANDLER_FACTORIES.assemble(host.deps) as unknown as (input: unknown) => Promise<{ encodeSeconds?: number }>;

    const floor: number[] = [];
    const floorMiB: number[] = [];
    const asm: number[] = [];
    const encode: number[] = [];
    const asmFfmpeg: number[] = [];
    const asmNode: number[] = [];
    const asmTree: number[] = [];
    const nodeBefore: number[] = [];
    const floorCpu: number[] = [];
    const asmCpu: number[] = [];
    for (let i = 0; i < config.samples; i++) {
      let sampler = startRssSampler(50);
      let cpu0 = reapedChildrenCpuSeconds();
      let t0 = performance.now();
      await runFfmpeg(args);
      floor.push((performance.now() - t0) / 1000);
      if (cpu0 !== undefined) floorCpu.push(reapedChildrenCpuSeconds()! - cpu0);
      floorMiB.push((await sampler.stop()).childrenMiB);

      nodeBefore.push(process.memoryUsage().rss / 2 ** 20);
      sampler = startRssSampler(50);
      cpu0 = reapedChildrenCpuSeconds();
      t0 = performance.now();
      const out = await assemble(config.assembleInput);
      asm.push((performance.now() - t0) / 1000);
      if (cpu0 !== undefined) asmCpu.push(reapedChildrenCpuSeconds()! - cpu0);
      encode.push(out.encodeSeconds ?? Number.NaN);
      const peaks = await sampler.stop();
      asmFfmpeg.push(peaks.childrenMiB);
      asmNode.push(peaks.nodeMiB);
      asmTree.push(peaks.treeMiB);
    }
    const floorSpread = spread(floor);
    const asmSpread = spread(asm);
    return {
      channel: channel.id,
      width: storyboard.width,
      height: storyboard.height,
      seconds: storyboard.duration,
      fps: storyboard.fps,
      floorArgs: args.map((a) => (a === still ? 'still.png' : a.endsWith('floor.mp4') ? 'floor.mp4' : a)),
      floorSeconds: floorSpread,
      assembleSeconds: asmSpread,
      assemblerEncodeSeconds: spread(encode),
      ratio: round(asmSpread.median / floorSpread.median, 3),
      pairRatios: spread(asm.map((a, i) => a / floor[i])),
      ...(floorCpu.length && asmCpu.length
        ? { cpuSeconds: { floor: spread(floorCpu), assemble: spread(asmCpu), ratio: round(spread(asmCpu).median / spread(floorCpu).median, 3) } }
        : {}),
      floorPeakMiB: { ffmpeg: spread(floorMiB) },
      assemblePeakMiB: {
        ffmpeg: spread(asmFfmpeg),
        node: spread(asmNode),
        tree: spread(asmTree),
        nodeBefore: spread(nodeBefore),
        footprint: spread(asmFfmpeg.map((f, i) => f + Math.max(0, asmNode[i] - nodeBefore[i]))),
      },
    };
  } finally {
    await host.close();
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const [configPath, resultPath] = process.argv.slice(2);
  const result = await measureFloorRatio(FloorRunConfig.parse(JSON.parse(await readFile(configPath, 'utf8'))));
  await writeFile(resultPath, JSON.stringify(result));
}
