import type { AdRecord } from '#domain/ad-record';
import type { AdKey, Tracker } from '#ports/tracker';
import { VersionConflictError } from '#ports/tracker';

/**
 * Applies a change to one ad row with a conditional write on its version; on a conflict it re-reads
 * and tries again, so concurrent writers never overwrite each other blindly.
 */
export async function updateAd(
  tracker: Tracker,
  key: AdKey,
  change: (current: AdRecord | undefined) => Omit<AdRecord, 'version'>,
  attempts = 5,
): Promise<AdRecord> {
  for (let attempt = 1; ; attempt++) {
    const current = await tracker.getAd(key);
    const next = { ...change(current), version: (current?.version ?? 0) + 1 } as AdRecord;
    try {
      await tracker.putAd(next, current?.version);
      return next;
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= attempts) throw error;
    }
  }
}
