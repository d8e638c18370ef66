import type { AdRecord, RunRecord } from '#domain/model/ad-record';
import type { ProductWatermark } from '#domain/model/product-watermark';
import type { RenderAttempt, RenderResult } from '#domain/model/render-job';

export interface AdKey {
  campaignId: string;
  sku: string;
  templateId: string;
  channel: string;
}

/** The state of every ad, render and run: DynamoDB in AWS, dynalite locally, same adapter. */
export interface Tracker {
  getAd(key: AdKey): Promise<AdRecord | undefined>;
  /**
   * Writes the record if the stored version still equals `expectedVersion` (undefined: must not exist).
   * Throws VersionConflictError otherwise, so two writers never overwrite each other silently.
   */
  putAd(record: AdRecord, expectedVersion: number | undefined): Promise<void>;
  listAds(filter?: { campaignId?: string; runId?: string }): Promise<AdRecord[]>;
  getRender(renderHash: string): Promise<RenderResult | undefined>;
  putRender(result: RenderResult): Promise<void>;
  /** The renders a run produced (their `runId`), for yield and cost figures. */
  listRenders(filter: { runId: string }): Promise<RenderResult[]>;
  /**
   * Records the intent to submit one attempt BEFORE the provider is called (single-item conditional
   * write). False when the row already exists: the caller then reads it instead of paying twice.
   */
  putAttemptIfAbsent(attempt: RenderAttempt): Promise<boolean>;
  getAttempt(renderHash: string, attempt: number): Promise<RenderAttempt | undefined>;
  putAttempt(attempt: RenderAttempt): Promise<void>;
  /** Adds `usd` to the run's render spend unless that would pass `limitUsd` (one conditional update); false then. */
  reserveBudget(runId: string, usd: number, limitUsd: number): Promise<boolean>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  putRun(run: RunRecord): Promise<void>;
  /** Every ad of one product in one campaign (a single-partition read). */
  listProductAds(campaignId: string, sku: string): Promise<AdRecord[]>;
  /**
   * Records a webhook delivery id with a conditional write; false when it was already recorded and has
   * not expired (a duplicate delivery). `expiresAt` also drives the table's TTL.
   */
  claimDelivery(deliveryId: string, expiresAt: Date, now: Date): Promise<boolean>;
  /** Forgets a claimed delivery, so the sender's retry is processed (the work after the claim failed). */
  releaseDelivery(deliveryId: string): Promise<void>;
  getWatermark(sourceId: string): Promise<ProductWatermark | undefined>;
  /**
   * Compare-and-set: writes the watermark only if the stored one is still `expected` (same updatedAt,
   * content hash and deleted flag; null: must not exist), a single-item conditional write. False when
   * another delivery moved it first: re-read and decide again. Without `expected`: unless the stored one is newer.
   */
  putWatermark(watermark: ProductWatermark, expected?: ProductWatermark | null): Promise<boolean>;
}

export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError';
  readonly code = 'VERSION_CONFLICT';
  constructor(
    readonly key: AdKey,
    options?: ErrorOptions,
  ) {
    super(`Ad ${key.campaignId}/${key.sku}/${key.templateId}/${key.channel} was changed by another writer; re-read it and retry.`, options);
  }
}
