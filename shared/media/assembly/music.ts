import { num } from './filter-numbers.ts';
import { probeMedia, runFfmpeg } from '#media/ffmpeg';
import type { FilterGraph } from './filter-graph-builder.ts';
import { MediaError } from '#media/media-error';

/** The music file cannot be read as audio. */
export class MusicError extends MediaError {
  override readonly name = 'MusicError';
  override readonly code = 'MUSIC_INVALID';
}

/** Loudness target for campaign music (EBU R128 integrated, LUFS) and its true-peak ceiling. */
const MUSIC_LUFS = -16;
const MUSIC_TRUE_PEAK = -1.5;

/** What loudnorm's analysis printed for the music: the inputs of its exact (linear) second pass. */
export interface MusicLoudness {
  input_i: string;
  input_tp: string;
  input_lra: string;
  input_thresh: string;
  target_offset: string;
}

/**
 * One exact linear gain from the measured loudness to the target, capped so true peaks stay under the
 * ceiling (what loudnorm's linear mode does; this 2018 build's loudnorm passes clips under its 3 s
 * window through unchanged, so the gain is applied with `volume`). Unmeasured (silent) music is left as is.
 */
function musicGainFilter(m: MusicLoudness | undefined): string {
  if (!m) return 'anull';
  const gain = Math.min(MUSIC_LUFS - Number(m.input_i), MUSIC_TRUE_PEAK - Number(m.input_tp));
  return `volume=${num(Math.round(gain * 100) / 100)}dB`;
}

/** Adds the campaign music (looped, cut to the ad, brought to the loudness target, faded in and out) as [aout]. */
export function addMusic(graph: FilterGraph, musicPath: string, loudness: MusicLoudness | undefined, duration: number, sampleRate: number): void {
  // Loop short tracks, cut to the ad, bring to the loudness target (EBU R128, measured beforehand), then fade in and out.
  graph.inputs.push('-stream_loop', '-1', '-i', musicPath);
  const d = duration;
  const fadeOut = Math.min(1.5, d / 4);
  graph.lines.push(
    `[${graph.input}:a]atrim=0:${num(d)},asetpts=PTS-STARTPTS,${musicGainFilter(loudness)},` +
      `aresample=${sampleRate},aformat=sample_fmts=fltp:channel_layouts=stereo,` +
      `afade=t=in:st=0:d=${num(Math.min(0.5, d / 4))},afade=t=out:st=${num(d - fadeOut)}:d=${num(fadeOut)}[aout];`,
  );
  graph.input += 1;
}

/** Measures the music over the ad's length (audio only: milliseconds next to the video encode). */
export async function measureMusic(path: string, duration: number, signal?: AbortSignal): Promise<MusicLoudness | undefined> {
  const { stderr } = await runFfmpeg(
    [
      '-loglevel',
      'info',
      '-nostats',
      '-stream_loop',
      '-1',
      '-i',
      path,
      '-vn',
      '-af',
      `atrim=0:${num(duration)},loudnorm=I=${MUSIC_LUFS}:TP=${MUSIC_TRUE_PEAK}:LRA=11:print_format=json`,
      '-f',
      'null',
      '-',
    ],
    { signal },
  );
  const json = /\{[^{}]*"input_i"[^{}]*\}/.exec(stderr);
  if (!json) return undefined;
  const raw = JSON.parse(json[0]) as Record<string, unknown>;
  const pick = (k: string) => {
    const v = String(raw[k] ?? '');
    // Silence measures as -inf: no gain can fix that, so fall back to the dynamic mode.
    if (!/^-?\d+(\.\d+)?$/.test(v)) throw new Error('unmeasurable');
    return v;
  };
  try {
    return {
      input_i: pick('input_i'),
      input_tp: pick('input_tp'),
      input_lra: pick('input_lra'),
      input_thresh: pick('input_thresh'),
      target_offset: pick('target_offset'),
    };
  } catch {
    return undefined;
  }
}

/** Fails clearly when the campaign's music is not audio ffmpeg can read. */
export async function assertAudio(path: string): Promise<void> {
  const probe = await probeMedia(path).catch((error: unknown) => {
    throw new MusicError(`The campaign music ${path} cannot be read (${(error as Error).message.split('\n')[0]}): use an MP3, AAC/M4A, WAV or OGG file.`, {
      cause: error,
    });
  });
  if (!probe.audio) throw new MusicError(`The campaign music ${path} has no audio stream: use an MP3, AAC/M4A, WAV or OGG file.`);
}
