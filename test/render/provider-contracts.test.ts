import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createH2cServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { planClip } from '#domain/render/model-profile';
import { findProfile } from '#domain/render/models/index';
import { RenderJob } from '#domain/model/render-job';
import { BedrockRenderClient } from '#adapters/render/bedrock-render-client';
import { FalRenderClient } from '#adapters/render/fal-render-client';
import { HttpRenderClient } from '#adapters/render/http-render-client';
import { RenderProviderError, RenderRateLimitedError, RenderTransientError } from '#ports/render-errors';
import type { RenderClient, SubmitRequest } from '#ports/render-client';
import { ReplicateRenderClient } from '#adapters/render/replicate-render-client';
import { S3ObjectIo } from '#adapters/aws/s3-object-io';
import { SageMakerRenderClient } from '#adapters/render/sagemaker-render-client';

/** A provider stand-in on 127.0.0.1: each test sets `route` to answer in the provider's documented shapes. */
type Seen = { method: string; path: string; headers: IncomingMessage['headers']; body: string };
type Route = (req: Seen, res: ServerResponse) => void;
let route: Route = (_req, res) => res.writeHead(500).end();
const seen: Seen[] = [];
let server: Server;
let base: string;

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

const job = RenderJob.parse({
  schemaVersion: 1,
  renderHash: 'abc123',
  family: '9x16',
  width: 180,
  height: 320,
  duration: 1.5,
  camera: 'push-in',
  focus: 'center',
  background: ['#000000', '#ffffff'],
  seed: 7,
  prompt: 'a bottle on a table',
  negativePrompt: 'text',
  clip: { profile: 'fal-kling-v2.1-standard', shotSeconds: 1.5, seconds: 5, fps: 24, width: 720, height: 1280 },
});
/** The job as the planner makes it for a profile (clip request included), and the profile itself. */
const forProfile = (id: string) => {
  const profile = findProfile(id)!;
  return { profile, request: { ...request, job: { ...job, clip: planClip(profile, { seconds: job.duration, width: job.width, height: job.height }) } } };
};
const request: SubmitRequest = {
  job,
  seed: 8,
  idempotencyKey: 'abc123-a2',
  image: { bytes: Buffer.from([0xff, 0xd8, 0xff, 0x00]), contentType: 'image/jpeg' },
};

/** The failure contract every adapter shares: 429 → rate limit (with Retry-After), 5xx → transient, 401 → provider error. */
async function expectErrorContract(client: RenderClient, bodies: { 429: unknown; 503: unknown; 401: unknown }) {
  route = (_req, res) => json(res, 429, bodies[429], { 'retry-after': '30' });
  const limited = await client.submit(request).catch((e: unknown) => e);
  expect(limited).toBeInstanceOf(RenderRateLimitedError);
  expect((limited as RenderRateLimitedError).retryAfterSeconds).toBe(30);
  route = (_req, res) => json(res, 503, bodies[503]);
  await expect(client.status('job-1')).rejects.toBeInstanceOf(RenderTransientError);
  route = (_req, res) => json(res, 401, bodies[401]);
  await expect(client.submit(request)).rejects.toBeInstanceOf(RenderProviderError);
}

/** Records the request and answers it with the current route (HTTP/1.1 and, for Bedrock's SDK client, h2c). */
function onRequest(req: IncomingMessage, res: ServerResponse): void {
  let body = '';
  req.on('data', (c: Buffer) => {
    body += c.toString();
  });
  req.on('end', () => {
    const s = { method: req.method!, path: req.url!, headers: req.headers, body };
    seen.push(s);
    route(s, res);
  });
}

