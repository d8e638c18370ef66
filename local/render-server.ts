import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CameraMove, Focus } from '#domain/model/template';
import { RenderJob, type RenderState } from '#domain/model/render-job';
import { renderPlate } from '#media/procedural-plate';
import { ProtocolJobRequest, type ProtocolJob } from '#adapters/render/http-render-client';
import { encodePlateClip } from '#media/plate-clip';
import { MIME } from '#domain/model/content-types';

/** One job the server holds. */
export interface ServerJob {
  id: string;
  idempotencyKey: string;
  /** 1 for the first idempotency key seen for a renderHash, 2 for the next, … (what a retry with the next seed is). */
  attempt: number;
  request: ProtocolJobRequest;
  state: RenderState;
  outputPath?: string;
  error?: { code: string; message: string };
  computeSeconds?: number;
}

/** An HTTP failure the fault hooks can answer with instead of the real response. */
export type HttpFault = { status: number; retryAfter?: number; body?: unknown } | 'hang';

/**
 * Hooks for tests (a fault-injecting server is this server with hooks): answer a submit or status with
 * an HTTP fault, or produce a job's output differently. Undefined means "behave normally".
 */
export interface RenderServerHooks {
  onSubmit?(request: ProtocolJobRequest, attempt: number, idempotencyKey: string): HttpFault | undefined;
  onStatus?(job: ServerJob): HttpFault | undefined;
  /**
   * Writes the job's clip to outPath (`render` is the normal renderer, with request fields overridden),
   * or returns 'never' to leave the job running forever, or 'fail' to fail it.
   */
  produce?(job: ServerJob, outPath: string, render: (overrides?: Partial<ProtocolJobRequest>) => Promise<void>): Promise<void | 'never' | 'fail'>;
}

export interface RenderServerOptions {
  port?: number;
  /** Jobs rendered at once (each is a sharp plate plus a short ffmpeg encode). */
  concurrency?: number;
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  token?: string;
  hooks?: RenderServerHooks;
}

export interface RenderServer {
  url: string;
  port: number;
  /** Every job created, in order (an idempotent resubmit creates none). */
  jobs: ServerJob[];
  /** Submit requests received, including idempotent repeats and faulted ones. */
  submitRequests: number;
  close(): Promise<void>;
}

const JSON_HEADERS = { 'content-type': MIME.json };

/**
 * The reference server of adline's render protocol (docs/render-protocol.md): renders procedural plates
 * and encodes them with their camera move into short MP4 clips, so the http render path runs for real.
 * Binds 127.0.0.1 only.
 */
