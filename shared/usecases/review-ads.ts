import { z } from 'zod';
import type { AdRecord } from '#domain/model/ad-record';
import { productFileKey, storyboardFileKey } from '#domain/model/asset-keys';
import { applyReview, ReviewActionKind, ReviewError, reviewLabel, type ReviewLabel } from '#domain/delivery/review-rules';
import type { Campaign } from '#domain/model/campaign';
import type { AssetStore } from '#ports/asset-store';
import type { Tracker } from '#ports/tracker';
import { writeFeeds, type FeedDeps, type FeedUrls } from './delivery-feeds.ts';
import { loadProduct, loadStoryboard } from './load-documents.ts';
import { loadOverrides } from './plan-product.ts';
import { updateAd } from './record-ad.ts';

const Id = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'letters, digits, dot, dash or underscore');

/** One review target: a variant (sku + template + channel), or every variant of a product (sku alone). */
export const ReviewTarget = z.object({ sku: Id, templateId: Id.optional(), channel: Id.optional() }).strict();
export type ReviewTarget = z.infer<typeof ReviewTarget>;

/** A reviewer's decision on one or many ads (bulk): approve, reject with a reason, or reopen. */
export const ReviewRequest = z
  .object({
    action: ReviewActionKind,
    reason: z.string().trim().max(500).optional(),
    targets: z.array(ReviewTarget).min(1).max(1000),
  })
  .strict()
  .refine((r) => r.action !== 'reject' || !!r.reason, { message: 'a rejection needs a reason', path: ['reason'] });
export type ReviewRequest = z.infer<typeof ReviewRequest>;

export interface ReviewOutcome {
  changed: number;
  /** Per ad that could not take the decision, and why (the rest went through). */
  errors: Array<{ sku: string; templateId?: string; channel?: string; reason: string }>;
}

/** Applies a decision to every targeted ad (conditional writes), then rebuilds the campaign's feeds. */
export async function reviewAds(deps: FeedDeps, input: { campaignId: string; request: ReviewRequest; by: string; urls: FeedUrls }): Promise<ReviewOutcome> {
  const { campaignId, request, by } = input;
  const now = deps.now().toISOString();
  let changed = 0;
  const errors: ReviewOutcome['errors'] = [];
  for (const target of request.targets) {
    const ads = (await deps.tracker.listProductAds(campaignId, target.sku)).filter(
      (ad) => (!target.templateId || ad.templateId === target.templateId) && (!target.channel || ad.channel === target.channel),
    );
    if (ads.length === 0) errors.push({ ...target, reason: 'no such ad in this campaign' });
    for (const ad of ads) {
      try {
        // A product-wide decision skips what cannot be reviewed (failed, retired); a named variant reports it.
        if (!target.templateId && ad.status !== 'published') continue;
        const written = await updateAd(deps.tracker, ad, (current) =>
          current ? applyReview(current, request.action, { by, reason: request.reason, now }) : undefined,
        );
        if (written) changed += 1;
      } catch (error) {
        if (!(error instanceof ReviewError)) throw error;
        errors.push({ sku: ad.sku, templateId: ad.templateId, channel: ad.channel, reason: error.message });
      }
    }
  }
  await writeFeeds(deps, campaignId, input.urls);
  return { changed, errors };
}

export interface ShotFigures {
  index: number;
  role: string;
  renderer: string;
  attempts: number;
  fallback: boolean;
  renderSeconds: number;
  costUsd: number;
  qcFailures: string[];
}

export interface AdView {
  templateId: string;
  channel: string;
  status: ReviewLabel;
  reason?: string;
  review?: AdRecord['review'];
  video?: string;
  poster?: string;
  /** Where the browser loads the media: presigned in AWS (the bucket stays private), the server's path locally. */
  videoUrl?: string;
  posterUrl?: string;
  durationSeconds?: number;
  bytes?: number;
  take?: number;
  takes: number;
  encodeSeconds?: number;
  /** Render cost of the ad's shots in USD (a shot shared with sibling placements counts in full for each). */
  costUsd: number;
  renderSeconds: number;
  shots: ShotFigures[];
}

