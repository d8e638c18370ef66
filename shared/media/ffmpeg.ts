import { spawn } from 'node:child_process';
import { chmod, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { MediaError } from './media-error.ts';

/** ffmpeg exited non-zero; the message carries the tail of its stderr. */
export class FfmpegError extends MediaError {
  override readonly name = 'FfmpegError';
  override readonly code = 'FFMPEG_FAILED';
}

/** ffprobe could not read a file, or printed something we do not understand. */
export class ProbeError extends MediaError {
  override readonly name = 'ProbeError';
  override readonly code = 'FFPROBE_FAILED';
}

/** The ffmpeg/ffprobe binary is missing or cannot be executed. */
export class FfmpegBinaryError extends MediaError {
  override readonly name = 'FfmpegBinaryError';
  override readonly code = 'FFMPEG_BINARY';
}

export interface BinaryPaths {
  ffmpeg: string;
  ffprobe: string;
}

let paths: BinaryPaths | undefined;

/** The one config spot for binaries: FFMPEG_PATH / FFPROBE_PATH win, else the npm installer packages. */
export function binaryPaths(): BinaryPaths {
  if (paths) return paths;
  const require = createRequire(import.meta.url);
  const fromPackage = (name: string): string => {
    try {
      return (require(name) as { path: string }).path;
    } catch (error) {
      throw new FfmpegBinaryError(
        `Cannot load ${name} (${(error as Error).message}): run npm install, or set ${name.includes('ffprobe') ? 'FFPROBE_PATH' : 'FFMPEG_PATH'} to a binary.`,
        { cause: error },
      );
    }
  };
  paths = {
    ffmpeg: process.env.FFMPEG_PATH || fromPackage('@ffmpeg-installer/ffmpeg'),
    ffprobe: process.env.FFPROBE_PATH || fromPackage('@ffprobe-installer/ffprobe'),
  };
  return paths;
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Keep only the tail: a failed 15 s encode can print megabytes, and the message needs the end.
const MAX_CAPTURE = 256 * 1024;
const chmodded = new Set<string>();

function spawnOnce(bin: string, args: string[], signal?: AbortSignal): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], signal, killSignal: 'SIGKILL' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.length > MAX_CAPTURE * 2) stderr = stderr.slice(-MAX_CAPTURE);
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Spawns a binary with an argument array (never a shell); fixes the exec bit npm's skipped postinstall left unset. */
async function run(bin: string, args: string[], signal?: AbortSignal): Promise<RunResult> {
  try {
    return await spawnOnce(bin, args, signal);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' && !chmodded.has(bin)) {
      chmodded.add(bin);
      const mode = (await stat(bin)).mode;
      await chmod(bin, mode | 0o100);
      return spawnOnce(bin, args, signal);
    }
    if (code === 'ENOENT' || code === 'EACCES') {
      throw new FfmpegBinaryError(`Cannot execute ${bin} (${code}): run npm install, or point FFMPEG_PATH/FFPROBE_PATH at a working binary.`, { cause: error });
    }
    throw error;
  }
}

function tail(text: string, lines = 20): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** Runs ffmpeg quietly and non-interactively; throws FfmpegError with the last stderr lines on failure. */
export async function runFfmpeg(args: string[], options: { signal?: AbortSignal } = {}): Promise<{ stderr: string }> {
  const { ffmpeg } = binaryPaths();
  const result = await run(ffmpeg, ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', ...args], options.signal);
  if (result.code !== 0) {
    throw new FfmpegError(`ffmpeg exited with ${result.code ?? 'a signal'}; check the inputs and the filter graph. Last stderr lines:\n${tail(result.stderr)}`);
  }
  return { stderr: result.stderr };
}

/** Runs ffmpeg with its output on stdout (`-f rawvideo -`, say) and returns those bytes; frames for analysis, never a shell. */
export async function runFfmpegToBuffer(args: string[], options: { signal?: AbortSignal; maxBytes?: number } = {}): Promise<Buffer> {
  const { ffmpeg } = binaryPaths();
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  const full = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', ...args];
  const once = () =>
    new Promise<{ code: number | null; out: Buffer; stderr: string }>((resolve, reject) => {
      const child = spawn(ffmpeg, full, { stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal, killSignal: 'SIGKILL' });
      const chunks: Buffer[] = [];
      let size = 0;
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // A caller's size estimate being wrong must not exhaust a Lambda's memory.
        if (size > maxBytes) child.kill('SIGKILL');
        else chunks.push(chunk);
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-MAX_CAPTURE);
      });
      child.once('error', reject);
      child.once('close', (code) => resolve({ code: size > maxBytes ? -1 : code, out: Buffer.concat(chunks), stderr }));
    });
  let result;
  try {
    result = await once();
  } catch (error) {
    // Same exec-bit repair and messages as run().
    await run(ffmpeg, ['-version']);
    if ((error as NodeJS.ErrnoException).code === 'EACCES') result = await once();
    else throw error;
  }
  if (result.code === -1) throw new FfmpegError(`ffmpeg wrote more than ${maxBytes} bytes to stdout; decode fewer or smaller frames.`);
  if (result.code !== 0) {
    throw new FfmpegError(`ffmpeg exited with ${result.code ?? 'a signal'}; check the input file. Last stderr lines:\n${tail(result.stderr)}`);
  }
  return result.out;
}

