import { ChannelSpec } from '#domain/model/channel-spec';
import { CHANNELS } from '#domain/planning/channels';

/** Small versions of real channels (same rules, a fraction of the pixels and seconds) so workflow tests stay fast. */
export function tinyChannel(baseId: string, width: number, height: number, seconds = 3): ChannelSpec {
  const base = CHANNELS.find((c) => c.id === baseId)!;
  const scale = width / base.width;
  return ChannelSpec.parse({
    ...base,
    id: `tiny-${baseId}`,
    name: `${base.name} (test size)`,
    width,
    height,
    family: { id: `tiny-${base.family.id}`, renderWidth: width, renderHeight: height },
    duration: { min: 1, target: seconds, max: Math.max(seconds, 10) },
    safeZone: Object.fromEntries(Object.entries(base.safeZone).map(([k, v]) => [k, Math.round(v * scale)])),
    minTextPx: Math.max(8, Math.round(base.minTextPx * scale)),
  });
}

export const TINY_CHANNELS = [tinyChannel('tiktok', 180, 320), tinyChannel('feed-4x5', 160, 200)];

/**
 * Tiny stand-ins under the built-in ids (a channels file with these replaces the real TikTok and 4:5 feed
 * specs), so commands that name the real channels, such as the README's, run in seconds.
 */
export const TINY_OVERRIDES: ChannelSpec[] = TINY_CHANNELS.map((c) => ChannelSpec.parse({ ...c, id: c.id.replace(/^tiny-/, '') }));
