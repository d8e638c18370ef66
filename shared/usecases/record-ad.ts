import type { AdRecord } from '#domain/model/ad-record';
import type { AdKey, Tracker } from '#ports/tracker';
import { VersionConflictError } from '#ports/tracker';

/**
 * Applies a change to one ad row with a conditional write on its version; on a conflict it re-reads
 * and tries again, so concurrent writers never overwrite each other blindly. The change sees the
 * latest row each time and may return undefined to leave it as it is (another writer already did the work).
 */
export async function updateAd(
  tracker: Tracker,
  key: AdKey,
  change: (current: AdRecord | undefined) => Omit<AdRecord, 'version'> | undefined,
  attempts = 5,
): Promise<AdRecord | undefined> {
  for (let attempt = 1; ; attempt++) {
    const current = await tracker.getAd(key);
    const changed = change(current);
    if (!changed) return undefined;
    const next = { ...changed, version: (current?.version ?? 0) + 1 } as AdRecord;
    try {
      await tracker.putAd(next, current?.version);
      return next;
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= attempts) throw error;
    }
  }
}

/** True when the row already shows this exact input published: writing it again would publish a duplicate. */
export function isPublishedFrom(current: AdRecord | undefined, inputHash: string, generation = 0): boolean {
  // A refresh for age re-renders the same inputs with the next generation: that is a new ad, not a repeat.
  return current?.status === 'published' && current.inputHash === inputHash && (current.generation ?? 0) === generation;
}
