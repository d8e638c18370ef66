import type { ChannelSpec } from '#domain/model/channel-spec';
import { probeMedia } from './ffmpeg.ts';
import type { MediaProbe } from './ffmpeg.ts';

export interface VideoValidation {
  ok: boolean;
  /** One readable sentence per broken rule; empty when ok. */
  problems: string[];
  probe: MediaProbe;
}

const DURATION_TOLERANCE = 0.1;
const FPS_TOLERANCE = 0.01;

/** Probes a video and lists every way it breaks the channel spec or misses the expected duration. */
export async function validateVideo(path: string, channel: ChannelSpec, expectedDuration: number): Promise<VideoValidation> {
  const probe = await probeMedia(path);
  const problems: string[] = [];
  const v = probe.video;
  if (!v) {
    problems.push(`The file has no video stream; ${channel.id} needs H.264 video.`);
  } else {
    if (v.codec !== channel.video.codec) problems.push(`Video codec is ${v.codec}, but ${channel.id} needs ${channel.video.codec}.`);
    if (v.profile.toLowerCase() !== channel.video.profile)
      problems.push(`H.264 profile is ${v.profile || 'unknown'}, but ${channel.id} needs ${channel.video.profile}.`);
    if (v.pixFmt !== 'yuv420p') problems.push(`Pixel format is ${v.pixFmt}, but players need yuv420p.`);
    if (v.width !== channel.width || v.height !== channel.height)
      problems.push(`Frame size is ${v.width}×${v.height}, but ${channel.id} needs ${channel.width}×${channel.height}.`);
    if (Math.abs(v.fps - channel.fps) > FPS_TOLERANCE) problems.push(`Frame rate is ${v.fps.toFixed(3)} fps, but ${channel.id} needs ${channel.fps}.`);
  }
  const d = probe.durationSeconds;
  if (Math.abs(d - expectedDuration) > DURATION_TOLERANCE)
    problems.push(`Duration is ${d.toFixed(3)} s, but the storyboard says ${expectedDuration} s (±${DURATION_TOLERANCE}).`);
  if (d < channel.duration.min - DURATION_TOLERANCE || d > channel.duration.max + DURATION_TOLERANCE) {
    problems.push(`Duration ${d.toFixed(3)} s is outside ${channel.id}'s ${channel.duration.min}–${channel.duration.max} s range.`);
  }
  if (channel.audio.required) {
    if (!probe.audio) problems.push(`The file has no audio stream, but ${channel.id} requires one (${channel.audio.codec}).`);
    else if (probe.audio.codec !== channel.audio.codec) problems.push(`Audio codec is ${probe.audio.codec}, but ${channel.id} needs ${channel.audio.codec}.`);
  }
  if (probe.bytes > channel.maxBytes) problems.push(`File is ${probe.bytes} bytes, above ${channel.id}'s ${channel.maxBytes}-byte cap.`);
  return { ok: problems.length === 0, problems, probe };
}
