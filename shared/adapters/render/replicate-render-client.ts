import { z } from 'zod';
import type { RenderState } from '#domain/model/render-job';
import type { ModelProfile } from '#domain/render/model-profile';
import { httpBytes, httpJson, joinUrl } from './http-json.ts';
import { buildModelInput } from '#domain/render/profile-request';
import { RenderConfigError, RenderProviderError } from '#ports/render-errors';
import type { JobStatus, RenderClient, SubmitRequest } from '#ports/render-client';

/** Replicate's prediction object, as far as adline reads it (https://replicate.com/docs/topics/predictions/lifecycle). */
const Prediction = z
  .object({
    id: z.string().min(1),
    status: z.enum(['starting', 'processing', 'succeeded', 'failed', 'canceled', 'aborted']),
    output: z.union([z.string(), z.array(z.string()), z.null()]).optional(),
    error: z.union([z.string(), z.null()]).optional(),
    metrics: z.object({ predict_time: z.number().optional() }).loose().optional(),
  })
  .loose();

// `aborted`: the Cancel-After deadline passed before the prediction started (not charged on public models).
const STATES: Record<z.infer<typeof Prediction>['status'], RenderState> = {
  starting: 'QUEUED',
  processing: 'RUNNING',
  succeeded: 'SUCCEEDED',
  failed: 'FAILED',
  canceled: 'CANCELED',
  aborted: 'EXPIRED',
};

export interface ReplicateOptions {
  /** https://api.replicate.com, or a local stand-in in tests. */
  endpoint: string;
  /** `owner/name` (official model) or `owner/name:version`. */
  model: string;
  token: string;
  timeoutMs: number;
  /** Replicate's Cancel-After deadline, so a prediction stuck in the queue is not started (and billed) late. */
  deadlineSeconds?: number;
  /** The model profile the input is built from. */
  profile: ModelProfile;
}

/** Replicate predictions: create, get, cancel. Outputs are URLs Replicate deletes after an hour. */
export class ReplicateRenderClient implements RenderClient {
  readonly kind = 'replicate';

  constructor(private readonly options: ReplicateOptions) {
    if (!/^[\w.-]+\/[\w.-]+(:[0-9a-f]+)?$/.test(options.model))
      throw new RenderConfigError(`Replicate model "${options.model}" is not "owner/name" or "owner/name:version": set renderer.model.`);
  }

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.options.token}` };
  }

  async submit(request: SubmitRequest): Promise<{ providerJobId: string }> {
    const input = buildModelInput(this.options.profile, request.job, request.seed, request.image);
    const [name, version] = this.options.model.split(':');
    const { url, body } = version
      ? { url: joinUrl(this.options.endpoint, 'v1/predictions'), body: { version, input } }
      : { url: joinUrl(this.options.endpoint, `v1/models/${name}/predictions`), body: { input } };
    const headers = { ...this.headers(), ...(this.options.deadlineSeconds ? { 'cancel-after': `${this.options.deadlineSeconds}s` } : {}) };
    const { json } = await httpJson('replicate', { method: 'POST', url, body, headers, timeoutMs: this.options.timeoutMs });
    return { providerJobId: parse(json).id };
  }

  async status(providerJobId: string): Promise<JobStatus> {
    const { json } = await httpJson('replicate', {
      method: 'GET',
      url: joinUrl(this.options.endpoint, `v1/predictions/${encodeURIComponent(providerJobId)}`),
      headers: this.headers(),
      timeoutMs: this.options.timeoutMs,
    });
    const p = parse(json);
    const output = Array.isArray(p.output) ? p.output[0] : (p.output ?? undefined);
    return { state: STATES[p.status], outputUrl: output, error: p.error ?? undefined, computeSeconds: p.metrics?.predict_time };
  }

  async cancel(providerJobId: string): Promise<void> {
    await httpJson('replicate', {
      method: 'POST',
      url: joinUrl(this.options.endpoint, `v1/predictions/${encodeURIComponent(providerJobId)}/cancel`),
      headers: this.headers(),
      timeoutMs: this.options.timeoutMs,
    });
  }

  async fetchOutput(status: JobStatus): Promise<Buffer> {
    if (!status.outputUrl) throw new RenderProviderError('Replicate reported the prediction succeeded without an output URL.');
    return httpBytes('replicate', status.outputUrl, this.options.timeoutMs * 4);
  }
}

function parse(json: unknown) {
  const parsed = Prediction.safeParse(json);
  if (!parsed.success)
    throw new RenderProviderError(
      `Replicate answered with an unexpected prediction object: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}
