import type { AdRecord } from '#domain/model/ad-record';

export type Staleness = { stale: false } | { stale: true; reason: 'new' | 'not-published' | 'inputs-changed' | 'too-old'; generation: number };

const DAY_MS = 86_400_000;

/**
 * Whether an ad must be rendered again. Its inputHash covers the product content, the template and
 * channel-spec versions, the brand kit and the planner, so any change there shows as 'inputs-changed'.
 * A published ad older than the campaign's max age is 'too-old' and gets the next generation, which the
 * planner mixes into its seeds: fresh creative against ad fatigue, from the same inputs.
 */
export function adStaleness(ad: AdRecord | undefined, inputHash: string, now: Date, maxAgeDays?: number): Staleness {
  const generation = ad?.generation ?? 0;
  if (!ad) return { stale: true, reason: 'new', generation: 0 };
  if (ad.status !== 'published') return { stale: true, reason: 'not-published', generation };
  if (ad.inputHash !== inputHash) return { stale: true, reason: 'inputs-changed', generation };
  const published = Date.parse(ad.publishedAt ?? ad.updatedAt);
  if (maxAgeDays !== undefined && Number.isFinite(published) && now.getTime() - published > maxAgeDays * DAY_MS) {
    return { stale: true, reason: 'too-old', generation: generation + 1 };
  }
  return { stale: false };
}
