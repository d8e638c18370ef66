import { ChannelSpec } from '#domain/model/channel-spec';

/*
 * The channel registry. Every figure comes from ../shared/reference/channel-specs.md and each spec keeps
 * its sources. Figures marked [D] are adline's own choice where no platform states one (say why beside it).
 * Minimum text sizes are adline's legibility floor ([D]): about 3.7% of a video's short side, which is
 * the size phones render as comfortably readable caption text; banners are sized in CSS pixels (see below).
 */

const FAMILY_9X16 = { id: '9:16', renderWidth: 1080, renderHeight: 1920 };
const FAMILY_4X5 = { id: '4:5', renderWidth: 1080, renderHeight: 1350 };
// X recommends 1200×1200; Meta's 1080×1080 feed is a downscale of the same render.
const FAMILY_1X1 = { id: '1:1', renderWidth: 1200, renderHeight: 1200 };
const FAMILY_16X9 = { id: '16:9', renderWidth: 1920, renderHeight: 1080 };
const FAMILY_2X3 = { id: '2:3', renderWidth: 1000, renderHeight: 1500 };

const H264 = (bitrateKbps: number) => ({ codec: 'h264', profile: 'high', bitrateKbps }) as const;
const AAC = (required: boolean, bitrateKbps = 128) => ({ required, codec: 'aac', sampleRate: 48_000, bitrateKbps }) as const;

const MB = 1024 * 1024;
const GB = 1024 * MB;

const TIKTOK = ['https://ads.tiktok.com/help/article?aid=10002742', 'https://adfuseai.com/blog/tiktok-ad-sizes-specs-guide'];
const META_9X16 = [
  'https://behaviour.digital/post/meta-reels-safe-zone-14-top-35-bottom-6-sides-the-2026-official-guide',
  'https://www.imagefactory.co.kr/en/guides/instagram-story-ad-text-safe-zone',
  'https://primores.org/wiki/marketing/meta-ad-placement-safe-zones/',
  'https://www.xyzlab.com/meta-ads-specs',
];
const META_STORIES = [
  'https://services.warroominc.com/en/knowledgebase/meta-stories-ad-specs',
  'https://odysseymediagroup.co.uk/client-resources/instagram-stories',
];
const META_FEED = [
  'https://noedos.com/resources/guides/meta-ad-creative-video-specs-guide',
  'https://www.imagefactory.co.kr/en/guides/instagram-story-ad-text-safe-zone',
  'https://www.xyzlab.com/meta-ads-specs',
];
const SHORTS = [
  'https://googlesupport.serverhump.com/google-ads/answer/16041697',
  'https://support.google.com/youtube/answer/1722171',
  'https://www.youraithumbnailgenerator.com/guides/youtube-shorts-safe-zones-complete-guide',
];
const YOUTUBE = [
  'https://support.google.com/youtube/answer/2467968',
  'https://support.google.com/youtube/answer/1722171',
  'https://web.tapereal.com/blog/youtube-ad-specs-and-sizes-guide-2024',
];
const PINTEREST = ['https://help.pinterest.com/en/business/article/pinterest-product-specs', 'https://www.ntooitive.com/knowledgebase/social/pinterest/'];
const SNAPCHAT = [
  'https://odysseymediagroup.co.uk/client-resources/snapchat-single-ads',
  'https://audiencex.com/creative-specifications/snapchat/',
  'https://www.ntooitive.com/knowledgebase/social/snapchat/',
];
const X = ['https://marketing.twitter.com/apac/en_gb/solutions/ad-format-specs/promoted-video', 'https://www.xyzlab.com/specs/x-twitter-ads'];
const GOOGLE_DISPLAY = [
  'https://support.google.com/google-ads/answer/7031480',
  'https://auxmode.com/support/image-ads/',
  'https://searchkings.com/display-ad-specs/',
  'https://www.iab.com/newadportfolio',
];

