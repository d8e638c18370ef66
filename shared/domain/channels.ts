import { ChannelSpec } from './channel-spec.ts';

const FAMILY_9X16 = { id: '9:16', renderWidth: 1080, renderHeight: 1920 };
const FAMILY_4X5 = { id: '4:5', renderWidth: 1080, renderHeight: 1350 };

const H264_AAC = { codec: 'h264', profile: 'high' } as const;
const STEREO_AAC = { required: true, codec: 'aac', sampleRate: 48_000, bitrateKbps: 128 } as const;

/** The channel registry. Figures come from ../shared/reference/channel-specs.md; sources are kept per spec. */
export const CHANNELS: readonly ChannelSpec[] = [
  {
    id: 'tiktok',
    name: 'TikTok In-Feed 9:16',
    version: 1,
    kind: 'video',
    width: 1080,
    height: 1920,
    family: FAMILY_9X16,
    fps: 30,
    duration: { min: 5, target: 15, max: 60 },
    maxBytes: 500 * 1024 * 1024,
    video: { ...H264_AAC, bitrateKbps: 6000 },
    audio: STEREO_AAC,
    // Pixel guide: top 150, bottom 440, right 150; left 64 is adline's own margin habit.
    safeZone: { top: 150, bottom: 440, left: 64, right: 150 },
    minTextPx: 40,
    sources: ['https://ads.tiktok.com/help/article?aid=10002742', 'https://adfuseai.com/blog/tiktok-ad-sizes-specs-guide'],
  },
  {
    id: 'feed-4x5',
    name: 'Instagram/Facebook Feed 4:5',
    version: 1,
    kind: 'video',
    width: 1080,
    height: 1350,
    family: FAMILY_4X5,
    fps: 30,
    duration: { min: 1, target: 15, max: 241 * 60 },
    maxBytes: 4 * 1024 * 1024 * 1024,
    video: { ...H264_AAC, bitrateKbps: 6000 },
    audio: STEREO_AAC,
    safeZone: { top: 64, bottom: 64, left: 64, right: 64 },
    minTextPx: 32,
    sources: ['https://www.imagefactory.co.kr/en/guides/instagram-story-ad-text-safe-zone', 'https://www.xyzlab.com/meta-ads-specs'],
  },
].map((spec) => ChannelSpec.parse(spec));

/** Builds a lookup of channel specs by id, with optional extra specs (for example small test sizes). */
export function channelRegistry(extra: readonly ChannelSpec[] = []): ReadonlyMap<string, ChannelSpec> {
  return new Map([...CHANNELS, ...extra].map((spec) => [spec.id, spec]));
}
