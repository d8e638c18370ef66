/**
 * Media benchmark (npm run bench:media): the wall time and the ffmpeg child's peak RSS of assembling a
 * 15 s 1080×1920 3-shot variant with overlays, against the encode floor — a bare libx264 encode of 15 s of
 * 1080×1920 from one still at the same preset and rate control. Runs alternate (A, B, A, B, …) so load
 * drifts hit both sides; prints the median with min/max and the ratio. Not a test: it takes ~1 minute.
 *
 * A generative case follows: three 5 s 24 fps 720×1280 clips (a Kling-shaped answer) conformed into the
 * same variant in the single pass, with its own ratio to the floor and peak RSS.
 *
 * Usage: npm run bench:media [-- --runs 3]
 */
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANNELS } from '#domain/planning/channels';
import { planStoryboard } from '#domain/planning/planner';
import { Campaign } from '#domain/model/campaign';
import { Product } from '#domain/model/product';
import { parseTemplateFile } from '#domain/planning/template-catalog';
import { assembleVideo } from '#media/assembly/assembler';
import { SUPERSAMPLE } from '#media/assembly/camera-moves';
import type { AssembleShot } from '#media/assembly/assembler';
import { ffmpegVersion, probeMedia, runFfmpeg } from '#media/ffmpeg';
import { renderPlate } from '#media/procedural-plate';

const runsArg = process.argv.indexOf('--runs');
/** --generative-only: skip the procedural case (the generative one alone takes about half the time). */
const GENERATIVE_ONLY = process.argv.includes('--generative-only');
const RUNS = Math.max(3, runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3);
const TIME = '/usr/bin/time';

const work = await mkdtemp(join(tmpdir(), 'adline-bench-media-'));
const rssDir = join(work, 'rss');

/**
 * Every ffmpeg the gateway starts goes through a wrapper that runs it under GNU time (peak RSS of that
 * child) when /usr/bin/time exists; the gateway reads FFMPEG_PATH once, so it is set before first use.
 */
