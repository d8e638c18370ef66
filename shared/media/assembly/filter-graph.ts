import type { ChannelSpec } from '#domain/model/channel-spec';
import type { Storyboard } from '#domain/model/storyboard';
import { AssemblyError } from './assembly-errors.ts';
import { planTimeline, tiling, type Timeline } from './assembly-timeline.ts';
import { addLogo, type EndCardLogo } from './end-card.ts';
import { num } from './filter-numbers.ts';
import { FilterGraph } from './filter-graph-builder.ts';
import { addMusic, type MusicLoudness } from './music.ts';
import { addTextOverlays, type StripInfo } from './overlay-graph.ts';
import { addLayeredShots, addTiledShots, type ShotContext } from './shot-segments.ts';
import type { AssembleShot, ShotSource } from './shot-source.ts';

export interface AssemblyPlan {
  /** ffmpeg input arguments, in input order. */
  inputs: string[];
  /** The -filter_complex_script text; ends in the [vout] label. */
  filterGraph: string;
  timeline: Timeline;
  /** What to map as the audio track: the silent source or the processed music. */
  audioLabel: string;
}

export interface AssemblyInputs {
  storyboard: Storyboard;
  channel: ChannelSpec;
  shots: AssembleShot[];
  overlayPaths: string[];
  /** Per overlay, the entry strip its file holds (raw RGBA tiles, see text-motion.ts); absent: a PNG that fades in. */
  overlayStrips?: Array<StripInfo | undefined>;
  canPadClips: boolean;
  /** A logo PNG already sized to its box, shown with a fade from `start` for `duration` seconds. */
  logo?: EndCardLogo;
  /** Campaign music: trimmed, loudness-normalized and faded in the same pass. */
  musicPath?: string;
  /** The music's loudness as measured over the ad's length: lets loudnorm apply one exact linear gain. */
  musicLoudness?: MusicLoudness;
}

/** Builds the single-pass ffmpeg inputs and filter graph (pure: no I/O); overlay PNG paths are given. */
export function planAssembly(opts: AssemblyInputs): AssemblyPlan {
  const { storyboard, channel } = opts;
  const fps = channel.fps;
  const timeline = planTimeline(storyboard);
  const sampleRate = channel.audio.sampleRate > 0 ? channel.audio.sampleRate : 48000;
  const graph = new FilterGraph(baseInputs(channel, timeline, sampleRate), fps);
  const bySource = new Map(opts.shots.map((s) => [s.index, s.source]));
  assertSources(storyboard, timeline, bySource);
  const shots: ShotContext = { storyboard, timeline, width: channel.width, height: channel.height, fps, bySource, canPadClips: opts.canPadClips };
  const tiles = tiling(timeline, opts.shots.some((s) => s.source.kind === 'clip') && !opts.canPadClips);
  if (tiles) addTiledShots(graph, shots, tiles);
  else addLayeredShots(graph, shots);
  addTextOverlays(graph, storyboard, timeline, opts.overlayPaths, opts.overlayStrips);
  if (opts.logo) addLogo(graph, opts.logo);
  if (opts.musicPath) addMusic(graph, opts.musicPath, opts.musicLoudness, timeline.duration, sampleRate);
  graph.lines.push(`${graph.base}format=yuv420p[vout]`);
  return { inputs: graph.inputs, filterGraph: graph.lines.join('\n'), timeline, audioLabel: opts.musicPath ? '[aout]' : '1:a' };
}

/** Inputs 0 and 1: the black base the shots go over, as long as the ad, and the silent audio track. */
function baseInputs(channel: ChannelSpec, timeline: Timeline, sampleRate: number): string[] {
  const { width: W, height: H } = channel;
  return [
    '-f',
    'lavfi',
    '-i',
    `color=c=black:s=${W}x${H}:r=${timeline.fps}:d=${num(timeline.duration)}`,
    '-f',
    'lavfi',
    '-i',
    `anullsrc=r=${sampleRate}:cl=stereo`,
  ];
}

/** Every storyboard shot needs a rendered source. */
function assertSources(storyboard: Storyboard, timeline: Timeline, bySource: Map<number, ShotSource>): void {
  for (const shot of timeline.shots) {
    if (!bySource.has(shot.index))
      throw new AssemblyError(`Shot ${shot.index} of storyboard ${storyboard.hash} has no rendered source: pass one entry per storyboard shot.`);
  }
}
