import { z } from 'zod';

/**
 * Review states of a published ad: a rendered ad goes in review (or straight to approved when the
 * campaign auto-approves); a reviewer approves it or rejects it with a reason. Only approved ads are
 * delivered to the ad platforms; a rejected one never is.
 */
export const ReviewState = z.enum(['in-review', 'approved', 'rejected']);
export type ReviewState = z.infer<typeof ReviewState>;

/** The review of one ad's current take: who decided, when, and why (a rejection always has a reason). */
export const Review = z.object({
  state: ReviewState,
  by: z.string().max(200).optional(),
  at: z.string(),
  reason: z.string().max(500).optional(),
  /** Approved by the campaign's `review.autoApprove`, not by a person. */
  auto: z.boolean().optional(),
});
export type Review = z.infer<typeof Review>;

/**
 * One take (generation) of an ad: each published render keeps its own asset keys, so an older take can
 * be rolled back to or paired with the newest for an A/B test; the ad's outputs point at the newest.
 */
export const AdTake = z.object({
  take: z.number().int().positive(),
  /** The creative generation (seed generation) the take was planned with. */
  generation: z.number().int().nonnegative().default(0),
  inputHash: z.string(),
  storyboardHash: z.string().optional(),
  variantHash: z.string().optional(),
  video: z.string(),
  poster: z.string(),
  runId: z.string(),
  publishedAt: z.string(),
  /** What happened to this take in review (the newest take's review is the ad's `review`). */
  review: Review.optional(),
});
export type AdTake = z.infer<typeof AdTake>;

/** Takes kept per ad in the tracker row (DynamoDB items stay far below 400 KB); older ones drop off the list, not the store. */
export const MAX_TAKES = 20;