beforeAll(async () => {
  server = createServer(onRequest);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('Replicate predictions', () => {
  const kling = forProfile('replicate-kling-v2.1-standard');
  const client = () =>
    new ReplicateRenderClient({ endpoint: base, model: 'kwaivgi/kling-v2.1', token: 'r8_test', timeoutMs: 2000, deadlineSeconds: 600, profile: kling.profile });
  const request = kling.request;

  it("creates an official-model prediction in the model's own input shape, maps every status, copies the output", async () => {
    route = (req, res) => json(res, 201, { id: 'p1', status: 'starting', input: {}, output: null, error: null, urls: {} });
    expect(await client().submit(request)).toEqual({ providerJobId: 'p1' });
    const sent = seen.at(-1)!;
    expect(sent).toMatchObject({ method: 'POST', path: '/v1/models/kwaivgi/kling-v2.1/predictions' });
    expect(sent.headers.authorization).toBe('Bearer r8_test');
    expect(sent.headers['cancel-after']).toBe('600s');
    // Kling on Replicate: start_image, duration 5|10 as a number, mode; no seed, width or height (it takes none).
    expect(JSON.parse(sent.body).input).toEqual({
      mode: 'standard',
      prompt: job.prompt,
      start_image: expect.stringMatching(/^data:image\/jpeg;base64,/),
      duration: 5,
      negative_prompt: 'text',
    });

    for (const [status, state] of [
      ['starting', 'QUEUED'],
      ['processing', 'RUNNING'],
      ['failed', 'FAILED'],
      ['canceled', 'CANCELED'],
      ['aborted', 'EXPIRED'],
    ] as const) {
      route = (_req, res) => json(res, 200, { id: 'p1', status, output: null, error: status === 'failed' ? 'CUDA OOM' : null });
      expect((await client().status('p1')).state).toBe(state);
    }
    route = (req, res) =>
      req.path === '/files/out.mp4'
        ? res.writeHead(200, { 'content-type': 'video/mp4' }).end('MP4BYTES')
        : json(res, 200, { id: 'p1', status: 'succeeded', output: [`${base}/files/out.mp4`], metrics: { predict_time: 42.5 } });
    const done = await client().status('p1');
    expect(done).toMatchObject({ state: 'SUCCEEDED', computeSeconds: 42.5 });
    expect((await client().fetchOutput(done)).toString()).toBe('MP4BYTES');
  });

  it('uses the version endpoint for owner/name:version, cancels, and classifies throttling and failures', async () => {
    route = (_req, res) => json(res, 201, { id: 'p2', status: 'starting' });
    await new ReplicateRenderClient({ endpoint: base, model: 'acme/model:0123abcd', token: 't', timeoutMs: 2000, profile: kling.profile }).submit(request);
    expect(seen.at(-1)!.path).toBe('/v1/predictions');
    expect(JSON.parse(seen.at(-1)!.body).version).toBe('0123abcd');
    route = (_req, res) => json(res, 200, { id: 'p2', status: 'canceled' });
    await client().cancel('p2');
    expect(seen.at(-1)).toMatchObject({ method: 'POST', path: '/v1/predictions/p2/cancel' });
    await expectErrorContract(client(), {
      429: { detail: 'Request was throttled. Your rate limit resets in ~30s.' },
      503: { detail: 'Service Unavailable' },
      401: { detail: 'Invalid token.', status: 401 },
    });
  });
});

describe('fal queue', () => {
  const kling = forProfile('fal-kling-v2.1-standard');
  const client = () =>
    new FalRenderClient({ endpoint: base, model: 'fal-ai/kling-video/v2.1/standard/image-to-video', key: 'fal_test', timeoutMs: 2000, profile: kling.profile });
  const request = kling.request;

  it('submits with the subpath, then polls, fetches and cancels at the URLs fal returned', async () => {
    route = (_req, res) =>
      json(res, 200, {
        request_id: 'r1',
        response_url: `${base}/fal-ai/kling-video/requests/r1`,
        status_url: `${base}/fal-ai/kling-video/requests/r1/status`,
        cancel_url: `${base}/fal-ai/kling-video/requests/r1/cancel`,
      });
    const { providerJobId } = await client().submit(request);
    expect(JSON.parse(providerJobId)).toMatchObject({ id: 'r1', status: `${base}/fal-ai/kling-video/requests/r1/status` });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', path: '/fal-ai/kling-video/v2.1/standard/image-to-video' });
    expect(seen.at(-1)!.headers.authorization).toBe('Key fal_test');
    // Kling i2v on fal: duration "5" as a string, the aspect follows the image (no aspect_ratio, no seed).
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ prompt: job.prompt, duration: '5', negative_prompt: 'text', image_url: expect.stringMatching(/^data:/) });

    route = (_req, res) => json(res, 200, { status: 'IN_QUEUE', queue_position: 3 });
    expect((await client().status(providerJobId)).state).toBe('QUEUED');
    expect(seen.at(-1)!.path).toBe('/fal-ai/kling-video/requests/r1/status');
    // An id stored before adline kept fal's URLs: the documented paths, without the subpath.
    expect((await client().status('r1')).state).toBe('QUEUED');
    expect(seen.at(-1)!.path).toBe('/fal-ai/kling-video/requests/r1/status');
    route = (_req, res) => json(res, 200, { status: 'IN_PROGRESS', logs: [] });
    expect((await client().status('r1')).state).toBe('RUNNING');
    route = (req, res) => (req.path.endsWith('/status') ? json(res, 200, { status: 'COMPLETED' }) : json(res, 200, { video: { url: `${base}/v.mp4` } }));
    expect(await client().status('r1')).toEqual({ state: 'SUCCEEDED', outputUrl: `${base}/v.mp4` });
    route = (req, res) => (req.path.endsWith('/status') ? json(res, 200, { status: 'COMPLETED' }) : json(res, 422, { detail: [{ msg: 'image too small' }] }));
    expect(await client().status('r1')).toMatchObject({ state: 'FAILED', error: expect.stringMatching(/image too small/) });
    route = (_req, res) => json(res, 400, { detail: 'already started' });
    await client().cancel('r1'); // not-yet-started only: a refusal is not an error
    expect(seen.at(-1)).toMatchObject({ method: 'PUT', path: '/fal-ai/kling-video/requests/r1/cancel' });
    await expectErrorContract(client(), { 429: { detail: 'rate limited' }, 503: { detail: 'runner unavailable' }, 401: { detail: 'Invalid key' } });
  });
});