const VIDEO_SPECS = [
  {
    id: 'tiktok',
    name: 'TikTok In-Feed 9:16',
    width: 1080,
    height: 1920,
    family: FAMILY_9X16,
    // 5–60 s per the help page; 15 s is the common direct-response length.
    duration: { min: 5, target: 15, max: 60 },
    maxBytes: 500 * MB,
    video: H264(6000),
    audio: AAC(true),
    // Pixel guide: top 150, bottom 440, right 150; left 64 is adline's margin habit [D].
    safeZone: { top: 150, bottom: 440, left: 64, right: 150 },
    minTextPx: 40,
    sources: TIKTOK,
  },
  {
    id: 'reels',
    name: 'Instagram/Facebook Reels 9:16',
    width: 1080,
    height: 1920,
    family: FAMILY_9X16,
    duration: { min: 1, target: 15, max: 15 * 60 },
    maxBytes: 4 * GB,
    video: H264(6000),
    audio: AAC(true),
    // Top 14% (~270), bottom 35% (~670), sides 6% (~65).
    safeZone: { top: 270, bottom: 670, left: 65, right: 65 },
    minTextPx: 40,
    sources: META_9X16,
  },
  {
    id: 'stories',
    name: 'Instagram/Facebook Stories 9:16',
    width: 1080,
    height: 1920,
    family: FAMILY_9X16,
    // Shown in ~15-s cards.
    duration: { min: 1, target: 15, max: 60 * 60 },
    maxBytes: 4 * GB,
    video: H264(6000),
    audio: AAC(false),
    // Meta unified the Stories and Reels 9:16 safe zone on the Reels values (March 2026): the stricter one.
    safeZone: { top: 270, bottom: 670, left: 65, right: 65 },
    minTextPx: 40,
    sources: [...META_STORIES, ...META_9X16],
  },
  {
    id: 'feed-1x1',
    name: 'Instagram/Facebook Feed 1:1',
    width: 1080,
    height: 1080,
    family: FAMILY_1X1,
    duration: { min: 1, target: 15, max: 241 * 60 },
    maxBytes: 4 * GB,
    video: H264(6000),
    audio: AAC(false),
    safeZone: { top: 64, bottom: 64, left: 64, right: 64 },
    minTextPx: 32,
    sources: META_FEED,
  },
  {
    id: 'feed-4x5',
    name: 'Instagram/Facebook Feed 4:5',
    width: 1080,
    height: 1350,
    family: FAMILY_4X5,
    duration: { min: 1, target: 15, max: 241 * 60 },
    maxBytes: 4 * GB,
    video: H264(6000),
    audio: AAC(false),
    safeZone: { top: 64, bottom: 64, left: 64, right: 64 },
    minTextPx: 32,
    sources: META_FEED,
  },
  {
    id: 'shorts',
    name: 'YouTube Shorts 9:16',
    width: 1080,
    height: 1920,
    family: FAMILY_9X16,
    // Only the first 60 s plays in the Shorts feed; no minimum is stated, 1 s is adline's floor [D].
    duration: { min: 1, target: 15, max: 60 },
    maxBytes: 256 * GB,
    video: H264(8000),
    audio: AAC(true),
    // Bottom ~25% (480) is title and subscribe; the right column of buttons and the top are not given in
    // pixels: 150 right (TikTok's column) and 150 top are adline's [D].
    safeZone: { top: 150, bottom: 480, left: 64, right: 150 },
    minTextPx: 40,
    sources: SHORTS,
  },
  {
    id: 'youtube-16x9',
    name: 'YouTube in-stream 16:9',
    width: 1920,
    height: 1080,
    family: FAMILY_16X9,
    // Skippable after 5 s (a shorter ad makes no sense, [D] min), < 3 min recommended.
    duration: { min: 5, target: 15, max: 180 },
    maxBytes: 256 * GB,
    video: H264(8000),
    audio: AAC(true),
    // Player chrome and the skip button (bottom right) have no published pixels: 180 bottom, 96 elsewhere [D].
    safeZone: { top: 96, bottom: 180, left: 96, right: 96 },
    minTextPx: 36,
    sources: YOUTUBE,
  },
  {
    id: 'youtube-bumper',
    name: 'YouTube bumper 16:9 (≤ 6 s)',
    width: 1920,
    height: 1080,
    family: FAMILY_16X9,
    duration: { min: 1, target: 6, max: 6 },
    maxBytes: 256 * GB,
    video: H264(8000),
    audio: AAC(true),
    safeZone: { top: 96, bottom: 180, left: 96, right: 96 },
    minTextPx: 36,
    sources: YOUTUBE,
  },
  {
    id: 'pinterest-2x3',
    name: 'Pinterest standard video Pin 2:3',
    width: 1000,
    height: 1500,
    family: FAMILY_2X3,
    // 4 s – 15 min, 6–15 s recommended.
    duration: { min: 4, target: 10, max: 15 * 60 },
    maxBytes: 2 * GB,
    video: H264(6000),
    audio: AAC(false),
    // No pixel safe zone is published (the title sits below the Pin): a 5% margin [D].
    safeZone: { top: 50, bottom: 50, left: 50, right: 50 },
    minTextPx: 32,
    sources: PINTEREST,
  },
  {
    id: 'snapchat',
    name: 'Snapchat Single Video 9:16',
    width: 1080,
    height: 1920,
    family: FAMILY_9X16,
    // 3–180 s; the sweet spot is 3–5 s.
    duration: { min: 3, target: 5, max: 180 },
    maxBytes: 1 * GB,
    video: H264(6000),
    audio: AAC(true, 192),
    // 150 px top and bottom; the older spec's 64 px margin all round.
    safeZone: { top: 150, bottom: 150, left: 64, right: 64 },
    minTextPx: 40,
    sources: SNAPCHAT,
  },
  {
    id: 'x-1x1',
    name: 'X Promoted Video 1:1',
    width: 1200,
    height: 1200,
    family: FAMILY_1X1,
    // Up to 2:20, ≤ 15 s recommended; no minimum stated, 1 s is adline's floor [D].
    duration: { min: 1, target: 15, max: 140 },
    maxBytes: 1 * GB,
    video: H264(6000),
    audio: AAC(true),
    // Autoplays muted in the timeline; no UI overlay on 1:1, so the feed's 64 px habit [D].
    safeZone: { top: 64, bottom: 64, left: 64, right: 64 },
    minTextPx: 36,
    sources: X,
  },
];

