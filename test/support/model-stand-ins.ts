import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createH2cServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import { runFfmpeg } from '#media/ffmpeg';
import type { ObjectIo } from '#adapters/aws/s3-object-io';

/**
 * Stand-ins for the hosted image-to-video providers, written from their public docs (fal queue API and
 * model llms.txt pages, Replicate's predictions API and model schemas, Bedrock StartAsyncInvoke /
 * GetAsyncInvoke with the Nova Reel and Luma model parameters, SageMaker InvokeEndpointAsync) — not from
 * adline's model profiles, so a profile that gets a field or a value wrong is refused here the way the
 * provider would refuse it: fal 422 {detail: [{loc, msg, type}]}, Replicate 422 {title, detail,
 * invalid_fields}, AWS 400 ValidationException. Unknown fields are refused too (stricter than some
 * providers, which ignore them silently — the bug of sending Kling's fields to every model).
 * Each model answers a clip in its own output shape, made with ffmpeg from the image it was sent.
 */

/** How one model answers: its request schema (from its docs) and the clip it returns for a parsed request. */
interface ModelSpec {
  schema: z.ZodType<Record<string, unknown>>;
  /** The image as sent (a data: URL or base64). */
  image(input: Record<string, unknown>): string;
  /** Output clip for the request and the decoded input image's size. */
  clip(input: Record<string, unknown>, image: { width: number; height: number }): { width: number; height: number; fps: number; frames: number };
}

const dataUrl = z.string().regex(/^data:image\/(jpeg|png);base64,/, 'must be a data: URL or https URL of a JPEG or PNG');
const even = (n: number) => 2 * Math.round(n / 2);
/** Aspect follows the image, the short side fixed. */
const follow = (image: { width: number; height: number }, short: number) =>
  image.width <= image.height
    ? { width: short, height: even((short * image.height) / image.width) }
    : { width: even((short * image.width) / image.height), height: short };
const TABLE = (res: string, aspect: string, sizes: Record<string, [number, number]>, image: { width: number; height: number }) => {
  const a = aspect === 'auto' || !aspect ? (image.width < image.height ? '9:16' : image.width > image.height ? '16:9' : '1:1') : aspect;
  const [width, height] = sizes[`${res}/${a}`];
  return { width, height };
};

// fal-ai/kling-video/v2.x image-to-video (llms.txt): prompt ≤ 2500, image_url, duration "5"|"10", negative_prompt, cfg_scale 0–1.
const falKling = (short: number): ModelSpec => ({
  schema: z
    .object({
      prompt: z.string().min(1).max(2500),
      image_url: dataUrl,
      duration: z.enum(['5', '10']).default('5'),
      negative_prompt: z.string().max(2500).optional(),
      cfg_scale: z.number().min(0).max(1).optional(),
    })
    .strict(),
  image: (i) => i.image_url as string,
  clip: (i, image) => ({ ...follow(image, short), fps: 24, frames: 24 * Number(i.duration) }),
});

// kwaivgi/kling-v2.x on Replicate (model schema): start_image, prompt, duration 5|10, mode standard (720p) | pro (1080p), both 24 fps.
const replicateKling = (modes: string[]): ModelSpec => ({
  schema: z
    .object({
      prompt: z.string().min(1),
      start_image: dataUrl,
      duration: z.union([z.literal(5), z.literal(10)]).default(5),
      mode: z.enum(modes as [string, ...string[]]).optional(),
      negative_prompt: z.string().optional(),
      end_image: z.string().optional(),
    })
    .strict(),
  image: (i) => i.start_image as string,
  clip: (i, image) => ({ ...follow(image, i.mode === 'pro' || modes.length === 1 ? 1080 : 720), fps: 24, frames: 24 * Number(i.duration) }),
});

