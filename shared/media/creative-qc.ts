import type { ChannelSpec } from '#domain/model/channel-spec';
import { checkLayout, CREATIVE_THRESHOLDS, CreativeReport } from '#domain/planning/creative-qc';
import type { ShotPicture } from '#domain/planning/creative-qc';
import type { Storyboard } from '#domain/model/storyboard';
import { runFfmpegToBuffer } from './ffmpeg.ts';
import { contrastRatio, relativeLuminance } from './text-contrast.ts';

/*
 * The frame half of the creative QC: frames sampled off the encoded ad (one decode pass), measured for
 * flat, empty-looking areas per product shot and for the contrast of every text box as it came out.
 */

/** Decodes the given frame numbers of a video as RGB24 frames, in one ffmpeg pass. */
export async function sampleFrames(videoPath: string, frames: readonly number[], width: number, height: number): Promise<Buffer[]> {
  const wanted = [...new Set(frames.map((f) => Math.max(0, Math.round(f))))].sort((a, b) => a - b);
  if (wanted.length === 0) return [];
  const select = wanted.map((f) => `eq(n\\,${f})`).join('+');
  const raw = await runFfmpegToBuffer(['-i', videoPath, '-an', '-vf', `select='${select}'`, '-vsync', '0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
    maxBytes: (wanted.length + 1) * width * height * 3,
  });
  const size = width * height * 3;
  const out: Buffer[] = [];
  for (let off = 0; off + size <= raw.length; off += size) out.push(raw.subarray(off, off + size));
  const byFrame = new Map(wanted.map((f, i) => [f, out[Math.min(i, out.length - 1)]]));
  return frames.map((f) => byFrame.get(Math.max(0, Math.round(f)))!).filter(Boolean);
}

/** Share of a frame's 16×16 blocks that are flat (luma std dev under `std`): empty background, in effect. */
export function flatBlockShare(rgb: Uint8Array, width: number, height: number, block = 16, std = 3): number {
  let flat = 0,
    total = 0;
  for (let by = 0; by + block <= height; by += block) {
    for (let bx = 0; bx + block <= width; bx += block) {
      let s = 0,
        q = 0;
      for (let y = by; y < by + block; y++) {
        for (let x = bx; x < bx + block; x++) {
          const i = (y * width + x) * 3;
          const l = 0.2126 * rgb[i] + 0.7152 * rgb[i + 1] + 0.0722 * rgb[i + 2];
          s += l;
          q += l * l;
        }
      }
      const n = block * block,
        mean = s / n;
      if (Math.sqrt(Math.max(0, q / n - mean * mean)) < std) flat++;
      total++;
    }
  }
  return total ? flat / total : 0;
}

/** Contrast of a text box as it came out: WCAG ratio between its darkest and lightest few per cent of pixels. */
export function boxContrast(rgb: Uint8Array, width: number, height: number, box: { x: number; y: number; w: number; h: number }): number {
  const lum: number[] = [];
  for (let y = Math.max(0, box.y); y < Math.min(height, box.y + box.h); y++) {
    for (let x = Math.max(0, box.x); x < Math.min(width, box.x + box.w); x++) {
      const i = (y * width + x) * 3;
      lum.push(relativeLuminance(rgb[i], rgb[i + 1], rgb[i + 2]));
    }
  }
  if (lum.length === 0) return 1;
  lum.sort((a, b) => a - b);
  const at = (q: number) => lum[Math.min(lum.length - 1, Math.floor(q * lum.length))];
  return contrastRatio(at(0.97), at(0.03));
}

export interface CreativeInput {
  videoPath: string;
  storyboard: Storyboard;
  channel: ChannelSpec;
  pictures: readonly ShotPicture[];
}

/**
 * Checks an encoded video ad as a brand would: the layout facts (product share, text inside the safe zone,
 * text size, text over the product) and three frames per shot (flat-block share per product shot, the
 * contrast of each text box in the middle of its time on screen).
 */
export async function checkCreative(input: CreativeInput): Promise<CreativeReport> {
  const { storyboard, channel } = input;
  const report = checkLayout(storyboard, channel, input.pictures);
  const fps = channel.fps;
  const last = Math.max(0, Math.round(storyboard.duration * fps) - 1);
  const frameAt = (t: number) => Math.min(last, Math.round(t * fps));
  // Frames inside each shot, clear of its incoming fade.
  const shotFrames = storyboard.shots.map((s) => {
    const a = s.start + s.fadeIn,
      b = s.start + s.duration - 0.05;
    return [0.15, 0.5, 0.85].map((q) => frameAt(a + (b - a) * q));
  });
  const textFrames = storyboard.overlays.map((o) => frameAt((o.start + Math.min(o.end, storyboard.duration)) / 2));
  const all = [...shotFrames.flat(), ...textFrames];
  const frames = await sampleFrames(input.videoPath, all, channel.width, channel.height);
  const frameOf = new Map(all.map((f, i) => [f, frames[i]]));
  const failures = [...report.failures];
  const shots = report.shots.map((shot, i) => {
    if (!shot.productBox) return shot;
    const sampled = shotFrames[i].map((f) => frameOf.get(f)).filter((f): f is Buffer => !!f);
    const flatShare = sampled.length
      ? Math.round((sampled.reduce((s, f) => s + flatBlockShare(f, channel.width, channel.height), 0) / sampled.length) * 1000) / 1000
      : undefined;
    return { ...shot, ...(flatShare !== undefined ? { flatShare } : {}) };
  });
  const texts = report.texts.map((text, i) => {
    const frame = frameOf.get(textFrames[i]);
    if (!frame) return text;
    const contrast = Math.round(boxContrast(frame, channel.width, channel.height, text.box) * 100) / 100;
    if (contrast < CREATIVE_THRESHOLDS.minContrast)
      failures.push(`${text.slot} text has a contrast of ${contrast}:1 on the output (min ${CREATIVE_THRESHOLDS.minContrast}:1)`);
    return { ...text, contrast };
  });
  return CreativeReport.parse({ ...report, ok: failures.length === 0, failures, shots, texts });
}