/*
 * Google Display static banners: each ≤ 150 KB (read as 150,000 bytes, the stricter of KB/KiB).
 * Safe margin [D]: 8 px, or 4 px on banners ≤ 100 px tall — it keeps text off the 1 px border Google
 * requires on white backgrounds and off the rounded corners some slots clip to, without eating a
 * 50-px-tall mobile leaderboard. Minimum text [D]: 12 CSS px (the usual floor for legible display ad
 * copy); 10 px on the 320×50, where two text rows must fit in 42 px.
 */
const BANNER_SIZES: Array<[number, number, string]> = [
  [300, 250, 'Medium rectangle'],
  [336, 280, 'Large rectangle'],
  [728, 90, 'Leaderboard'],
  [300, 600, 'Half page'],
  [160, 600, 'Wide skyscraper'],
  [320, 50, 'Mobile leaderboard'],
  [320, 100, 'Large mobile banner'],
  [970, 250, 'Billboard'],
];

const BANNER_SPECS = BANNER_SIZES.map(([width, height, name]) => {
  const margin = height <= 100 ? 4 : 8;
  return {
    id: `banner-${width}x${height}`,
    kind: 'image',
    name: `Google Display ${name} ${width}×${height}`,
    width,
    height,
    family: { id: `banner-${width}x${height}`, renderWidth: width, renderHeight: height },
    // A still: fps/video/audio are unused; 30 s is Google's cap should a banner ever animate.
    fps: 1,
    duration: { min: 0, target: 0, max: 30 },
    maxBytes: 150_000,
    video: { codec: 'h264', profile: 'main', bitrateKbps: 1 },
    audio: { required: false, codec: 'aac', sampleRate: 0, bitrateKbps: 0 },
    image: { formats: ['jpeg', 'png'] },
    safeZone: { top: margin, bottom: margin, left: margin, right: margin },
    minTextPx: width === 320 && height === 50 ? 10 : 12,
    sources: GOOGLE_DISPLAY,
  };
});

/** The channel registry: every placement adline publishes to, validated at load. */
export const CHANNELS: readonly ChannelSpec[] = [
  ...VIDEO_SPECS.map((spec) => ({ version: 1, kind: 'video', fps: 30, ...spec })),
  ...BANNER_SPECS.map((spec) => ({ version: 1, ...spec })),
].map((spec) => ChannelSpec.parse(spec));

/** Builds a lookup of channel specs by id, with optional extra specs (for example small test sizes). */
export function channelRegistry(extra: readonly ChannelSpec[] = []): ReadonlyMap<string, ChannelSpec> {
  return new Map([...CHANNELS, ...extra].map((spec) => [spec.id, spec]));
}

/** Resolves a command-line channel list: ids, or `all` for every channel (registry order). */
export function selectChannels(ids: readonly string[], registry: ReadonlyMap<string, ChannelSpec> = channelRegistry()): ChannelSpec[] {
  if (ids.includes('all')) return [...registry.values()];
  return ids.map((id) => registry.get(id) ?? unknownChannel(id, registry));
}

/** The spec of one channel id; an id the registry lacks is an UnknownChannelError naming the known ids (never a TypeError). */
export function channelOf(registry: ReadonlyMap<string, ChannelSpec>, id: string): ChannelSpec {
  return registry.get(id) ?? unknownChannel(id, registry);
}

/** A channel id that is not in the registry. */
export class UnknownChannelError extends Error {
  override readonly name = 'UnknownChannelError';
  readonly code = 'CHANNEL_UNKNOWN';
}

function unknownChannel(id: string, registry: ReadonlyMap<string, ChannelSpec>): never {
  throw new UnknownChannelError(`Unknown channel "${id}". Known channels: ${[...registry.keys()].join(', ')} (or "all").`);
}