const WAN_SIZES: Record<string, [number, number]> = {
  '720p/9:16': [720, 1280],
  '720p/16:9': [1280, 720],
  '720p/1:1': [960, 960],
  '580p/9:16': [580, 1024],
  '580p/16:9': [1024, 580],
  '580p/1:1': [768, 768],
  '480p/9:16': [480, 832],
  '480p/16:9': [832, 480],
  '480p/1:1': [640, 640],
};
const LTX_SIZES: Record<string, [number, number]> = {
  '720p/9:16': [704, 1216],
  '720p/16:9': [1216, 704],
  '720p/1:1': [960, 960],
  '480p/9:16': [480, 832],
  '480p/16:9': [832, 480],
  '480p/1:1': [640, 640],
};

const SPECS: Record<string, ModelSpec> = {
  'fal:fal-ai/kling-video/v2.1/standard/image-to-video': falKling(720),
  'fal:fal-ai/kling-video/v2.1/pro/image-to-video': falKling(1080),
  'fal:fal-ai/kling-video/v2.5-turbo/pro/image-to-video': falKling(1080),
  // fal-ai/wan/v2.2-a14b/image-to-video: num_frames 17–161 (81), frames_per_second 4–60 (16), resolution, aspect_ratio, seed; no duration.
  'fal:fal-ai/wan/v2.2-a14b/image-to-video': {
    schema: z
      .object({
        prompt: z.string().min(1),
        image_url: dataUrl,
        num_frames: z.number().int().min(17).max(161).default(81),
        frames_per_second: z.number().int().min(4).max(60).default(16),
        resolution: z.enum(['480p', '580p', '720p']).default('720p'),
        aspect_ratio: z.enum(['auto', '16:9', '9:16', '1:1']).default('auto'),
        negative_prompt: z.string().optional(),
        seed: z.number().int().optional(),
        num_inference_steps: z.number().int().optional(),
        enable_safety_checker: z.boolean().optional(),
      })
      .strict(),
    image: (i) => i.image_url as string,
    clip: (i, image) => ({
      ...TABLE(i.resolution as string, i.aspect_ratio as string, WAN_SIZES, image),
      fps: i.frames_per_second as number,
      frames: i.num_frames as number,
    }),
  },
  // fal-ai/bytedance/seedance/v1/pro/image-to-video: prompt, image_url, aspect_ratio, resolution 480p/720p/1080p, duration, seed, camera_fixed; 24 fps.
  'fal:fal-ai/bytedance/seedance/v1/pro/image-to-video': {
    schema: z
      .object({
        prompt: z.string().min(1),
        image_url: dataUrl,
        aspect_ratio: z.enum(['21:9', '16:9', '4:3', '1:1', '3:4', '9:16', 'auto']).default('auto'),
        resolution: z.enum(['480p', '720p', '1080p']).default('1080p'),
        duration: z.enum(['2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']).default('5'),
        camera_fixed: z.boolean().optional(),
        seed: z.number().int().min(-1).max(2_147_483_647).optional(),
        enable_safety_checker: z.boolean().optional(),
      })
      .strict(),
    image: (i) => i.image_url as string,
    clip: (i, image) => ({ ...follow(image, Number(String(i.resolution).replace('p', ''))), fps: 24, frames: 24 * Number(i.duration) }),
  },
  // LTX-Video 13B distilled on fal: num_frames 8n+1 ≤ 161, frame_rate, resolution 480p/720p, aspect_ratio; 1216×704 class sizes.
  'fal:fal-ai/ltx-video-13b-distilled/image-to-video': {
    schema: z
      .object({
        prompt: z.string().min(1),
        image_url: dataUrl,
        negative_prompt: z.string().optional(),
        seed: z.number().int().optional(),
        num_frames: z
          .number()
          .int()
          .min(9)
          .max(161)
          .refine((n) => (n - 1) % 8 === 0, 'must be 8n+1')
          .default(121),
        frame_rate: z.number().int().min(1).max(60).default(30),
        resolution: z.enum(['480p', '720p']).default('720p'),
        aspect_ratio: z.enum(['9:16', '1:1', '16:9', 'auto']).default('auto'),
      })
      .strict(),
    image: (i) => i.image_url as string,
    clip: (i, image) => ({
      ...TABLE(i.resolution as string, i.aspect_ratio as string, LTX_SIZES, image),
      fps: i.frame_rate as number,
      frames: i.num_frames as number,
    }),
  },
  'replicate:kwaivgi/kling-v2.1': replicateKling(['standard', 'pro']),
  'replicate:kwaivgi/kling-v2.5-turbo-pro': replicateKling(['pro']),
  // wan-video/wan-2.2-i2v-a14b: image, prompt, num_frames 81–100, resolution 480p|720p, frames_per_second 5–24, seed; aspect follows the image.
  'replicate:wan-video/wan-2.2-i2v-a14b': {
    schema: z
      .object({
        prompt: z.string().min(1),
        image: dataUrl,
        num_frames: z.number().int().min(81).max(100).default(81),
        resolution: z.enum(['480p', '720p']).default('480p'),
        frames_per_second: z.number().int().min(5).max(24).default(16),
        sample_steps: z.number().int().optional(),
        sample_shift: z.number().optional(),
        seed: z.number().int().optional(),
      })
      .strict(),
    image: (i) => i.image as string,
    clip: (i, image) => ({ ...follow(image, i.resolution === '720p' ? 720 : 480), fps: i.frames_per_second as number, frames: i.num_frames as number }),
  },
  // amazon.nova-reel-v1:1 TEXT_VIDEO: text ≤ 512, one image exactly 1280×720, durationSeconds 6, fps 24, dimension 1280x720, seed 0–2147483646.
  'bedrock:amazon.nova-reel-v1:1': {
    schema: z
      .object({
        taskType: z.literal('TEXT_VIDEO'),
        textToVideoParams: z
          .object({
            text: z.string().min(1).max(512),
            images: z
              .array(z.object({ format: z.enum(['png', 'jpeg']), source: z.object({ bytes: z.string().min(1) }).strict() }).strict())
              .max(1)
              .optional(),
          })
          .strict(),
        videoGenerationConfig: z
          .object({
            durationSeconds: z.literal(6),
            fps: z.literal(24),
            dimension: z.literal('1280x720'),
            seed: z.number().int().min(0).max(2_147_483_646).optional(),
          })
          .strict(),
      })
      .strict(),
    image: (i) => (i.textToVideoParams as { images: Array<{ source: { bytes: string } }> }).images[0].source.bytes,
    clip: () => ({ width: 1280, height: 720, fps: 24, frames: 144 }),
  },
  // luma.ray-v2:0: prompt 1–5000, aspect_ratio list, loop, duration "5s"|"9s", resolution "540p"|"720p"; keyframes.frame0 {type: image, url}.
  'bedrock:luma.ray-v2:0': {
    schema: z
      .object({
        prompt: z.string().min(1).max(5000),
        aspect_ratio: z.enum(['1:1', '16:9', '9:16', '4:3', '3:4', '21:9', '9:21']).default('16:9'),
        loop: z.boolean().optional(),
        duration: z.enum(['5s', '9s']).default('5s'),
        resolution: z.enum(['540p', '720p']).default('720p'),
        keyframes: z
          .object({ frame0: z.object({ type: z.literal('image'), url: dataUrl }).strict() })
          .strict()
          .optional(),
      })
      .strict(),
    image: (i) => (i.keyframes as { frame0: { url: string } }).frame0.url,
    clip: (i, image) => ({ ...follow(image, i.resolution === '540p' ? 540 : 720), fps: 24, frames: 24 * parseInt(i.duration as string, 10) }),
  },
  // A self-hosted Wan 2.2 container behind SageMaker async: adline's JSON (num_frames 4n+1 17–161, fps 8–24, 480p|720p), base64 image.
  'sagemaker:adline-wan22-i2v': {
    schema: z
      .object({
        prompt: z.string().min(1),
        image: z.string().regex(/^[A-Za-z0-9+/]+=*$/, 'bare base64'),
        num_frames: z
          .number()
          .int()
          .min(17)
          .max(161)
          .refine((n) => (n - 1) % 4 === 0, 'must be 4n+1'),
        fps: z.number().int().min(8).max(24),
        resolution: z.enum(['480p', '720p']),
        negative_prompt: z.string().optional(),
        seed: z.number().int().optional(),
      })
      .strict(),
    image: (i) => i.image as string,
    clip: (i, image) => ({ ...follow(image, i.resolution === '720p' ? 720 : 480), fps: i.fps as number, frames: i.num_frames as number }),
  },
};

