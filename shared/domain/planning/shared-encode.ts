import type { ChannelSpec } from '#domain/model/channel-spec';
import { contentHash } from '#domain/hash';
import type { Storyboard } from '#domain/model/storyboard';
import { outputKind } from '#domain/model/output-kinds';

/*
 * Shared encodes. Video placements of one size, frame rate and codec profile (TikTok, Reels, Stories,
 * Shorts and Snapchat at 1080×1920) are laid out once for the union of their safe zones, at a duration
 * every one of them accepts, and encoded with settings every one of them accepts: their storyboards then
 * differ only in the placement's name, so one encode is published under each placement's key.
 */

/** Placements that can share an encode with `channel`: the channels of its kind among `siblings` with its size, fps and codecs (itself included). */
function candidates(channel: ChannelSpec, siblings: readonly ChannelSpec[]): ChannelSpec[] {
  const same = (c: ChannelSpec) =>
    c.kind === channel.kind &&
    c.width === channel.width &&
    c.height === channel.height &&
    c.fps === channel.fps &&
    c.video.codec === channel.video.codec &&
    c.video.profile === channel.video.profile &&
    c.audio.codec === channel.audio.codec &&
    c.audio.sampleRate === channel.audio.sampleRate;
  const others = siblings.filter((c) => c.id !== channel.id && same(c));
  return [channel, ...others].sort((a, b) => a.id.localeCompare(b.id));
}

/** The most common value (ties: the larger). */
function mode(values: number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0][0];
}

/**
 * The placements that share `channel`'s encode, and the one spec they are planned and encoded with:
 * the union of their safe zones, the largest minimum text size, a duration inside every range (the most
 * common target, clamped), the lowest bitrate and byte cap, the highest audio bitrate, audio if any needs it.
 * Placements with no duration in common do not share (the channel alone, unchanged).
 */
export function sharedEncode(channel: ChannelSpec, siblings: readonly ChannelSpec[]): { members: string[]; spec: ChannelSpec } {
  if (!outputKind(channel.kind).sharesEncodes) return { members: [channel.id], spec: channel };
  const group = candidates(channel, siblings);
  const lo = Math.max(...group.map((c) => c.duration.min));
  const hi = Math.min(...group.map((c) => c.duration.max));
  if (group.length < 2 || lo > hi) return { members: [channel.id], spec: channel };
  const target = Math.min(hi, Math.max(lo, mode(group.map((c) => c.duration.target))));
  const max = (f: (c: ChannelSpec) => number) => Math.max(...group.map(f));
  const min = (f: (c: ChannelSpec) => number) => Math.min(...group.map(f));
  return {
    members: group.map((c) => c.id),
    spec: {
      ...channel,
      duration: { min: lo, target, max: hi },
      safeZone: {
        top: max((c) => c.safeZone.top),
        bottom: max((c) => c.safeZone.bottom),
        left: max((c) => c.safeZone.left),
        right: max((c) => c.safeZone.right),
      },
      minTextPx: max((c) => c.minTextPx),
      maxBytes: min((c) => c.maxBytes),
      video: { ...channel.video, bitrateKbps: min((c) => c.video.bitrateKbps) },
      audio: { ...channel.audio, required: group.some((c) => c.audio.required), bitrateKbps: max((c) => c.audio.bitrateKbps) },
    },
  };
}

/**
 * What an encode is made of, without the placement's name: two placements whose storyboards have the
 * same encode key get byte-identical videos from the assembler, so one encode serves both.
 */
export function encodeKey(storyboard: Storyboard, encodeSpec: Pick<ChannelSpec, 'maxBytes' | 'video' | 'audio'>): string {
  const { hash: _hash, channel: _channel, channelVersion: _version, seed: _seed, ...content } = storyboard;
  return contentHash({ content, encode: { maxBytes: encodeSpec.maxBytes, video: encodeSpec.video, audio: encodeSpec.audio } });
}

/** The encodes a product's planned variants need: one per distinct encode key of the kinds that share encodes (banners are not encodes). */
export function encodeCount(variants: ReadonlyArray<{ storyboard: Storyboard; channel: ChannelSpec }>, siblings: readonly ChannelSpec[]): number {
  return new Set(variants.filter((v) => outputKind(v.channel.kind).sharesEncodes).map((v) => encodeKey(v.storyboard, sharedEncode(v.channel, siblings).spec)))
    .size;
}
