import type { RendererSettings } from '#domain/model/campaign';
import type { RenderJob, RenderState } from '#domain/model/render-job';

/** What a render endpoint is asked for: the provider-neutral job with this attempt's seed and the product photo. */
export interface SubmitRequest {
  job: RenderJob;
  /** This attempt's seed (the job's seed for attempt 1, the next seeds after failed QC). */
  seed: number;
  /** Stable per (renderHash, attempt): providers that dedupe on it never start the same attempt twice. */
  idempotencyKey: string;
  /** The real product photo (image-to-video); absent for typographic shots. */
  image?: { bytes: Buffer; contentType: string };
}

/** A provider job's state in canonical terms. */
export interface JobStatus {
  state: RenderState;
  /** Where the finished video is (https URL, data: URL or s3:// URI), when SUCCEEDED. */
  outputUrl?: string;
  error?: string;
  /** Compute seconds the provider reports (billing on hardware time). */
  computeSeconds?: number;
}

/**
 * The one port to every render endpoint. Narrow on purpose: submit, status, cancel, and fetching a
 * finished output so the use case copies it into the asset store at once (Replicate deletes after 1 h).
 * Adapters throw the errors of render-errors.ts, never provider-specific ones.
 */
export interface RenderClient {
  /** The endpoint kind, as recorded on attempts and in the price table. */
  readonly kind: string;
  submit(request: SubmitRequest): Promise<{ providerJobId: string }>;
  status(providerJobId: string): Promise<JobStatus>;
  cancel(providerJobId: string): Promise<void>;
  fetchOutput(status: JobStatus): Promise<Buffer>;
}

/** Builds the RenderClient for a campaign's renderer settings (secrets come from the host's environment). */
export type RenderClientFactory = (settings: RendererSettings) => RenderClient;
