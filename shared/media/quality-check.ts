import sharp from 'sharp';
import { parseColor } from './color.ts';
import { probeMedia, runFfmpegToBuffer } from './ffmpeg.ts';
import { isolateProduct, normalizeImage } from './product-image.ts';
import type { RgbaImage } from './product-image.ts';
import { contrastRatio, relativeLuminance } from './text-contrast.ts';

export { contrastRatio, relativeLuminance };

export interface QcInput {
  clipPath: string;
  expected: { width: number; height: number; duration: number };
  /** The product photo the shot must show. */
  reference?: Buffer;
  /** Text the shot must show legibly: its box in clip pixels and its colour. */
  textBoxes?: Array<{ box: { x: number; y: number; w: number; h: number }; color: string }>;
  /** Set false for shots that may legitimately hold still (a static camera); default true. */
  expectMotion?: boolean;
  /** Seconds the duration may differ from the expected one; default 0.15 s. */
  durationTolerance?: number;
  /**
   * Judge the clip as the assembler will conform it instead of asking for the exact size and length: it
   * must cover `shotSeconds` after slowing by at most CONFORM_LIMITS.maxSlowdown, have an aspect within
   * the crop bound of width×height, and need no more than maxUpscale to fill it.
   */
  conform?: { shotSeconds: number };
}

/** What the assembler can do to a generative clip in its single pass (shared/media/clip-conform.ts applies them). */
export const CONFORM_LIMITS = {
  /** Slowest retime that still looks natural. */
  maxSlowdown: 1.25,
  /** Largest ratio between the clip's and the shot's aspect that a centre crop may fix (9:16 vs 720×1280 is 1.0; 16:9 for 9:16 is 3.2). */
  aspectBound: 1.25,
  /** Most the clip may be scaled up to fill the shot (720p into 1080×1920 is 1.5). */
  maxUpscale: 2,
} as const;

/** Why a clip of this size and length cannot be conformed to the shot (empty: it can). */
export function conformProblems(clip: { width: number; height: number; duration: number }, shot: { width: number; height: number; seconds: number }): string[] {
  const c = CONFORM_LIMITS;
  const out: string[] = [];
  if (clip.duration * c.maxSlowdown < shot.seconds - 0.04) {
    out.push(
      `length: ${clip.duration.toFixed(3)} s is too short for the ${shot.seconds} s shot even slowed ${c.maxSlowdown}× ` +
        `(needs ≥ ${(shot.seconds / c.maxSlowdown).toFixed(3)} s)`,
    );
  }
  const ratio = clip.width / clip.height / (shot.width / shot.height);
  const off = Math.max(ratio, 1 / ratio);
  if (off > c.aspectBound)
    out.push(`aspect: ${clip.width}×${clip.height} is ${off.toFixed(2)}× off the ${shot.width}×${shot.height} shot (crop bound ${c.aspectBound})`);
  const upscale = Math.max(shot.width / clip.width, shot.height / clip.height);
  if (upscale > c.maxUpscale)
    out.push(`resolution: ${clip.width}×${clip.height} needs ${upscale.toFixed(2)}× upscaling for ${shot.width}×${shot.height} (max ${c.maxUpscale}×)`);
  return out;
}

export interface QcReport {
  ok: boolean;
  failures: string[];
  metrics: {
    /** Share of frames that are near-uniform (any colour). */
    blank: number;
    /** Share of frames that are black. */
    black: number;
    /** Share of frames that are white flashes or one-frame luminance spikes. */
    flash: number;
    /** Share of half-second frame pairs with no visible change. */
    frozen: number;
    /** Share of frames whose brightness jumps one way and straight back. */
    flicker: number;
    /** 0–1: how well the best placement of the reference product matches the frames. */
    fidelity?: number;
    /** Lowest WCAG contrast ratio measured for any text box. */
    minContrast?: number;
    width: number;
    height: number;
    duration: number;
    fps?: number;
  };
}

/** Every limit in one place, so the render gate's behaviour is easy to read and to tune. */
export const QC_THRESHOLDS = {
  /** Luma standard deviation (0–255) under which a thumbnail counts as uniform. */
  uniformStd: 4,
  blankMax: 0.25,
  /** Mean luma at or below which a uniform-ish frame is black, at or above which it is a white flash. */
  blackLuma: 24,
  whiteLuma: 235,
  flatStd: 12,
  blackMax: 0.03,
  flashMax: 0.03,
  /** One-frame luminance jump (0–255) that counts as a spike. */
  spikeLuma: 60,
  /** Mean absolute thumbnail difference (0–255) over half a second under which nothing moved. */
  frozenDiff: 0.35,
  frozenMax: 0.6,
  /** Opposite-signed frame-to-frame luma steps at least this big (0–255) count as flicker. */
  flickerStep: 2.5,
  flickerMax: 0.15,
  fidelityMin: 0.55,
  contrastMin: 4.5,
} as const;