/** A ObjectIo over a folder: s3://bucket/key is folder/bucket/key (Bedrock and SageMaker exchange files through S3). */
export class FolderObjectIo implements ObjectIo {
  constructor(readonly root: string) {}
  private path(uri: string): string {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    if (!m || m[2].split('/').includes('..')) throw new Error(`not an s3 URI: ${uri}`);
    return join(this.root, m[1], m[2]);
  }
  async put(uri: string, bytes: Uint8Array | string, _contentType?: string): Promise<void> {
    const p = this.path(uri);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, bytes);
  }
  async get(uri: string): Promise<Buffer | undefined> {
    return readFile(this.path(uri)).catch(() => undefined);
  }
}

interface Job {
  id: string;
  spec: ModelSpec;
  input: Record<string, unknown>;
  done: Promise<string>;
  outPath?: string;
  finished: boolean;
  error?: string;
  started: number;
}

export interface StandIns {
  /** Base URL of the fal queue, Replicate API and SageMaker runtime (HTTP/1.1). */
  url: string;
  /** Base URL of the Bedrock runtime (HTTP/2 cleartext, as the SDK client speaks). */
  h2Url: string;
  objects: FolderObjectIo;
  /** Every request received, and those refused (status + body). */
  requests: Array<{ provider: string; model: string; status: number; body: unknown }>;
  /** Clips produced: model key → probe-ready paths. */
  jobs: Job[];
  close(): Promise<void>;
}