async function installRssWrapper(): Promise<boolean> {
  if (!existsSync(TIME)) return false;
  // Not binaryPaths(): it caches its answer, and FFMPEG_PATH must be set before its first call.
  const real = process.env.FFMPEG_PATH || (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  const wrapper = join(work, 'ffmpeg-timed.sh');
  await writeFile(wrapper, `#!/bin/sh\nmkdir -p "${rssDir}"\nexec ${TIME} -f "%M %U %S" -o "${rssDir}/$$.kb" "${real}" "$@"\n`);
  await chmod(wrapper, 0o755);
  process.env.FFMPEG_PATH = wrapper;
  return true;
}

/** Peak RSS (MB) and CPU seconds (user + system) over the ffmpeg children started since the last call, then forgets them. */
async function drainChildren(): Promise<{ peakMb: number; cpuSeconds: number } | undefined> {
  if (!existsSync(rssDir)) return undefined;
  let peakMb = 0;
  let cpuSeconds = 0;
  for (const f of await readdir(rssDir)) {
    const [kb, user, sys] = ((await readFile(join(rssDir, f), 'utf8')).trim().split('\n').at(-1) ?? '0 0 0').split(' ').map(Number);
    peakMb = Math.max(peakMb, kb / 1024);
    cpuSeconds += (user || 0) + (sys || 0);
  }
  await rm(rssDir, { recursive: true, force: true });
  return { peakMb, cpuSeconds };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number, d = 2) => n.toFixed(d);

const timed = await installRssWrapper();
const channel = CHANNELS.find((c) => c.id === 'tiktok')!;
const template = parseTemplateFile('product-hero.json', await readFile('templates/product-hero.json', 'utf8'));
const campaign = Campaign.parse(JSON.parse(await readFile('examples/campaign.json', 'utf8')));
const product = Product.parse({
  schemaVersion: 1,
  source: 'json',
  productHash: 'bench',
  sku: 'BENCH-1',
  title: 'Trail Runner 3 all-terrain shoe',
  brand: 'Northwind',
  price: { amount: 89, currency: 'USD' },
  compareAtPrice: { amount: 120, currency: 'USD' },
  images: ['images/sneaker-side.jpg', 'images/sneaker-top.jpg'],
});
const { storyboard, jobs } = planStoryboard({ product, campaign, template, channel });
if (storyboard.shots.length !== 3 || Math.abs(storyboard.duration - 15) > 0.01)
  throw new Error(`expected a 15 s 3-shot storyboard, got ${storyboard.shots.length} shots, ${storyboard.duration} s`);

// The renders are not part of assembly: plates are made once, as the render step would.
const plates = new Map<string, string>();
for (const job of jobs) {
  const path = join(work, `${job.renderHash}.png`);
  await renderPlate({ job, image: await readFile(join('examples', job.imageKey ?? 'images/sneaker-side.jpg')), outPath: path });
  plates.set(job.renderHash, path);
}
const shots: AssembleShot[] = storyboard.shots.map((s) => ({ index: s.index, source: { kind: 'plate', path: plates.get(s.renderHash)!, camera: s.camera } }));
const still = plates.get(storyboard.shots[0].renderHash)!;

async function assembleOnce(i: number, with_: AssembleShot[] = shots): Promise<{ seconds: number; encodeSeconds: number }> {
  const dir = join(work, `a${i}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  const started = performance.now();
  const { encodeSeconds } = await assembleVideo({
    storyboard,
    channel,
    shots: with_,
    outPath: join(dir, 'ad.mp4'),
    posterPath: join(dir, 'poster.jpg'),
    workDir: dir,
  });
  const seconds = (performance.now() - started) / 1000;
  const probe = await probeMedia(join(dir, 'ad.mp4'));
  if (probe.video?.width !== 1080 || probe.video.height !== 1920 || Math.abs(probe.durationSeconds - 15) > 0.1)
    throw new Error('assembled output is not 15 s 1080×1920');
  return { seconds, encodeSeconds };
}

async function floorOnce(i: number): Promise<number> {
  const out = join(work, `floor${i}.mp4`);
  const started = performance.now();
  // Same encoder settings as the assembler's first try: libx264 veryfast, High, CRF 21 under the channel's peak cap.
  await runFfmpeg([
    '-f',
    'image2',
    '-pattern_type',
    'none',
    '-loop',
    '1',
    '-framerate',
    '30',
    '-i',
    still,
    '-t',
    '15',
    '-c:v',
    'libx264',
    '-profile:v',
    'high',
    '-pix_fmt',
    'yuv420p',
    '-preset',
    'veryfast',
    '-crf',
    '21',
    '-maxrate',
    `${channel.video.bitrateKbps}k`,
    '-bufsize',
    `${channel.video.bitrateKbps * 2}k`,
    '-r',
    '30',
    '-g',
    '60',
    '-movflags',
    '+faststart',
    out,
  ]);
  return (performance.now() - started) / 1000;
}

console.log(`adline media bench — ${await ffmpegVersion()}`);
console.log(
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}; ` +
    `load average ${(await readFile('/proc/loadavg', 'utf8').catch(() => '?')).split(' ').slice(0, 3).join(' ')}`,
);
console.log(
  `variant: ${channel.id} ${channel.width}×${channel.height}, ${storyboard.duration} s, ` +
    `${storyboard.shots.length} shots (${storyboard.shots.map((s) => s.camera).join(', ')}), ${storyboard.overlays.length} overlays; ` +
    `supersample ${SUPERSAMPLE}×; ${RUNS} alternating runs each\n`,
);

// One untimed warm-up of each, so first-run disk and font caches do not land on either side.
if (!GENERATIVE_ONLY) {
  await assembleOnce(-1);
  await floorOnce(-1);
  await drainChildren();

  const assemble: number[] = [];
  const encodeOnly: number[] = [];
  const floor: number[] = [];
  const rssA: number[] = [];
  const rssB: number[] = [];
  const cpuA: number[] = [];
  const cpuB: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const a = await assembleOnce(i);
    assemble.push(a.seconds);
    encodeOnly.push(a.encodeSeconds);
    const ca = await drainChildren();
    if (ca) {
      rssA.push(ca.peakMb);
      cpuA.push(ca.cpuSeconds);
    }
    floor.push(await floorOnce(i));
    const cb = await drainChildren();
    if (cb) {
      rssB.push(cb.peakMb);
      cpuB.push(cb.cpuSeconds);
    }
    const load = (await readFile('/proc/loadavg', 'utf8').catch(() => '?')).split(' ')[0];
    console.log(
      `run ${i + 1}: assemble ${fmt(a.seconds)} s wall (ffmpeg ${fmt(a.encodeSeconds)} s` +
        `${ca ? `, ${fmt(ca.cpuSeconds, 1)} s CPU, peak ${fmt(ca.peakMb, 0)} MB` : ''}) | ` +
        `floor ${fmt(floor[i])} s wall${cb ? ` (${fmt(cb.cpuSeconds, 1)} s CPU, peak ${fmt(cb.peakMb, 0)} MB)` : ''} | load ${load}`,
    );
  }

  const ratio = median(assemble) / median(floor);
  const peak = rssA.length ? Math.max(...rssA) : undefined;
  console.log('');
  console.log(
    `assemble (whole call: text images, contrast, encode, poster): median ${fmt(median(assemble))} s  ` +
      `[min ${fmt(Math.min(...assemble))}, max ${fmt(Math.max(...assemble))}]`,
  );
  console.log(`  of which the ffmpeg encode pass:                          median ${fmt(median(encodeOnly))} s`);
  console.log(
    `encode floor (bare libx264 from one still):                 median ${fmt(median(floor))} s  ` +
      `[min ${fmt(Math.min(...floor))}, max ${fmt(Math.max(...floor))}]`,
  );
  console.log(`ratio assemble / floor (wall, medians): ${fmt(ratio)}×   target ≤ 1.30 → ${ratio <= 1.3 ? 'MET' : 'MISSED'}`);
  console.log(`ratio per run (wall): ${assemble.map((a, i) => fmt(a / floor[i])).join(', ')}`);
  if (cpuA.length && cpuB.length) {
    // CPU seconds barely move with other processes' load, so this ratio is the steadier figure on a busy machine.
    console.log(
      `ffmpeg CPU seconds: assemble median ${fmt(median(cpuA), 1)} [${fmt(Math.min(...cpuA), 1)}–${fmt(Math.max(...cpuA), 1)}], ` +
        `floor median ${fmt(median(cpuB), 1)} [${fmt(Math.min(...cpuB), 1)}–${fmt(Math.max(...cpuB), 1)}]; ratio ${fmt(median(cpuA) / median(cpuB))}×`,
    );
  }
  if (peak !== undefined) {
    console.log(
      `peak RSS of the assembling ffmpeg child: ${fmt(peak, 0)} MB (floor's: ${fmt(Math.max(...rssB), 0)} MB)   ` +
        `target ≤ 512 MB → ${peak <= 512 ? 'MET' : 'MISSED'}`,
    );
  } else {
    console.log('peak RSS: /usr/bin/time not found, not measured');
  }
}

// Generative case: three clips in Kling 2.1 standard's shape (5 s, 24 fps, 720×1280), made once and untimed as
// a provider would return them, conformed in the assembler's single pass (retime, 24 → 30 fps, scale, crop).
const clips: AssembleShot[] = [];
for (const s of storyboard.shots) {
  const path = join(work, `clip-${s.index}.mp4`);
  await runFfmpeg([
    '-f',
    'image2',
    '-pattern_type',
    'none',
    '-loop',
    '1',
    '-framerate',
    '24',
    '-i',
    plates.get(s.renderHash)!,
    '-vf',
    `scale=806:1434,crop=720:1280:x='(iw-ow)*n/120':y='(ih-oh)/2',setsar=1,format=yuv420p`,
    '-frames:v',
    '120',
    '-r',
    '24',
    '-an',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '18',
    path,
  ]);
  const probe = await probeMedia(path);
  if (probe.video?.width !== 720 || probe.video.height !== 1280 || Math.abs(probe.video.fps - 24) > 0.01)
    throw new Error('bench clip is not 720×1280 at 24 fps');
  clips.push({ index: s.index, source: { kind: 'clip', path, media: { duration: probe.durationSeconds, fps: probe.video.fps } } });
}
console.log(
  `\ngenerative: ${clips.length} clips of 5 s at 24 fps, 720×1280 (Kling 2.1 standard's shape) ` +
    `into the same 15 s 1080×1920 variant; shots ${storyboard.shots.map((s) => `${s.duration} s`).join(', ')}`,
);
await assembleOnce(-2, clips);
await drainChildren();
const gen: number[] = [];
const genFloor: number[] = [];
const rssG: number[] = [];
const cpuG: number[] = [];
const cpuGF: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const a = await assembleOnce(100 + i, clips);
  gen.push(a.seconds);
  const cg = await drainChildren();
  if (cg) {
    rssG.push(cg.peakMb);
    cpuG.push(cg.cpuSeconds);
  }
  genFloor.push(await floorOnce(100 + i));
  const cf = await drainChildren();
  if (cf) cpuGF.push(cf.cpuSeconds);
  console.log(
    `run ${i + 1}: assemble from clips ${fmt(a.seconds)} s wall (ffmpeg ${fmt(a.encodeSeconds)} s${cg ? `, peak ${fmt(cg.peakMb, 0)} MB` : ''}) ` +
      `| floor ${fmt(genFloor[i])} s`,
  );
}
const genRatio = median(gen) / median(genFloor);
const genPeak = rssG.length ? Math.max(...rssG) : undefined;
console.log(`generative ratio assemble / floor (wall, medians): ${fmt(genRatio)}×   target ≤ 1.30 → ${genRatio <= 1.3 ? 'MET' : 'MISSED'}`);
console.log(`generative ratio per run (wall): ${gen.map((a, i) => fmt(a / genFloor[i])).join(', ')}`);
if (cpuG.length && cpuGF.length)
  console.log(
    `generative ffmpeg CPU seconds: assemble median ${fmt(median(cpuG), 1)}, ` +
      `floor median ${fmt(median(cpuGF), 1)}; ratio ${fmt(median(cpuG) / median(cpuGF))}×`,
  );
console.log(
  genPeak !== undefined
    ? `generative peak RSS of the assembling ffmpeg child: ${fmt(genPeak, 0)} MB   target ≤ 512 MB → ${genPeak <= 512 ? 'MET' : 'MISSED'}`
    : 'generative peak RSS: /usr/bin/time not found, not measured',
);
console.log(`node process max RSS: ${fmt(process.resourceUsage().maxRSS / 1024, 0)} MB`);
await rm(work, { recursive: true, force: true });