export interface ProductView {
  sku: string;
  title: string;
  headline: string;
  features: string[];
  cta: string;
  copyEdited: boolean;
  ads: AdView[];
}

export interface CampaignView {
  campaign: { id: string; name: string; autoApprove: boolean; templates: string[]; channels: string[] };
  products: ProductView[];
}

/** Everything the review app shows for one campaign: products, their variants per placement, review state, QC figures and cost. */
export async function campaignReview(deps: { store: AssetStore; tracker: Tracker }, campaign: Campaign): Promise<CampaignView> {
  // Short-lived links for the reviewer's browser where the store signs (S3); same-origin paths locally.
  const mediaUrl = (key: string) => (deps.store.signedUrl ? deps.store.signedUrl(key, 3600) : Promise.resolve(`/${key}`));
  const ads = await deps.tracker.listAds({ campaignId: campaign.id });
  const bySku = new Map<string, AdRecord[]>();
  for (const ad of ads) bySku.set(ad.sku, [...(bySku.get(ad.sku) ?? []), ad]);
  const products: ProductView[] = [];
  for (const [sku, rows] of bySku) {
    const latest = rows.find((r) => r.productHash) ?? rows[0]!;
    const product = latest.productHash ? await loadProduct(deps.store, productFileKey(sku, latest.productHash)).catch(() => undefined) : undefined;
    const overrides = await loadOverrides(deps.store, campaign.id, sku).catch(() => undefined);
    products.push({
      sku,
      title: product?.title ?? sku,
      headline: overrides?.copy.headline ?? product?.title ?? sku,
      features: overrides?.copy.features ?? product?.features ?? [],
      cta: overrides?.copy.cta ?? campaign.cta,
      copyEdited: !!overrides && Object.keys(overrides.copy).length > 0,
      ads: await Promise.all(rows.map((ad) => adView(deps, ad, mediaUrl))),
    });
  }
  return {
    campaign: {
      id: campaign.id,
      name: campaign.name,
      autoApprove: campaign.review?.autoApprove ?? false,
      templates: campaign.templates,
      channels: campaign.channels,
    },
    products,
  };
}

async function adView(deps: { store: AssetStore; tracker: Tracker }, ad: AdRecord, mediaUrl: (key: string) => Promise<string>): Promise<AdView> {
  const shots: ShotFigures[] = [];
  if (ad.storyboardHash && ad.status === 'published') {
    const storyboard = await loadStoryboard(deps.store, storyboardFileKey(ad.storyboardHash)).catch(() => undefined);
    for (const shot of storyboard?.shots ?? []) {
      const render = await deps.tracker.getRender(shot.renderHash);
      shots.push({
        index: shot.index,
        role: shot.role,
        renderer: render?.renderer ?? 'procedural',
        attempts: render?.attempts ?? 0,
        fallback: render?.fallback ?? false,
        renderSeconds: render?.renderSeconds ?? 0,
        costUsd: render?.costUsd ?? 0,
        qcFailures: render?.attemptErrors ?? [],
      });
    }
  }
  return {
    templateId: ad.templateId,
    channel: ad.channel,
    status: reviewLabel(ad),
    reason: ad.review?.reason ?? (ad.status === 'published' ? undefined : ad.reason),
    review: ad.review,
    video: ad.status === 'published' ? ad.outputs.video : undefined,
    poster: ad.status === 'published' ? ad.outputs.poster : undefined,
    videoUrl: ad.status === 'published' && ad.outputs.video ? await mediaUrl(ad.outputs.video) : undefined,
    posterUrl: ad.status === 'published' && ad.outputs.poster ? await mediaUrl(ad.outputs.poster) : undefined,
    durationSeconds: ad.durationSeconds,
    bytes: ad.bytes,
    take: ad.takes?.at(-1)?.take,
    takes: ad.takes?.length ?? 0,
    encodeSeconds: ad.timings.encodeSeconds,
    costUsd: shots.reduce((sum, s) => sum + s.costUsd, 0),
    renderSeconds: shots.reduce((sum, s) => sum + s.renderSeconds, 0),
    shots,
  };
}
