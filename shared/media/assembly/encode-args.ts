import type { ChannelSpec } from '#domain/model/channel-spec';
import type { Timeline } from './assembly-timeline.ts';
import { num } from './filter-numbers.ts';

export interface Rate {
  /** CRF with a peak cap on the first try; average bitrate when a retry must hit a size. */
  mode: 'crf' | 'abr';
  kbps: number;
}

/** The encoder arguments after the filter graph: H.264 at the rate asked for, AAC, the exact frame count and length. */
export function encodeArgs(channel: ChannelSpec, timeline: Timeline, rate: Rate, audioLabel: string): string[] {
  const audioKbps = channel.audio.bitrateKbps > 0 ? channel.audio.bitrateKbps : 128;
  const sampleRate = channel.audio.sampleRate > 0 ? channel.audio.sampleRate : 48000;
  const video =
    rate.mode === 'crf'
      ? ['-crf', '21', '-maxrate', `${rate.kbps}k`, '-bufsize', `${rate.kbps * 2}k`]
      : ['-b:v', `${rate.kbps}k`, '-maxrate', `${rate.kbps}k`, '-bufsize', `${rate.kbps}k`];
  return [
    '-map',
    '[vout]',
    '-map',
    audioLabel,
    '-c:v',
    'libx264',
    '-profile:v',
    channel.video.profile,
    '-pix_fmt',
    'yuv420p',
    '-preset',
    'veryfast',
    ...video,
    '-r',
    String(timeline.fps),
    '-g',
    String(Math.max(1, Math.round(timeline.fps * 2))),
    '-c:a',
    'aac',
    '-b:a',
    `${audioKbps}k`,
    '-ar',
    String(sampleRate),
    '-ac',
    '2',
    '-frames:v',
    String(timeline.totalFrames),
    '-t',
    num(timeline.duration),
    '-movflags',
    '+faststart',
  ];
}