export const MediaProbe = z.object({
  durationSeconds: z.number().nonnegative(),
  bytes: z.number().int().nonnegative(),
  formatName: z.string(),
  video: z
    .object({
      codec: z.string(),
      profile: z.string(),
      pixFmt: z.string(),
      width: z.number().int().positive(),
      height: z.number().int().positive(),
      fps: z.number().nonnegative(),
      frames: z.number().int().nonnegative().optional(),
    })
    .optional(),
  audio: z
    .object({
      codec: z.string(),
      sampleRate: z.number().int().nonnegative(),
      channels: z.number().int().nonnegative(),
    })
    .optional(),
});
export type MediaProbe = z.infer<typeof MediaProbe>;

// ffprobe prints numbers as strings and omits fields freely: parse loosely, then normalize.
const numeric = z.union([z.string(), z.number()]).optional();
const FfprobeOutput = z.object({
  format: z.object({ duration: numeric, size: numeric, format_name: z.string().default('') }).loose(),
  streams: z
    .array(
      z
        .object({
          codec_type: z.string().optional(),
          codec_name: z.string().default(''),
          profile: z.string().default(''),
          pix_fmt: z.string().default(''),
          width: z.number().optional(),
          height: z.number().optional(),
          avg_frame_rate: z.string().optional(),
          r_frame_rate: z.string().optional(),
          nb_frames: numeric,
          duration: numeric,
          sample_rate: numeric,
          channels: z.number().optional(),
        })
        .loose(),
    )
    .default([]),
});

function toNumber(value: string | number | undefined): number | undefined {
  if (value === undefined || value === 'N/A') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function rate(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const [num, den] = value.split('/').map(Number);
  if (!den) return undefined;
  return num / den;
}

/** Reads container and first video/audio stream facts with ffprobe, validated by the MediaProbe schema. */
export async function probeMedia(path: string): Promise<MediaProbe> {
  const { ffprobe } = binaryPaths();
  const result = await run(ffprobe, ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', path]);
  if (result.code !== 0) {
    throw new ProbeError(
      `ffprobe cannot read ${path}: ${tail(result.stderr, 5) || `exit ${result.code}`}. Check that the file exists and is a complete media file.`,
    );
  }
  let raw: z.infer<typeof FfprobeOutput>;
  try {
    raw = FfprobeOutput.parse(JSON.parse(result.stdout));
  } catch (error) {
    throw new ProbeError(`ffprobe printed unexpected output for ${path}; check the FFPROBE_PATH binary.`, { cause: error });
  }
  const v = raw.streams.find((s) => s.codec_type === 'video');
  const a = raw.streams.find((s) => s.codec_type === 'audio');
  const bytes = toNumber(raw.format.size) ?? (await stat(path)).size;
  return MediaProbe.parse({
    durationSeconds: toNumber(raw.format.duration) ?? toNumber(v?.duration) ?? 0,
    bytes,
    formatName: raw.format.format_name,
    video:
      v && v.width && v.height
        ? {
            codec: v.codec_name,
            profile: v.profile,
            pixFmt: v.pix_fmt,
            width: v.width,
            height: v.height,
            // avg_frame_rate is 0/0 for stills; r_frame_rate is the fallback there.
            fps: rate(v.avg_frame_rate) ?? rate(v.r_frame_rate) ?? 0,
            frames: toNumber(v.nb_frames),
          }
        : undefined,
    audio: a ? { codec: a.codec_name, sampleRate: toNumber(a.sample_rate) ?? 0, channels: a.channels ?? 0 } : undefined,
  });
}

let version: Promise<string> | undefined;

/** The first line of `ffmpeg -version` (cached), e.g. for logs and the run record. */
export function ffmpegVersion(): Promise<string> {
  version ??= run(binaryPaths().ffmpeg, ['-version']).then((r) => {
    if (r.code !== 0) throw new FfmpegBinaryError(`ffmpeg -version failed: ${tail(r.stderr, 5)}. Check FFMPEG_PATH.`);
    return r.stdout.split('\n')[0].trim();
  });
  return version;
}

let filters: Promise<Set<string>> | undefined;

/** Whether this ffmpeg build has a filter (cached): the npm 2018 build lacks `xfade`, for one. */
export async function hasFilter(name: string): Promise<boolean> {
  filters ??= run(binaryPaths().ffmpeg, ['-hide_banner', '-filters']).then((r) => {
    if (r.code !== 0) throw new FfmpegBinaryError(`ffmpeg -filters failed: ${tail(r.stderr, 5)}. Check FFMPEG_PATH.`);
    const names = new Set<string>();
    for (const line of r.stdout.split('\n')) {
      const match = /^\s*[A-Z.|]{3}\s+(\S+)\s+\S+->\S+/.exec(line);
      if (match) names.add(match[1]);
    }
    return names;
  });
  return (await filters).has(name);
}
