import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChannelSpec } from '#domain/model/channel-spec';
import type { Storyboard } from '#domain/model/storyboard';
import { AssemblyError, OutputTooLargeError } from './assembly-errors.ts';
import { encodeArgs, type Rate } from './encode-args.ts';
import { prepareLogo } from './end-card.ts';
import { hasFilter, runFfmpeg } from '#media/ffmpeg';
import { num } from './filter-numbers.ts';
import { planAssembly, type AssemblyPlan } from './filter-graph.ts';
import { assertAudio, measureMusic, type MusicLoudness } from './music.ts';
import { renderOverlayFiles } from './overlay-files.ts';
import { posterTime } from './poster-time.ts';
import type { AssembleShot } from './shot-source.ts';

export { AssemblyError, OutputTooLargeError } from './assembly-errors.ts';
export { LogoError } from './end-card.ts';
export { MusicError } from './music.ts';
export type { AssembleShot, ShotSource } from './shot-source.ts';

export interface AssembleOptions {
  storyboard: Storyboard;
  channel: ChannelSpec;
  shots: AssembleShot[];
  outPath: string;
  posterPath: string;
  /** Scratch folder for the filter script and overlay PNGs; the caller owns its lifetime. */
  workDir: string;
  /** Brand logo (any image); shown on the end card. Absent: no logo. */
  logoPath?: string;
  /** Campaign music; trimmed to the ad, faded and loudness-normalized. Absent: a silent AAC track. */
  musicPath?: string;
  /** The campaign's own font file (brand.font), drawn before the shipped fonts. */
  fontPath?: string;
  signal?: AbortSignal;
}

/** Encodes a storyboard's shots, transitions, text overlays and silent audio into one MP4 plus a poster JPEG, in one ffmpeg pass. */
export async function assembleVideo(opts: AssembleOptions): Promise<{ encodeSeconds: number }> {
  const { storyboard, channel, outPath, posterPath, workDir, signal } = opts;
  if (storyboard.width !== channel.width || storyboard.height !== channel.height) {
    throw new AssemblyError(
      `Storyboard ${storyboard.hash} is ${storyboard.width}×${storyboard.height} but channel ${channel.id} is ${channel.width}×${channel.height}: ` +
        `re-plan the storyboard for this channel.`,
    );
  }
  // The shots are timed in frames at the storyboard's fps: encoding them at another rate would change their length.
  if (storyboard.fps !== channel.fps) {
    throw new AssemblyError(
      `Storyboard ${storyboard.hash} is timed at ${storyboard.fps} fps but channel ${channel.id} runs at ${channel.fps} fps: ` +
        `re-plan the storyboard for this channel.`,
    );
  }
  const { overlayPaths, overlayStrips } = await renderOverlayFiles({ storyboard, channel, shots: opts.shots, workDir, fontPath: opts.fontPath });
  const logo = opts.logoPath ? await prepareLogo(opts.logoPath, storyboard, channel, workDir) : undefined;
  let musicLoudness: MusicLoudness | undefined;
  if (opts.musicPath) {
    await assertAudio(opts.musicPath);
    musicLoudness = await measureMusic(opts.musicPath, storyboard.duration, signal);
  }
  const plan = planAssembly({
    storyboard,
    channel,
    shots: opts.shots,
    overlayPaths,
    overlayStrips,
    logo,
    musicPath: opts.musicPath,
    musicLoudness,
    canPadClips: opts.shots.some((s) => s.source.kind === 'clip') && (await hasFilter('tpad')),
  });
  const scriptPath = join(workDir, 'assemble.filtergraph');
  await writeFile(scriptPath, plan.filterGraph);
  const encodeSeconds = await encodeUnderCap(plan, scriptPath, channel, outPath, signal);
  const at = posterTime(storyboard, plan.timeline.duration);
  await runFfmpeg(['-ss', num(at), '-i', outPath, '-frames:v', '1', '-q:v', '3', '-update', '1', posterPath], { signal });
  return { encodeSeconds: Math.round(encodeSeconds * 1000) / 1000 };
}

/** Encodes at CRF, then (at most twice) at a lower average bitrate until the file fits the channel's byte cap; returns the encode seconds. */
async function encodeUnderCap(plan: AssemblyPlan, scriptPath: string, channel: ChannelSpec, outPath: string, signal: AbortSignal | undefined): Promise<number> {
  const audioKbps = channel.audio.bitrateKbps > 0 ? channel.audio.bitrateKbps : 128;
  let rate: Rate = { mode: 'crf', kbps: channel.video.bitrateKbps };
  let encodeSeconds = 0;
  let bytes = 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = performance.now();
    await runFfmpeg([...plan.inputs, '-filter_complex_script', scriptPath, ...encodeArgs(channel, plan.timeline, rate, plan.audioLabel), outPath], { signal });
    encodeSeconds += (performance.now() - started) / 1000;
    bytes = (await stat(outPath)).size;
    if (bytes <= channel.maxBytes) break;
    // Aim below the cap by a margin that grows per retry: container overhead and rate-control overshoot.
    const budgetKbps = ((channel.maxBytes * 8) / 1000 / plan.timeline.duration) * (attempt === 0 ? 0.9 : 0.8) - audioKbps;
    const kbps = Math.floor(Math.min(budgetKbps, rate.kbps * 0.9));
    if (attempt === 2 || kbps < 50) break;
    rate = { mode: 'abr', kbps };
  }
  if (bytes > channel.maxBytes) {
    throw new OutputTooLargeError(
      `The ${channel.id} video is ${bytes} bytes, above the ${channel.maxBytes}-byte cap even at a lower bitrate: ` +
        `shorten the storyboard or raise the channel's maxBytes.`,
    );
  }
  return encodeSeconds;
}
