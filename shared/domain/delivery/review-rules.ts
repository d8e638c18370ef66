import { z } from 'zod';
import type { AdRecord } from '#domain/model/ad-record';
import { MAX_TAKES, type AdTake, type Review } from '#domain/model/ad-review';
import type { Campaign } from '#domain/model/campaign';

export class ReviewError extends Error {
  override readonly name = 'ReviewError';
  constructor(
    readonly code: 'NOT_REVIEWABLE' | 'REASON_REQUIRED',
    message: string,
  ) {
    super(message);
  }
}

/** What a reviewer may do to an ad: approve, reject (with a reason), or send it back to review. */
export const ReviewActionKind = z.enum(['approve', 'reject', 'reopen']);
export type ReviewActionKind = z.infer<typeof ReviewActionKind>;

/** The label the review app and the status table show: review state for published ads, else the tracker status. */
export type ReviewLabel = 'rendered' | Review['state'] | Exclude<AdRecord['status'], 'published'>;

/** An ad's place in the review flow: rendered (published before review existed), in review, approved, rejected; or its tracker status. */
export function reviewLabel(ad: AdRecord): ReviewLabel {
  if (ad.status !== 'published') return ad.status;
  return ad.review?.state ?? 'rendered';
}

/** The review a freshly published take starts with: in review, or approved when the campaign auto-approves. */
export function initialReview(campaign: Pick<Campaign, 'review'>, now: string): Review {
  return campaign.review?.autoApprove ? { state: 'approved', by: 'auto-approve', at: now, auto: true } : { state: 'in-review', at: now };
}

/** Only a published ad whose current take is approved goes to the ad platforms; rejected and retired never do. */
export function isDeliverable(ad: AdRecord): boolean {
  return ad.status === 'published' && ad.review?.state === 'approved' && !!ad.outputs.video;
}

/**
 * Applies one reviewer decision to an ad row (pure). Only published ads can be reviewed; a rejection
 * needs a reason. The decision is also written on the newest take, so the lineage keeps it.
 */
export function applyReview(ad: AdRecord, action: ReviewActionKind, actor: { by: string; reason?: string; now: string }): Omit<AdRecord, 'version'> {
  if (ad.status !== 'published') {
    throw new ReviewError(
      'NOT_REVIEWABLE',
      `Ad ${ad.sku}/${ad.templateId}/${ad.channel} is ${ad.status}, not rendered: only published ads can be reviewed; re-run it first.`,
    );
  }
  const reason = actor.reason?.trim();
  if (action === 'reject' && !reason) throw new ReviewError('REASON_REQUIRED', 'A rejection needs a reason (what to change), so the team knows what to fix.');
  const review: Review =
    action === 'approve'
      ? { state: 'approved', by: actor.by, at: actor.now }
      : action === 'reject'
        ? { state: 'rejected', by: actor.by, at: actor.now, reason }
        : { state: 'in-review', by: actor.by, at: actor.now };
  const takes = ad.takes?.map((t, i, all) => (i === all.length - 1 ? { ...t, review } : t));
  const { version: _v, ...rest } = ad;
  return { ...rest, review, ...(takes ? { takes } : {}), updatedAt: actor.now };
}

/** The lineage after publishing a new take: the take appended (numbered on from the last), the oldest dropped past MAX_TAKES. */
export function appendTake(previous: readonly AdTake[] | undefined, take: Omit<AdTake, 'take'>): AdTake[] {
  const list = previous ?? [];
  const next = { ...take, take: (list.at(-1)?.take ?? 0) + 1 };
  return [...list, next].slice(-MAX_TAKES);
}

/** Where one take's files live: keyed by the variant hash, so every take keeps its own files while `ads/…` points at the newest. */
export function takeKey(campaignId: string, sku: string, templateId: string, channel: string, variantHash: string, publishedKey: string): string {
  const ext = publishedKey.slice(publishedKey.lastIndexOf('.') + 1);
  return `takes/${campaignId}/${sku}/${templateId}/${channel}/${variantHash.slice(0, 16)}.${ext}`;
}
