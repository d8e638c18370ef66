import { describe, expect, it } from 'vitest';
import { ChannelSpec } from '#domain/model/channel-spec';
import { CHANNELS, selectChannels, UnknownChannelError } from '#domain/planning/channels';
import { TINY_CHANNELS } from '../support/tiny-channels.ts';

const ISSUE_IDS = [
  'tiktok',
  'reels',
  'stories',
  'feed-1x1',
  'feed-4x5',
  'shorts',
  'youtube-16x9',
  'youtube-bumper',
  'pinterest-2x3',
  'snapchat',
  'x-1x1',
  'banner-300x250',
  'banner-336x280',
  'banner-728x90',
  'banner-300x600',
  'banner-160x600',
  'banner-320x50',
  'banner-320x100',
  'banner-970x250',
];

describe('channel registry', () => {
  it('holds every placement of the issue, once', () => {
    expect(CHANNELS.map((c) => c.id)).toEqual(ISSUE_IDS);
    expect(selectChannels(['all']).map((c) => c.id)).toEqual(ISSUE_IDS);
    expect(() => selectChannels(['tiktok', 'vine'])).toThrow(UnknownChannelError);
  });

  for (const c of CHANNELS) {
    it(`${c.id} is self-consistent`, () => {
      expect(ChannelSpec.parse(c)).toEqual(c);
      const { top, bottom, left, right } = c.safeZone;
      for (const v of [top, bottom, left, right]) expect(v).toBeGreaterThanOrEqual(0);
      // The safe zone lies inside the frame and leaves room for text at the minimum size.
      expect(left + right).toBeLessThan(c.width);
      expect(top + bottom).toBeLessThan(c.height);
      expect(c.height - top - bottom).toBeGreaterThanOrEqual(3 * c.minTextPx);
      expect(c.duration.min).toBeLessThanOrEqual(c.duration.target);
      expect(c.duration.target).toBeLessThanOrEqual(c.duration.max);
      expect(c.sources.length).toBeGreaterThan(0);
      for (const url of c.sources) expect(url).toMatch(/^https:\/\/[a-z0-9.-]+\.[a-z]{2,}\//);
      expect(c.family.renderWidth / c.family.renderHeight).toBeCloseTo(c.width / c.height, 2);
      if (c.kind === 'image') {
        expect(c.maxBytes).toBeLessThanOrEqual(150_000);
        expect(c.id).toBe(`banner-${c.width}x${c.height}`);
        expect(c.image?.formats.length).toBeGreaterThan(0);
      } else {
        expect(c.duration.target).toBeGreaterThan(0);
        expect(Number.isInteger(c.duration.target * c.fps)).toBe(true);
      }
    });
  }

  it('keeps a bumper at 6 s or less and groups channels of one aspect into one family', () => {
    expect(CHANNELS.find((c) => c.id === 'youtube-bumper')!.duration.max).toBeLessThanOrEqual(6);
    const families = new Map<string, string[]>();
    for (const c of CHANNELS.filter((x) => x.kind === 'video')) families.set(c.family.id, [...(families.get(c.family.id) ?? []), c.id]);
    expect(families.get('9:16')).toEqual(['tiktok', 'reels', 'stories', 'shorts', 'snapchat']);
    expect(families.get('1:1')).toEqual(['feed-1x1', 'x-1x1']);
    expect(families.get('16:9')).toEqual(['youtube-16x9', 'youtube-bumper']);
  });

  it('rejects a spec whose durations are out of order', () => {
    expect(() => ChannelSpec.parse({ ...CHANNELS[0], duration: { min: 10, target: 5, max: 60 } })).toThrow(/min ≤ target ≤ max/);
    expect(TINY_CHANNELS.every((c) => ChannelSpec.safeParse(c).success)).toBe(true);
  });
});