export async function startRenderServer(options: RenderServerOptions = {}): Promise<RenderServer> {
  const workDir = await mkdtemp(join(tmpdir(), 'adline-render-server-'));
  const byId = new Map<string, ServerJob>();
  const byKey = new Map<string, ServerJob>();
  const attemptsByHash = new Map<string, Map<string, number>>();
  const hanging = new Set<ServerResponse>();
  const queue: ServerJob[] = [];
  let running = 0;
  const concurrency = options.concurrency ?? 2;
  const hooks = options.hooks ?? {};
  const state: RenderServer = { url: '', port: 0, jobs: [], submitRequests: 0, close: async () => {} };

  const attemptOf = (renderHash: string, key: string): number => {
    const keys = attemptsByHash.get(renderHash) ?? new Map<string, number>();
    attemptsByHash.set(renderHash, keys);
    if (!keys.has(key)) keys.set(key, keys.size + 1);
    return keys.get(key)!;
  };

  const produceNormal =
    (job: ServerJob, outPath: string) =>
    async (overrides: Partial<ProtocolJobRequest> = {}) => {
      const r = { ...job.request, ...overrides };
      const renderJob = RenderJob.parse({
        schemaVersion: 1,
        renderHash: r.renderHash,
        family: 'http',
        width: r.width,
        height: r.height,
        duration: r.duration,
        camera: CameraMove.catch('static').parse(r.camera),
        focus: Focus.catch('center').parse(r.focus),
        background: r.background,
        seed: r.seed,
        prompt: r.prompt,
        negativePrompt: r.negativePrompt,
      });
      const platePath = join(workDir, `${job.id}.png`);
      await renderPlate({ job: renderJob, image: r.image ? Buffer.from(r.image.data, 'base64') : undefined, outPath: platePath });
      await encodePlateClip({ platePath, camera: renderJob.camera, width: r.width, height: r.height, duration: r.duration, fps: r.fps, outPath });
      await rm(platePath, { force: true });
    };

  const pump = () => {
    while (running < concurrency && queue.length > 0) {
      const job = queue.shift()!;
      running += 1;
      job.state = 'RUNNING';
      const started = performance.now();
      const outPath = join(workDir, `${job.id}.mp4`);
      const normal = produceNormal(job, outPath);
      (hooks.produce ? hooks.produce(job, outPath, normal) : normal())
        .then((outcome) => {
          if (outcome === 'never') return;
          if (outcome === 'fail') {
            job.state = 'FAILED';
            job.error = { code: 'MODEL_ERROR', message: 'the model failed on this input' };
            return;
          }
          job.outputPath = outPath;
          job.computeSeconds = Math.round(performance.now() - started) / 1000;
          job.state = 'SUCCEEDED';
        })
        .catch((error: Error) => {
          job.state = 'FAILED';
          job.error = { code: 'RENDER_FAILED', message: error.message.slice(0, 300) };
        })
        .finally(() => {
          running -= 1;
          pump();
        });
    }
  };

  const view = (job: ServerJob): ProtocolJob => ({
    id: job.id,
    state: job.state,
    ...(job.state === 'SUCCEEDED' ? { output: { url: `/v1/jobs/${job.id}/output`, contentType: MIME.mp4 } } : {}),
    ...(job.error ? { error: job.error } : {}),
    ...(job.computeSeconds !== undefined ? { metrics: { computeSeconds: job.computeSeconds } } : {}),
  });

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { ...JSON_HEADERS, ...headers }).end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) =>
    send(res, status, { error: { code, message } }, headers);
  const applyFault = (res: ServerResponse, fault: HttpFault): void => {
    if (fault === 'hang') {
      hanging.add(res); // never answered; destroyed on close
      return;
    }
    send(
      res,
      fault.status,
      fault.body ?? { error: { code: fault.status === 429 ? 'RATE_LIMITED' : 'UNAVAILABLE', message: `injected HTTP ${fault.status}` } },
      fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {},
    );
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) return fail(res, 401, 'UNAUTHORIZED', 'missing or wrong bearer token');
    const match = /^\/v1\/jobs(?:\/([^/]+))?(?:\/(cancel|output))?$/.exec(url.pathname);
    if (!match) return fail(res, 404, 'NOT_FOUND', `no route ${req.method} ${url.pathname}`);
    const [, id, action] = match;
    if (!id && req.method === 'POST') {
      state.submitRequests += 1;
      const key = String(req.headers['idempotency-key'] ?? '');
      if (!key) return fail(res, 400, 'IDEMPOTENCY_KEY_REQUIRED', 'send an Idempotency-Key header');
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req));
      } catch {
        return fail(res, 400, 'BAD_JSON', 'the body is not JSON');
      }
      const parsed = ProtocolJobRequest.safeParse(body);
      if (!parsed.success) return fail(res, 400, 'BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const existing = byKey.get(key);
      if (existing) return send(res, 200, view(existing));
      const attempt = attemptOf(parsed.data.renderHash, key);
      const fault = hooks.onSubmit?.(parsed.data, attempt, key);
      if (fault) return applyFault(res, fault);
      const job: ServerJob = { id: randomUUID(), idempotencyKey: key, attempt, request: parsed.data, state: 'QUEUED' };
      byId.set(job.id, job);
      byKey.set(key, job);
      state.jobs.push(job);
      queue.push(job);
      pump();
      return send(res, 201, view(job));
    }
    const job = id ? byId.get(id) : undefined;
    if (!job) return fail(res, 404, 'JOB_NOT_FOUND', `no job ${id}`);
    if (req.method === 'GET' && !action) {
      const fault = hooks.onStatus?.(job);
      if (fault) return applyFault(res, fault);
      return send(res, 200, view(job));
    }
    if (req.method === 'POST' && action === 'cancel') {
      if (job.state === 'QUEUED' || job.state === 'RUNNING') {
        job.state = 'CANCELED';
        const queued = queue.indexOf(job);
        if (queued >= 0) queue.splice(queued, 1);
      }
      return send(res, 202, view(job));
    }
    if (req.method === 'GET' && action === 'output') {
      if (job.state !== 'SUCCEEDED' || !job.outputPath) return fail(res, 409, 'NOT_READY', `job ${job.id} is ${job.state}`);
      const bytes = await readFile(job.outputPath);
      res.writeHead(200, { 'content-type': MIME.mp4, 'content-length': String(bytes.length) }).end(bytes);
      return;
    }
    return fail(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here`);
  }

  await mkdir(workDir, { recursive: true });
  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => fail(res, 500, 'INTERNAL', error.message));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  state.port = port;
  state.url = `http://127.0.0.1:${port}`;
  state.close = async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(workDir, { recursive: true, force: true });
  };
  return state;
}

/** Reads a request body, capped at 32 MiB (a product photo travels base64-encoded inside it). */
async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 32 * 1024 * 1024) throw new Error('request body over 32 MiB');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
