import { z } from 'zod';
import { AdTake, Review } from './ad-review.ts';
import { TextNotice } from './text-notices.ts';

export const AdStatus = z.enum(['planned', 'rendering', 'published', 'failed', 'retired']);
export type AdStatus = z.infer<typeof AdStatus>;

/** One row per (campaign, product, template, channel). */
export const AdRecord = z.object({
  schemaVersion: z.literal(1),
  campaignId: z.string(),
  sku: z.string(),
  templateId: z.string(),
  channel: z.string(),
  status: AdStatus,
  /** Hash of everything that decides the ad's content: equal means re-running would change nothing. */
  inputHash: z.string(),
  /** Creative generation: bumped when the ad is re-rendered for age (fresh seeds, same inputs). */
  generation: z.number().int().nonnegative().optional(),
  productHash: z.string().optional(),
  storyboardHash: z.string().optional(),
  variantHash: z.string().optional(),
  outputs: z.object({ video: z.string().optional(), poster: z.string().optional(), manifest: z.string().optional() }).default({}),
  reason: z.string().optional(),
  runId: z.string(),
  executionId: z.string().optional(),
  version: z.number().int().nonnegative(),
  attempts: z.number().int().nonnegative().default(0),
  bytes: z.number().int().nonnegative().optional(),
  durationSeconds: z.number().nonnegative().optional(),
  timings: z.record(z.string(), z.number()).default({}),
  /** The creative QC's verdict (product share, text over product, contrast, flat share) and its report's key. */
  creative: z
    .object({
      ok: z.boolean(),
      reportKey: z.string(),
      failures: z.array(z.string()),
      figures: z.record(z.string(), z.number()),
      relayouts: z.number().int().optional(),
    })
    .optional(),
  updatedAt: z.string(),
  publishedAt: z.string().optional(),
  /** Review of the current take (absent on rows published before review states existed: treated as rendered). */
  review: Review.optional(),
  /** Lineage: every published take of this ad, oldest first, each with its own keys. */
  takes: z.array(AdTake).optional(),
});
export type AdRecord = z.infer<typeof AdRecord>;

/** The record of one run: what it counted, and the catalog rows it rejected before any ad existed. */
export const RunRecord = z.object({
  schemaVersion: z.literal(1),
  runId: z.string(),
  campaignId: z.string(),
  executionId: z.string().optional(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  /** Ads skipped because the tracker shows them published from the same inputs. */
  unchanged: z.number().int().nonnegative().default(0),
  counts: z
    .object({ products: z.number().int(), published: z.number().int(), unchanged: z.number().int(), failed: z.number().int(), rejected: z.number().int() })
    .optional(),
  /**
   * The first rejected rows (at most REJECTED_IN_RECORD, reasons clipped): the full list is the report in
   * the store (`report`), so no number of rejections can push this item past DynamoDB's 400 KB.
   */
  rejected: z.array(z.object({ row: z.number().int(), sku: z.string().optional(), reason: z.string() })).default([]),
  /** How many rows were rejected in all (absent in older records: the length of `rejected`). */
  rejectedCount: z.number().int().nonnegative().optional(),
  /** The validation report's key in the asset store: every rejected row with its reason. */
  report: z.string().optional(),
  /** Copy the fonts cannot draw: product, field, script and what the ads show instead. */
  textNotices: z.array(TextNotice).optional(),
});

/** Rejected rows a run record (and a run summary) carries inline; the rest are in the report. */
export const REJECTED_IN_RECORD = 20;
export type RunRecord = z.infer<typeof RunRecord>;