describe('adline http protocol', () => {
  it('sends the Idempotency-Key and bearer token, resolves relative output URLs, and shares the error contract', async () => {
    const client = new HttpRenderClient({ endpoint: base, token: 'tok', timeoutMs: 2000 });
    route = (_req, res) => json(res, 201, { id: 'j1', state: 'QUEUED' });
    await client.submit(request);
    expect(seen.at(-1)!.headers).toMatchObject({ 'idempotency-key': 'abc123-a2', authorization: 'Bearer tok' });
    route = (_req, res) => json(res, 200, { id: 'j1', state: 'SUCCEEDED', output: { url: '/v1/jobs/j1/output' }, metrics: { computeSeconds: 1.2 } });
    expect(await client.status('j1')).toMatchObject({ state: 'SUCCEEDED', outputUrl: `${base}/v1/jobs/j1/output`, computeSeconds: 1.2 });
    route = (_req, res) => json(res, 200, { id: 'j1', state: 'DONE' });
    await expect(client.status('j1')).rejects.toThrow(/render-protocol/);
    await expectErrorContract(client, {
      429: { error: { code: 'RATE_LIMITED', message: 'slow down' } },
      503: { error: { code: 'UNAVAILABLE', message: 'x' } },
      401: { error: { code: 'UNAUTHORIZED', message: 'x' } },
    });
  });
});

