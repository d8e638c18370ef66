import type { Tracker } from '#ports/tracker';

/** How long a lease lives if its holder dies without releasing it (a publish or retire takes seconds). */
export const LEASE_SECONDS = 120;
const WAIT_MS = 60_000;

export class ProductBusyError extends Error {
  override readonly name = 'ProductBusyError';
  readonly code = 'PRODUCT_BUSY';
  constructor(readonly leaseId: string) {
    super(
      `Another run is publishing or retiring ${leaseId} for over ${WAIT_MS / 1000} s; ` +
        `the step is retried (if it keeps happening, a holder died: its lease expires after ${LEASE_SECONDS} s).`,
    );
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` while holding the product's lease in one campaign: a single-item conditional write (the
 * delivery-claim record with its TTL, as dynalite has no transactions), released afterwards. Publishing
 * and retiring a product take it, so "is this input still the newest?" is checked and acted on with no
 * other writer in between.
 */
export async function withProductLease<T>(tracker: Tracker, campaignKey: string, sku: string, now: () => Date, fn: () => Promise<T>): Promise<T> {
  const leaseId = `lease#${campaignKey}#${sku}`;
  const deadline = Date.now() + WAIT_MS;
  for (let wait = 10; ; wait = Math.min(wait * 2, 250)) {
    const at = now();
    if (await tracker.claimDelivery(leaseId, new Date(at.getTime() + LEASE_SECONDS * 1000), at)) break;
    if (Date.now() > deadline) throw new ProductBusyError(leaseId);
    await sleep(wait * (0.5 + Math.random()));
  }
  try {
    return await fn();
  } finally {
    await tracker.releaseDelivery(leaseId);
  }
}
