import { z } from 'zod';
import { RenderState } from '#domain/model/render-job';
import { httpBytes, httpJson, joinUrl } from './http-json.ts';
import { RenderProviderError } from '#ports/render-errors';
import type { JobStatus, RenderClient, SubmitRequest } from '#ports/render-client';

/** Frames per second adline asks endpoints for; the assembler resamples clips to each channel's rate anyway. */
export const CLIP_FPS = 30;

/** The adline render protocol's job body (docs/render-protocol.md). */
export const ProtocolJobRequest = z.object({
  renderHash: z.string(),
  model: z.string().optional(),
  seed: z.number().int().nonnegative(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  duration: z.number().positive(),
  fps: z.number().int().positive(),
  camera: z.string(),
  focus: z.string(),
  background: z.tuple([z.string(), z.string()]),
  prompt: z.string(),
  negativePrompt: z.string(),
  image: z.object({ contentType: z.string(), data: z.string() }).optional(),
});
export type ProtocolJobRequest = z.infer<typeof ProtocolJobRequest>;

export const ProtocolJob = z.object({
  id: z.string().min(1),
  state: RenderState,
  output: z.object({ url: z.string(), contentType: z.string().optional() }).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  metrics: z.object({ computeSeconds: z.number().nonnegative().optional() }).optional(),
});
export type ProtocolJob = z.infer<typeof ProtocolJob>;

export interface HttpRenderClientOptions {
  endpoint: string;
  model?: string;
  token?: string;
  timeoutMs: number;
}

/** adline's own JSON render protocol (docs/render-protocol.md); `npx adline render-server` is its reference server. */
export class HttpRenderClient implements RenderClient {
  readonly kind = 'http';

  constructor(private readonly options: HttpRenderClientOptions) {}

  private headers(): Record<string, string> {
    return this.options.token ? { authorization: `Bearer ${this.options.token}` } : {};
  }

  async submit(request: SubmitRequest): Promise<{ providerJobId: string }> {
    const { job } = request;
    const body: ProtocolJobRequest = {
      renderHash: job.renderHash,
      model: this.options.model,
      seed: request.seed,
      width: job.width,
      height: job.height,
      duration: job.clip?.seconds ?? job.duration,
      fps: CLIP_FPS,
      camera: job.camera,
      focus: job.focus,
      background: job.background,
      prompt: job.prompt,
      negativePrompt: job.negativePrompt,
      image: request.image ? { contentType: request.image.contentType, data: request.image.bytes.toString('base64') } : undefined,
    };
    const { json } = await httpJson('http', {
      method: 'POST',
      url: joinUrl(this.options.endpoint, 'v1/jobs'),
      body,
      timeoutMs: this.options.timeoutMs,
      headers: { ...this.headers(), 'idempotency-key': request.idempotencyKey },
    });
    return { providerJobId: parseJob(json).id };
  }

  async status(providerJobId: string): Promise<JobStatus> {
    const { json } = await httpJson('http', {
      method: 'GET',
      url: joinUrl(this.options.endpoint, `v1/jobs/${encodeURIComponent(providerJobId)}`),
      headers: this.headers(),
      timeoutMs: this.options.timeoutMs,
    });
    const job = parseJob(json);
    return {
      state: job.state,
      outputUrl: job.output ? new URL(job.output.url, `${this.options.endpoint.replace(/\/+$/, '')}/`).toString() : undefined,
      error: job.error ? `${job.error.code}: ${job.error.message}` : undefined,
      computeSeconds: job.metrics?.computeSeconds,
    };
  }

  async cancel(providerJobId: string): Promise<void> {
    await httpJson('http', {
      method: 'POST',
      url: joinUrl(this.options.endpoint, `v1/jobs/${encodeURIComponent(providerJobId)}/cancel`),
      headers: this.headers(),
      timeoutMs: this.options.timeoutMs,
    });
  }

  async fetchOutput(status: JobStatus): Promise<Buffer> {
    if (!status.outputUrl) throw new RenderProviderError('The render server reported SUCCEEDED without an output URL; it breaks docs/render-protocol.md.');
    return httpBytes('http', status.outputUrl, this.options.timeoutMs * 4, this.headers());
  }
}

function parseJob(json: unknown): ProtocolJob {
  const parsed = ProtocolJob.safeParse(json);
  if (!parsed.success)
    throw new RenderProviderError(
      `The render server answered with a job that breaks docs/render-protocol.md: ` +
        `${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}