describe('AWS async endpoints (SDK clients on a local endpoint, outputs in s3rver)', () => {
  interface S3rverServer {
    run(): Promise<{ port: number }>;
    close(): Promise<void>;
  }
  const S3rver = createRequire(import.meta.url)('s3rver') as new (o: object) => S3rverServer;
  let s3server: S3rverServer;
  let s3: S3Client;
  let objects: S3ObjectIo;
  let work: string;
  const aws = () => ({ endpoint: base, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'adline-providers-'));
    s3server = new S3rver({ port: 0, address: '127.0.0.1', directory: join(work, 's3'), silent: true });
    const { port } = await s3server.run();
    s3 = new S3Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'provider-io' }));
    objects = new S3ObjectIo(s3);
  });

  afterAll(async () => {
    s3?.destroy();
    await s3server?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('Bedrock: StartAsyncInvoke with the idempotency token, GetAsyncInvoke statuses, output read from S3, throttling', async () => {
    // The Bedrock runtime client speaks HTTP/2: its stand-in is an h2c server with the same routes.
    const h2: Http2Server = createH2cServer(onRequest as never);
    await new Promise<void>((r) => h2.listen(0, '127.0.0.1', () => r()));
    const h2Base = `http://127.0.0.1:${(h2.address() as AddressInfo).port}`;
    const bedrock = new BedrockRuntimeClient({ ...aws(), endpoint: h2Base });
    onTestFinished(async () => {
      bedrock.destroy();
      await new Promise<void>((r) => h2.close(() => r()));
    });
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:async-invoke/abcdefghijkl';
    const nova = forProfile('bedrock-nova-reel');
    const request = nova.request;
    const client = new BedrockRenderClient({
      client: bedrock,
      model: 'amazon.nova-reel-v1:1',
      outputPrefix: 's3://provider-io/bedrock',
      objects,
      profile: nova.profile,
    });
    route = (_req, res) => json(res, 200, { invocationArn: arn });
    expect(await client.submit(request)).toEqual({ providerJobId: arn });
    const sent = JSON.parse(seen.at(-1)!.body);
    expect(seen.at(-1)).toMatchObject({ method: 'POST', path: '/async-invoke' });
    expect(sent).toMatchObject({
      modelId: 'amazon.nova-reel-v1:1',
      clientRequestToken: 'abc123-a2',
      outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://provider-io/bedrock/abc123' } },
    });
    expect(sent.modelInput).toMatchObject({ taskType: 'TEXT_VIDEO', videoGenerationConfig: { durationSeconds: 6, fps: 24, dimension: '1280x720', seed: 8 } });
    expect(sent.modelInput.textToVideoParams.images[0]).toMatchObject({ format: 'jpeg' });

    const invocation = (status: string, extra = {}) => ({
      invocationArn: arn,
      modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-reel-v1:1',
      status,
      submitTime: '2026-11-25T06:00:00Z',
      outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://provider-io/bedrock/abc123' } },
      ...extra,
    });
    route = (_req, res) => json(res, 200, invocation('InProgress'));
    expect((await client.status(arn)).state).toBe('RUNNING');
    expect(decodeURIComponent(seen.at(-1)!.path)).toBe(`/async-invoke/${arn}`);
    route = (_req, res) => json(res, 200, invocation('Failed', { failureMessage: 'content filtered' }));
    expect(await client.status(arn)).toEqual({ state: 'FAILED', error: 'content filtered' });
    route = (_req, res) => json(res, 200, invocation('Completed'));
    const done = await client.status(arn);
    expect(done).toEqual({ state: 'SUCCEEDED', outputUrl: 's3://provider-io/bedrock/abc123/abcdefghijkl/output.mp4' });
    await expect(client.fetchOutput(done)).rejects.toBeInstanceOf(RenderProviderError); // not written yet
    await objects.put(done.outputUrl!, 'NOVA', 'video/mp4');
    expect((await client.fetchOutput(done)).toString()).toBe('NOVA');

    route = (_req, res) => json(res, 429, { message: 'Too many requests' }, { 'x-amzn-errortype': 'ThrottlingException' });
    await expect(client.submit(request)).rejects.toBeInstanceOf(RenderRateLimitedError);
    route = (_req, res) => json(res, 503, { message: 'busy' }, { 'x-amzn-errortype': 'ServiceUnavailableException' });
    await expect(client.status(arn)).rejects.toBeInstanceOf(RenderTransientError);
    route = (_req, res) => json(res, 403, { message: 'denied' }, { 'x-amzn-errortype': 'AccessDeniedException' });
    await expect(client.submit(request)).rejects.toBeInstanceOf(RenderProviderError);
  });

  it('SageMaker async: payload to S3, InvokeEndpointAsync with InferenceId, status from the output and failure objects', async () => {
    const wan = forProfile('sagemaker-wan-2.2-async');
    const request = wan.request;
    const client = new SageMakerRenderClient({
      client: new SageMakerRuntimeClient(aws()),
      endpointName: 'wan-async',
      inputPrefix: 's3://provider-io/in',
      objects,
      timeoutSeconds: 900,
      profile: wan.profile,
    });
    route = (_req, res) =>
      json(
        res,
        202,
        { InferenceId: 'abc123-a2' },
        { 'x-amzn-sagemaker-outputlocation': 's3://provider-io/out/abc123-a2.out', 'x-amzn-sagemaker-failurelocation': 's3://provider-io/fail/abc123-a2.out' },
      );
    const { providerJobId } = await client.submit(request);
    expect(seen.at(-1)).toMatchObject({ method: 'POST', path: '/endpoints/wan-async/async-invocations' });
    expect(seen.at(-1)!.headers).toMatchObject({
      'x-amzn-sagemaker-inputlocation': 's3://provider-io/in/abc123-a2.json',
      'x-amzn-sagemaker-inference-id': 'abc123-a2',
      'x-amzn-sagemaker-invocationtimeoutseconds': '900',
    });
    expect(JSON.parse((await objects.get('s3://provider-io/in/abc123-a2.json'))!.toString())).toMatchObject({
      seed: 8,
      num_frames: 25,
      fps: 16,
      resolution: '720p',
      image: expect.any(String),
    });

    expect((await client.status(providerJobId)).state).toBe('RUNNING');
    await objects.put('s3://provider-io/fail/abc123-a2.out', 'CUDA out of memory', 'text/plain');
    expect(await client.status(providerJobId)).toEqual({ state: 'FAILED', error: 'CUDA out of memory' });
    await objects.put('s3://provider-io/out/abc123-a2.out', 'WANCLIP', 'video/mp4');
    const done = await client.status(providerJobId);
    expect(done.state).toBe('SUCCEEDED');
    expect((await client.fetchOutput(done)).toString()).toBe('WANCLIP');

    route = (_req, res) => json(res, 429, { message: 'slow down' }, { 'x-amzn-errortype': 'ThrottlingException' });
    await expect(client.submit(request)).rejects.toBeInstanceOf(RenderRateLimitedError);
    route = (_req, res) => json(res, 424, { Message: 'model failed' }, { 'x-amzn-errortype': 'ModelError' });
    await expect(client.submit(request)).rejects.toBeInstanceOf(RenderProviderError);
  });
});
