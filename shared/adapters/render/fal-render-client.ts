import { z } from 'zod';
import type { ModelProfile } from '#domain/render/model-profile';
import { httpBytes, httpJson, joinUrl } from './http-json.ts';
import { buildModelInput } from '#domain/render/profile-request';
import { RenderConfigError, RenderProviderError } from '#ports/render-errors';
import type { JobStatus, RenderClient, SubmitRequest } from '#ports/render-client';

const Submitted = z
  .object({
    request_id: z.string().min(1),
    status_url: z.string().optional(),
    response_url: z.string().optional(),
    cancel_url: z.string().optional(),
  })
  .loose();
/** What adline keeps as the provider job id: the request id and the URLs fal handed back for it. */
const FalRef = z.object({ id: z.string(), status: z.string(), response: z.string(), cancel: z.string() });
const QueueStatus = z.object({ status: z.enum(['IN_QUEUE', 'IN_PROGRESS', 'COMPLETED']) }).loose();
// Video models answer {video: {url}}; some image-to-video apps answer {videos: [{url}]}.
const Result = z
  .object({
    video: z.object({ url: z.string() }).loose().optional(),
    videos: z.array(z.object({ url: z.string() }).loose()).optional(),
  })
  .loose();

export interface FalOptions {
  /** https://queue.fal.run, or a local stand-in in tests. */
  endpoint: string;
  /** e.g. fal-ai/kling-video/v2.1/standard/image-to-video */
  model: string;
  key: string;
  timeoutMs: number;
  /** The model profile the request is built from. */
  profile: ModelProfile;
}

/** fal's queue API: submit, status, result, cancel (https://docs.fal.ai/model-endpoints/queue). */
export class FalRenderClient implements RenderClient {
  readonly kind = 'fal';
  /** Status, result and cancel paths leave out the model's subpath: only owner/app. */
  private readonly app: string;

  constructor(private readonly options: FalOptions) {
    const parts = options.model.split('/');
    if (parts.length < 2) throw new RenderConfigError(`fal model "${options.model}" is not "owner/app[/subpath]": set renderer.model.`);
    this.app = parts.slice(0, 2).join('/');
  }

  private headers(): Record<string, string> {
    return { authorization: `Key ${this.options.key}` };
  }

  /** The URLs of a request: the ones fal returned at submit; for an id stored before that, the documented paths. */
  private ref(providerJobId: string): z.infer<typeof FalRef> {
    if (providerJobId.startsWith('{')) return FalRef.parse(JSON.parse(providerJobId));
    const base = joinUrl(this.options.endpoint, `${this.app}/requests/${encodeURIComponent(providerJobId)}`);
    return { id: providerJobId, status: `${base}/status`, response: base, cancel: `${base}/cancel` };
  }

  async submit(request: SubmitRequest): Promise<{ providerJobId: string }> {
    const body = buildModelInput(this.options.profile, request.job, request.seed, request.image);
    const { json } = await httpJson('fal', {
      method: 'POST',
      url: joinUrl(this.options.endpoint, this.options.model),
      body,
      headers: this.headers(),
      timeoutMs: this.options.timeoutMs,
    });
    const parsed = Submitted.safeParse(json);
    if (!parsed.success) throw new RenderProviderError('fal answered the submit without a request_id.');
    const { request_id: id, status_url, response_url, cancel_url } = parsed.data;
    // Use what fal returned: status and result paths leave out the model's subpath, and fal may change them.
    const fallback = this.ref(id);
    return {
      providerJobId: JSON.stringify({
        id,
        status: status_url || fallback.status,
        response: response_url || fallback.response,
        cancel: cancel_url || fallback.cancel,
      }),
    };
  }

  async status(providerJobId: string): Promise<JobStatus> {
    const ref = this.ref(providerJobId);
    const { json } = await httpJson('fal', { method: 'GET', url: ref.status, headers: this.headers(), timeoutMs: this.options.timeoutMs });
    const parsed = QueueStatus.safeParse(json);
    if (!parsed.success) throw new RenderProviderError(`fal answered a status without a known status: ${JSON.stringify(json).slice(0, 200)}`);
    if (parsed.data.status === 'IN_QUEUE') return { state: 'QUEUED' };
    if (parsed.data.status === 'IN_PROGRESS') return { state: 'RUNNING' };
    // COMPLETED covers failures too: the result request tells which.
    try {
      const result = Result.parse(
        (await httpJson('fal', { method: 'GET', url: ref.response, headers: this.headers(), timeoutMs: this.options.timeoutMs })).json,
      );
      const url = result.video?.url ?? result.videos?.[0]?.url;
      return url ? { state: 'SUCCEEDED', outputUrl: url } : { state: 'FAILED', error: 'fal completed without a video in the result' };
    } catch (error) {
      if (error instanceof RenderProviderError) return { state: 'FAILED', error: error.message };
      throw error;
    }
  }

  async cancel(providerJobId: string): Promise<void> {
    // fal only cancels requests that have not started; a 400 for a running one is not worth failing over.
    await httpJson('fal', { method: 'PUT', url: this.ref(providerJobId).cancel, headers: this.headers(), timeoutMs: this.options.timeoutMs }).catch(
      (error: unknown) => {
        if (!(error instanceof RenderProviderError)) throw error;
      },
    );
  }

  async fetchOutput(status: JobStatus): Promise<Buffer> {
    if (!status.outputUrl) throw new RenderProviderError('fal reported the request completed without a video URL.');
    return httpBytes('fal', status.outputUrl, this.options.timeoutMs * 4);
  }
}