/** Starts the stand-ins on 127.0.0.1 (port 0). `sizeScale` shrinks every clip (aspect, fps and length kept) to keep tests fast. */
export async function startStandIns(
  options: { sizeScale?: number; /** A model that answers blank clips (a paid job the gate rejects). */ blank?: (model: string) => boolean } = {},
): Promise<StandIns> {
  const work = await mkdtemp(join(tmpdir(), 'adline-stand-ins-'));
  const objects = new FolderObjectIo(join(work, 's3'));
  const scale = options.sizeScale ?? 1;
  const jobs = new Map<string, Job>();
  const state: StandIns = { url: '', h2Url: '', objects, requests: [], jobs: [], close: async () => {} };

  /** Makes the clip: the image padded by the model, a slow pan across it, at the model's size, rate and length. */
  async function produce(spec: ModelSpec, input: Record<string, unknown>, outPath: string, blank: boolean): Promise<void> {
    const raw = spec.image(input);
    const bytes = Buffer.from(raw.replace(/^data:[^,]*,/, ''), 'base64');
    const meta = await sharp(bytes).metadata();
    const shape = spec.clip(input, { width: meta.width!, height: meta.height! });
    const W = even(shape.width * scale),
      H = even(shape.height * scale);
    const imgPath = `${outPath}.src.png`;
    await sharp(bytes).png().toFile(imgPath);
    const seconds = shape.frames / shape.fps;
    await runFfmpeg([
      '-f',
      'image2',
      '-pattern_type',
      'none',
      '-loop',
      '1',
      '-framerate',
      String(shape.fps),
      '-i',
      imgPath,
      '-vf',
      `scale=${even(W * 1.12)}:${even(H * 1.12)},crop=${W}:${H}:x='(iw-ow)*t/${seconds.toFixed(3)}':y='(ih-oh)/2',` +
        `setsar=1,${blank ? 'drawbox=x=0:y=0:w=iw:h=ih:color=0x707070:t=9999,' : ''}format=yuv420p`,
      '-frames:v',
      String(shape.frames),
      '-r',
      String(shape.fps),
      '-an',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-crf',
      '23',
      outPath,
    ]);
  }

  function start(provider: string, model: string, input: Record<string, unknown>): Job {
    const spec = SPECS[`${provider}:${model}`];
    const id = randomUUID();
    const outPath = join(work, `${id}.mp4`);
    const job: Job = { id, spec, input, finished: false, started: Date.now(), done: Promise.resolve(outPath) };
    job.done = produce(spec, input, outPath, options.blank?.(model) ?? false).then(
      () => {
        job.finished = true;
        job.outPath = outPath;
        return outPath;
      },
      (e: Error) => {
        job.finished = true;
        job.error = e.message;
        return '';
      },
    );
    jobs.set(id, job);
    state.jobs.push(job);
    return job;
  }

  /** Validates a request against the model's documented schema; the issues, or the parsed input. */
  function validate(provider: string, model: string, body: unknown): { input?: Record<string, unknown>; issues?: z.core.$ZodIssue[]; unknownModel?: boolean } {
    const spec = SPECS[`${provider}:${model}`];
    if (!spec) return { unknownModel: true };
    const parsed = spec.schema.safeParse(body);
    return parsed.success ? { input: parsed.data } : { issues: parsed.error.issues };
  }

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };
  const record = (provider: string, model: string, status: number, body: unknown) => state.requests.push({ provider, model, status, body });

  async function handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url!, 'http://x');
    const path = decodeURIComponent(url.pathname);
    const json = () => (body ? JSON.parse(body) : undefined);
    let m: RegExpExecArray | null;

    // Outputs (fal and Replicate hand back URLs to files).
    if ((m = /^\/files\/([\w-]+)\.mp4$/.exec(path))) {
      const job = jobs.get(m[1]);
      if (!job?.outPath) return void send(res, 404, { detail: 'Not found' });
      return void res.writeHead(200, { 'content-type': 'video/mp4' }).end(await readFile(job.outPath));
    }

    // Replicate: POST /v1/models/{owner}/{name}/predictions, GET /v1/predictions/{id}, POST …/cancel.
    if ((m = /^\/v1\/models\/([\w.-]+\/[\w.-]+)\/predictions$/.exec(path)) && req.method === 'POST') {
      const model = m[1];
      const v = validate('replicate', model, json()?.input);
      if (v.unknownModel) return void send(res, 404, { title: 'Not found', detail: `Model ${model} not found`, status: 404 });
      if (v.issues) {
        const err = {
          title: 'Input validation failed',
          detail: v.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'),
          status: 422,
          invalid_fields: v.issues.map((i) => ({ type: i.code, field: i.path.join('.'), description: i.message })),
        };
        record('replicate', model, 422, err);
        return void send(res, 422, err, { 'content-type': 'application/problem+json' });
      }
      const job = start('replicate', model, v.input!);
      record('replicate', model, 201, v.input);
      return void send(res, 201, prediction(job, model));
    }
    if ((m = /^\/v1\/predictions\/([\w-]+)(\/cancel)?$/.exec(path))) {
      const job = jobs.get(m[1]);
      if (!job) return void send(res, 404, { detail: 'Not found.', status: 404 });
      return void send(res, 200, prediction(job, ''));
    }

    // SageMaker runtime: POST /endpoints/{name}/async-invocations, the request read from InputLocation.
    if ((m = /^\/endpoints\/([\w-]+)\/async-invocations$/.exec(path)) && req.method === 'POST') {
      const name = m[1];
      const location = req.headers['x-amzn-sagemaker-inputlocation'] as string | undefined;
      const payload = location ? await objects.get(location) : undefined;
      if (!payload) return void send(res, 400, { message: 'Could not access input location' }, { 'x-amzn-errortype': 'ValidationError' });
      const v = validate('sagemaker', name, JSON.parse(payload.toString('utf8')));
      if (v.unknownModel) return void send(res, 400, { message: `Endpoint ${name} not found.` }, { 'x-amzn-errortype': 'ValidationError' });
      // A container that rejects its input writes the failure object; the request itself is accepted (202).
      const id = (req.headers['x-amzn-sagemaker-inference-id'] as string) ?? randomUUID();
      const out = `s3://standin/sagemaker-out/${id}.out`;
      const fail = `s3://standin/sagemaker-fail/${id}-error.out`;
      record('sagemaker', name, v.issues ? 400 : 202, v.issues ?? v.input);
      if (v.issues) await objects.put(fail, JSON.stringify({ error: v.issues }), 'application/json');
      else {
        const job = start('sagemaker', name, v.input!);
        void job.done.then(async (p) => {
          if (p) await objects.put(out, await readFile(p), 'video/mp4');
          else await objects.put(fail, job.error ?? 'failed', 'text/plain');
        });
      }
      return void send(res, 202, { InferenceId: id }, { 'x-amzn-sagemaker-outputlocation': out, 'x-amzn-sagemaker-failurelocation': fail });
    }

    // Bedrock runtime: POST /async-invoke, GET /async-invoke/{arn}.
    if (path === '/async-invoke' && req.method === 'POST') {
      const b = json() as { modelId: string; modelInput: unknown; outputDataConfig?: { s3OutputDataConfig?: { s3Uri?: string } } };
      const v = validate('bedrock', b.modelId, b.modelInput);
      if (v.unknownModel) return void send(res, 400, { message: `The provided model identifier is invalid.` }, { 'x-amzn-errortype': 'ValidationException' });
      if (v.issues) {
        const err = {
          message:
            `Malformed input request: ${v.issues.map((i) => `#/${i.path.join('/')}: ${i.message}`).join(', ')}` + `, please reformat your input and try again.`,
        };
        record('bedrock', b.modelId, 400, err);
        return void send(res, 400, err, { 'x-amzn-errortype': 'ValidationException' });
      }
      if (b.modelId.startsWith('amazon.nova-reel')) {
        // Nova Reel: "the input image must be 1280x720" (an image of another size is a ValidationException).
        const meta = await sharp(Buffer.from(SPECS[`bedrock:${b.modelId}`].image(v.input!), 'base64')).metadata();
        if (meta.width !== 1280 || meta.height !== 720) {
          const err = { message: `The image must be 1280x720; got ${meta.width}x${meta.height}.` };
          record('bedrock', b.modelId, 400, err);
          return void send(res, 400, err, { 'x-amzn-errortype': 'ValidationException' });
        }
      }
      const s3Uri = b.outputDataConfig?.s3OutputDataConfig?.s3Uri;
      if (!s3Uri) return void send(res, 400, { message: 'outputDataConfig is required' }, { 'x-amzn-errortype': 'ValidationException' });
      const job = start('bedrock', b.modelId, v.input!);
      const arn = `arn:aws:bedrock:us-east-1:123456789012:async-invoke/${job.id.replace(/-/g, '').slice(0, 12)}`;
      (job as Job & { arn: string; s3Uri: string }).arn = arn;
      (job as Job & { s3Uri: string }).s3Uri = s3Uri;
      void job.done.then(async (p) => {
        if (p) await objects.put(`${s3Uri.replace(/\/+$/, '')}/${arn.split('/').pop()}/output.mp4`, await readFile(p), 'video/mp4');
      });
      record('bedrock', b.modelId, 200, v.input);
      return void send(res, 200, { invocationArn: arn });
    }
    if ((m = /^\/async-invoke\/(.+)$/.exec(path)) && req.method === 'GET') {
      const job = state.jobs.find((j) => (j as Job & { arn?: string }).arn === m![1]) as (Job & { arn: string; s3Uri: string }) | undefined;
      if (!job) return void send(res, 404, { message: 'not found' }, { 'x-amzn-errortype': 'ResourceNotFoundException' });
      // Completed only once the object is in S3 (Bedrock writes the output, then reports Completed).
      const written =
        job.finished && !job.error && (await objects.get(`${job.s3Uri.replace(/\/+$/, '')}/${job.arn.split('/').pop()}/output.mp4`)) !== undefined;
      return void send(res, 200, {
        invocationArn: job.arn,
        modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/x',
        status: job.error ? 'Failed' : written ? 'Completed' : 'InProgress',
        submitTime: new Date(job.started).toISOString(),
        outputDataConfig: { s3OutputDataConfig: { s3Uri: job.s3Uri } },
        ...(job.error ? { failureMessage: job.error } : {}),
      });
    }

    // fal queue: status and result URLs are handed back at submit, deliberately not the documented paths,
    // so a client that builds URLs itself instead of using them fails here.
    if ((m = /^\/q\/([\w-]+)\/(status|result|cancel)$/.exec(path))) {
      const job = jobs.get(m[1]);
      if (!job) return void send(res, 404, { detail: 'Request not found' });
      if (m[2] === 'cancel') return void send(res, 400, { detail: 'Request is already in progress' });
      if (m[2] === 'status')
        return void send(
          res,
          200,
          job.finished ? { status: 'COMPLETED', response_url: `${state.url}/q/${job.id}/result` } : { status: 'IN_PROGRESS', logs: [] },
        );
      if (!job.finished) return void send(res, 400, { detail: 'Request is still in progress' });
      if (job.error) return void send(res, 422, { detail: [{ loc: ['body'], msg: job.error, type: 'value_error' }] });
      return void send(res, 200, {
        video: { url: `${state.url}/files/${job.id}.mp4`, content_type: 'video/mp4', file_name: 'output.mp4' },
        seed: job.input.seed ?? 0,
      });
    }
    if (req.method === 'POST') {
      const model = path.replace(/^\/+/, '');
      const v = validate('fal', model, json());
      if (v.unknownModel) return void send(res, 404, { detail: `Application '${model}' not found` });
      if (v.issues) {
        const err = { detail: v.issues.map((i) => ({ loc: ['body', ...i.path], msg: i.message, type: i.code })) };
        record('fal', model, 422, err);
        return void send(res, 422, err);
      }
      const job = start('fal', model, v.input!);
      record('fal', model, 200, v.input);
      const q = `${state.url}/q/${job.id}`;
      return void send(res, 200, {
        request_id: job.id,
        gateway_request_id: job.id,
        response_url: `${q}/result`,
        status_url: `${q}/status`,
        cancel_url: `${q}/cancel`,
        queue_position: 0,
      });
    }
    send(res, 404, { detail: 'Not found' });
  }

  function prediction(job: Job, model: string) {
    const status = job.error ? 'failed' : job.finished ? 'succeeded' : 'processing';
    return {
      id: job.id,
      model,
      version: 'hidden',
      status,
      input: job.input,
      error: job.error ?? null,
      logs: '',
      output: job.finished && !job.error ? `${state.url}/files/${job.id}.mp4` : null,
      metrics: job.finished ? { predict_time: (Date.now() - job.started) / 1000 } : {},
      created_at: new Date(job.started).toISOString(),
      urls: { get: `${state.url}/v1/predictions/${job.id}`, cancel: `${state.url}/v1/predictions/${job.id}/cancel` },
    };
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      handle(req, res, body).catch((e: Error) => send(res, 500, { detail: e.message }));
    });
  };
  const server: Server = createServer({ maxHeaderSize: 64 * 1024 }, onRequest);
  const h2: Http2Server = createH2cServer(onRequest as never);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  await new Promise<void>((r) => h2.listen(0, '127.0.0.1', () => r()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.h2Url = `http://127.0.0.1:${(h2.address() as AddressInfo).port}`;
  state.close = async () => {
    await Promise.all(state.jobs.map((j) => j.done));
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await new Promise<void>((r) => h2.close(() => r()));
    await rm(work, { recursive: true, force: true });
  };
  return state;
}