const THUMB = 64;

/** Luma statistics of every frame, decoded at 64×64 grey: cheap enough for whole clips. */
async function grayFrames(clipPath: string): Promise<Uint8Array[]> {
  const raw = await runFfmpegToBuffer(['-i', clipPath, '-an', '-vf', `scale=${THUMB}:${THUMB}:flags=area,format=gray`, '-f', 'rawvideo', '-']);
  const frames: Uint8Array[] = [];
  const size = THUMB * THUMB;
  for (let off = 0; off + size <= raw.length; off += size) frames.push(raw.subarray(off, off + size));
  return frames;
}

/** One full-size RGB frame at `t` seconds. */
async function rgbFrameAt(clipPath: string, t: number, width: number, height: number): Promise<Buffer | undefined> {
  const raw = await runFfmpegToBuffer(['-ss', t.toFixed(3), '-i', clipPath, '-an', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
  return raw.length >= width * height * 3 ? raw.subarray(0, width * height * 3) : undefined;
}

function stats(frame: Uint8Array): { mean: number; std: number } {
  let s = 0,
    q = 0;
  for (const v of frame) {
    s += v;
    q += v * v;
  }
  const mean = s / frame.length;
  return { mean, std: Math.sqrt(Math.max(0, q / frame.length - mean * mean)) };
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

const round = (n: number, digits = 4): number => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Contrast of a text box in one frame: pixels near the text colour are text, the rest are what is
 * behind it; the 25th-percentile ratio (the worse quarter of the backdrop) is reported, or undefined
 * when no text is drawn there in this frame.
 */
function boxContrast(frame: Buffer, width: number, height: number, box: { x: number; y: number; w: number; h: number }, color: string): number | undefined {
  const c = parseColor(color);
  const textLum = relativeLuminance(c.r, c.g, c.b);
  const x0 = Math.max(0, box.x),
    y0 = Math.max(0, box.y);
  const x1 = Math.min(width, box.x + box.w),
    y1 = Math.min(height, box.y + box.h);
  let textPixels = 0;
  const ratios: number[] = [];
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const p = (y * width + x) * 3;
      const d = Math.hypot(frame[p] - c.r, frame[p + 1] - c.g, frame[p + 2] - c.b);
      if (d < 48) textPixels++;
      else ratios.push(contrastRatio(textLum, relativeLuminance(frame[p], frame[p + 1], frame[p + 2])));
    }
  }
  const area = Math.max(1, (x1 - x0) * (y1 - y0));
  if (textPixels < area * 0.003) return undefined;
  // Text that fills its whole box has nothing behind it to be told apart from.
  if (ratios.length < area * 0.01) return 1;
  ratios.sort((a, b) => a - b);
  return ratios[Math.floor(ratios.length * 0.25)];
}

interface Analysed {
  rgb: Buffer;
  width: number;
  height: number;
}

/** Downscales an RGB frame to `w` wide for template matching. */
async function shrinkRgb(frame: Buffer, width: number, height: number, w: number): Promise<Analysed> {
  const { data, info } = await sharp(frame, { raw: { width, height, channels: 3 } })
    .resize(w, Math.max(1, Math.round((height * w) / width)), { kernel: 'cubic' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { rgb: data, width: info.width, height: info.height };
}

/** The product photo scaled to one trial size: the patch matched against a frame (its mask: the product's opaque pixels). */
interface ImagePatch {
  rgb: Float32Array;
  mask: Uint8Array;
  width: number;
  height: number;
  textured: boolean;
}

/** The product photo as a patch `w` pixels wide, and whether it has enough texture to compare structure. */
async function patchAt(product: RgbaImage, w: number): Promise<ImagePatch> {
  const h = Math.max(1, Math.round((product.height * w) / product.width));
  const { data } = await sharp(product.data, { raw: { width: product.width, height: product.height, channels: 4 } })
    .resize(w, h, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const rgb = new Float32Array(w * h * 3);
  const mask = new Uint8Array(w * h);
  let s = 0,
    q = 0,
    n = 0;
  for (let i = 0; i < w * h; i++) {
    rgb[i * 3] = data[i * 4];
    rgb[i * 3 + 1] = data[i * 4 + 1];
    rgb[i * 3 + 2] = data[i * 4 + 2];
    mask[i] = data[i * 4 + 3] > 160 ? 1 : 0;
    if (mask[i]) {
      const l = 0.299 * data[i * 4] + 0.587 * data[i * 4 + 1] + 0.114 * data[i * 4 + 2];
      s += l;
      q += l * l;
      n++;
    }
  }
  const mean = n ? s / n : 0;
  const std = n ? Math.sqrt(Math.max(0, q / n - mean * mean)) : 0;
  return { rgb, mask, width: w, height: h, textured: std > 12 };
}

/**
 * Product fidelity at one placement: colour agreement under the product's mask, structure agreement
 * (zero-mean correlation of luma) where the product has texture, and separation (the pixels around
 * the product in the box must not look like the product, or a different shape would pass).
 */
function placementScore(frame: Analysed, t: ImagePatch, ox: number, oy: number): number {
  let inN = 0,
    dist = 0,
    outN = 0;
  let fr = 0,
    fg = 0,
    fb = 0;
  // First pass: colour distance and the frame's mean colour under the mask.
  for (let y = 0; y < t.height; y++) {
    for (let x = 0; x < t.width; x++) {
      const ti = y * t.width + x;
      if (!t.mask[ti]) continue;
      const fi = ((oy + y) * frame.width + ox + x) * 3;
      const r = frame.rgb[fi],
        g = frame.rgb[fi + 1],
        b = frame.rgb[fi + 2];
      dist += Math.abs(r - t.rgb[ti * 3]) + Math.abs(g - t.rgb[ti * 3 + 1]) + Math.abs(b - t.rgb[ti * 3 + 2]);
      fr += r;
      fg += g;
      fb += b;
      inN++;
    }
  }
  if (inN === 0) return 0;
  fr /= inN;
  fg /= inN;
  fb /= inN;
  const colour = Math.max(0, 1 - dist / inN / 3 / 64);
  let separated = 0;
  let tl = 0,
    fl = 0,
    tq = 0,
    fq = 0,
    tf = 0;
  for (let y = 0; y < t.height; y++) {
    for (let x = 0; x < t.width; x++) {
      const ti = y * t.width + x;
      const fi = ((oy + y) * frame.width + ox + x) * 3;
      const r = frame.rgb[fi],
        g = frame.rgb[fi + 1],
        b = frame.rgb[fi + 2];
      if (!t.mask[ti]) {
        outN++;
        if (Math.abs(r - fr) + Math.abs(g - fg) + Math.abs(b - fb) > 60) separated++;
        continue;
      }
      if (t.textured) {
        const a = 0.299 * t.rgb[ti * 3] + 0.587 * t.rgb[ti * 3 + 1] + 0.114 * t.rgb[ti * 3 + 2];
        const c = 0.299 * r + 0.587 * g + 0.114 * b;
        tl += a;
        fl += c;
        tq += a * a;
        fq += c * c;
        tf += a * c;
      }
    }
  }
  let structure = 1;
  if (t.textured) {
    const cov = tf / inN - (tl / inN) * (fl / inN);
    const vt = tq / inN - (tl / inN) ** 2;
    const vf = fq / inN - (fl / inN) ** 2;
    structure = vt > 0 && vf > 0 ? Math.max(0, cov / Math.sqrt(vt * vf)) : 0;
  }
  const separation = outN > t.width * t.height * 0.05 ? separated / outN : 1;
  return colour * structure * Math.sqrt(separation);
}

/** Best placement of the reference over a frame, across sizes (camera zoom) and positions (camera pan). */
async function bestMatch(frame: Analysed, product: RgbaImage): Promise<number> {
  let best = 0;
  for (const share of [0.3, 0.42, 0.55, 0.68, 0.8, 0.92]) {
    const w = Math.max(4, Math.round(frame.width * share));
    const t = await patchAt(product, w);
    if (t.height > frame.height || t.width > frame.width) continue;
    const step = Math.max(1, Math.round(frame.width / 48));
    for (let oy = 0; oy + t.height <= frame.height; oy += step) {
      for (let ox = 0; ox + t.width <= frame.width; ox += step) {
        const s = placementScore(frame, t, ox, oy);
        if (s > best) best = s;
      }
    }
  }
  return best;
}

/** Samples a shot's frames and checks what a viewer would reject: blank, black/flash, frozen/flicker, wrong size or length, wrong product, illegible text. */
export async function checkShot(input: QcInput): Promise<QcReport> {
  const t = QC_THRESHOLDS;
  const failures: string[] = [];
  const probe = await probeMedia(input.clipPath);
  const width = probe.video?.width ?? 0;
  const height = probe.video?.height ?? 0;
  const duration = probe.durationSeconds;
  const { expected } = input;
  if (!probe.video) failures.push('size: the file has no video stream');
  else if (input.conform)
    failures.push(...conformProblems({ width, height, duration }, { width: expected.width, height: expected.height, seconds: input.conform.shotSeconds }));
  else if (width !== expected.width || height !== expected.height) failures.push(`size: ${width}×${height}, expected ${expected.width}×${expected.height}`);
  const tolerance = input.durationTolerance ?? 0.15;
  if (!input.conform && Math.abs(duration - expected.duration) > tolerance)
    failures.push(`duration: ${duration.toFixed(3)} s, expected ${expected.duration} s (±${tolerance})`);

  const frames = probe.video ? await grayFrames(input.clipPath) : [];
  const n = Math.max(1, frames.length);
  const s = frames.map(stats);
  const blank = s.filter((f) => f.std < t.uniformStd).length / n;
  const black = s.filter((f) => f.mean <= t.blackLuma && f.std < t.flatStd).length / n;
  let flashes = s.filter((f) => f.mean >= t.whiteLuma && f.std < t.flatStd).length;
  let flickers = 0;
  for (let i = 1; i + 1 < s.length; i++) {
    const a = s[i].mean - s[i - 1].mean;
    const b = s[i + 1].mean - s[i].mean;
    if (Math.abs(a) >= t.spikeLuma && Math.abs(b) >= t.spikeLuma && Math.sign(a) !== Math.sign(b)) flashes++;
    if (Math.abs(a) >= t.flickerStep && Math.abs(b) >= t.flickerStep && Math.sign(a) !== Math.sign(b)) flickers++;
  }
  const flash = Math.min(1, flashes / n);
  const flicker = flickers / n;
  const fps = probe.video?.fps || 30;
  const gap = Math.max(1, Math.round(fps / 2));
  let still = 0,
    pairs = 0;
  for (let i = 0; i + gap < frames.length; i += gap) {
    pairs++;
    if (meanAbsDiff(frames[i], frames[i + gap]) < t.frozenDiff) still++;
  }
  const frozen = pairs ? still / pairs : 1;

  if (frames.length === 0 && probe.video) failures.push('decode: no frames could be decoded');
  if (blank > t.blankMax) failures.push(`blank: ${(blank * 100).toFixed(0)}% of frames are near-uniform (max ${t.blankMax * 100}%)`);
  if (black > t.blackMax) failures.push(`black: ${(black * 100).toFixed(1)}% of frames are black (max ${t.blackMax * 100}%)`);
  if (flash > t.flashMax) failures.push(`flash: ${(flash * 100).toFixed(1)}% of frames are white flashes or spikes (max ${t.flashMax * 100}%)`);
  if ((input.expectMotion ?? true) && frozen > t.frozenMax)
    failures.push(`frozen: ${(frozen * 100).toFixed(0)}% of half-second steps show no motion (max ${t.frozenMax * 100}%)`);
  if (flicker > t.flickerMax) failures.push(`flicker: ${(flicker * 100).toFixed(0)}% of frames jump in brightness and back (max ${t.flickerMax * 100}%)`);

  let fidelity: number | undefined;
  let minContrast: number | undefined;
  if (probe.video && (input.reference || input.textBoxes?.length)) {
    const times = [0.25, 0.5, 0.75].map((p) => Math.min(Math.max(0, duration - 1 / fps), duration * p));
    const rgb = (await Promise.all(times.map((at) => rgbFrameAt(input.clipPath, at, width, height)))).filter((f): f is Buffer => f !== undefined);
    if (input.reference) {
      const product = isolateProduct(await normalizeImage(input.reference, 'the QC reference'));
      const scores = await Promise.all(rgb.map(async (f) => bestMatch(await shrinkRgb(f, width, height, 64), product)));
      scores.sort((a, b) => a - b);
      fidelity = round(scores.length ? scores[Math.floor(scores.length / 2)] : 0, 3);
      if (fidelity < t.fidelityMin)
        failures.push(`fidelity: the reference product matches at ${fidelity} (min ${t.fidelityMin}); the shot shows a different or distorted product`);
    }
    (input.textBoxes ?? []).forEach((tb, i) => {
      const seen = rgb.map((f) => boxContrast(f, width, height, tb.box, tb.color)).filter((c): c is number => c !== undefined);
      if (seen.length === 0) {
        failures.push(`text ${i}: no ${tb.color} text found in its box in any sampled frame`);
        return;
      }
      const worst = Math.min(...seen);
      minContrast = Math.min(minContrast ?? Infinity, worst);
    });
    if (minContrast !== undefined) {
      minContrast = round(minContrast, 2);
      if (minContrast < t.contrastMin) failures.push(`contrast: text contrast ${minContrast}:1 is below WCAG ${t.contrastMin}:1`);
    }
  }

  return {
    ok: failures.length === 0,
    failures,
    metrics: {
      blank: round(blank),
      black: round(black),
      flash: round(flash),
      frozen: round(frozen),
      flicker: round(flicker),
      ...(fidelity !== undefined ? { fidelity } : {}),
      ...(minContrast !== undefined ? { minContrast } : {}),
      width,
      height,
      duration: round(duration, 3),
      fps: round(fps, 3),
    },
  };
}
