import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { OutputInfo } from 'sharp';
import type { ChannelSpec } from '#domain/model/channel-spec';
import type { Box, Storyboard } from '#domain/model/storyboard';
import type { CameraMove } from '#domain/model/template';
import { hasFilter, probeMedia, runFfmpeg } from './ffmpeg.ts';
import { MediaError } from './media-error.ts';
import { ensureContrast, WORST_CASE_BACKDROP } from './text-contrast.ts';
import type { RgbSamples } from './text-contrast.ts';
import { loadBrandFont } from './brand-font.ts';
import { renderTextLayers } from './text-image.ts';
import { MAX_ENTRY_SECONDS, motionFor, motionStrip } from './text-motion.ts';
import type { MotionStrip } from './text-motion.ts';
import { conformClipFilters } from './clip-conform.ts';

/** The inputs cannot make a valid video (a shot without a source, a storyboard for another size). */
export class AssemblyError extends MediaError {
  override readonly name = 'AssemblyError';
  override readonly code = 'ASSEMBLY_INVALID';
}

/** Even after lowering the bitrate twice the file is above the channel's byte cap. */
export class OutputTooLargeError extends MediaError {
  override readonly name = 'OutputTooLargeError';
  override readonly code = 'OUTPUT_TOO_LARGE';
}

/** The music file cannot be read as audio. */
export class MusicError extends MediaError {
  override readonly name = 'MusicError';
  override readonly code = 'MUSIC_INVALID';
}

/** The brand logo cannot be read as an image. */
export class LogoError extends MediaError {
  override readonly name = 'LogoError';
  override readonly code = 'LOGO_INVALID';
}

/**
 * A plate is a still the assembler animates with its camera move; with `productPath` (an RGBA layer of
 * the product alone) a parallax move slides the product against the background plate.
 */
export type ShotSource =
  { kind: 'plate'; path: string; camera: CameraMove; productPath?: string } | { kind: 'clip'; path: string; media?: { duration: number; fps: number } };

export interface AssembleShot {
  index: number;
  source: ShotSource;
}

export interface AssembleOptions {
  storyboard: Storyboard;
  channel: ChannelSpec;
  shots: AssembleShot[];
  outPath: string;
  posterPath: string;
  /** Scratch folder for the filter script and overlay PNGs; the caller owns its lifetime. */
  workDir: string;
  /** Brand logo (any image); shown on the end card. Absent: no logo. */
  logoPath?: string;
  /** Campaign music; trimmed to the ad, faded and loudness-normalized. Absent: a silent AAC track. */
  musicPath?: string;
  /** The campaign's own font file (brand.font), drawn before the shipped fonts. */
  fontPath?: string;
  signal?: AbortSignal;
}

/** How far a push/pan zooms in; enough for visible motion, little enough to keep the product framed. */
const ZOOM = 0.12;
/** Detail shots crop into the middle of the product: the frame shows 1/DETAIL_ZOOM of the plate. */
const DETAIL_ZOOM = 1.6;
const OVERLAY_FADE = 0.3;
/**
 * Plates are upscaled by this before zoompan: zoompan places its crop on whole (even) pixels, so a
 * larger source makes slow moves step in smaller increments. 1.5 keeps motion smooth and costs far
 * less per frame than 2 (zoompan rescales every output frame from the source).
 */
export const SUPERSAMPLE = 1.5;
/** Loudness target for campaign music (EBU R128 integrated, LUFS) and its true-peak ceiling. */
const MUSIC_LUFS = -16;
const MUSIC_TRUE_PEAK = -1.5;

/** Everything about timing, in whole output frames so shots, fades and the total line up exactly. */
export interface Timeline {
  fps: number;
  totalFrames: number;
  duration: number;
  shots: Array<{ index: number; startFrame: number; frames: number; fadeIn: number }>;
  overlays: Array<{ start: number; duration: number }>;
}

/** Converts the storyboard's seconds into frame-exact timing for the channel's fps. */
export function planTimeline(storyboard: Storyboard, fps: number): Timeline {
  const totalFrames = Math.max(1, Math.round(storyboard.duration * fps));
  const shots = storyboard.shots.map((shot) => {
    const startFrame = Math.min(totalFrames - 1, Math.round(shot.start * fps));
    const endFrame = Math.min(totalFrames, Math.round((shot.start + shot.duration) * fps));
    return { index: shot.index, startFrame, frames: Math.max(1, endFrame - startFrame), fadeIn: shot.fadeIn };
  });
  const duration = totalFrames / fps;
  const overlays = storyboard.overlays.map((o) => {
    const start = Math.min(o.start, duration);
    return { start, duration: Math.max(1 / fps, Math.min(o.end, duration) - start) };
  });
  return { fps, totalFrames, duration, shots, overlays };
}

const num = (n: number): string => String(Math.round(n * 1e6) / 1e6);
const even = (n: number): number => Math.max(2, Math.round(n / 2) * 2);

/** zoompan z/x/y expressions for one camera move; smoothstep easing so moves start and stop gently. */
export function cameraExpressions(camera: CameraMove, frames: number, opts: { detail?: boolean; offset?: number } = {}): { z: string; x: string; y: string } {
  // `offset` starts the move part-way: a segment of a shot continues exactly where the previous one stopped.
  const p = `((on+${opts.offset ?? 0})/${Math.max(1, frames - 1)})`;
  const ease = `(${p}*${p}*(3-2*${p}))`;
  const cx = '(iw-iw/zoom)/2';
  const cy = '(ih-ih/zoom)/2';
  // A detail shot starts already cropped into the product and moves within that crop.
  const base = opts.detail ? DETAIL_ZOOM : 1;
  const zoom = (z: string) => (base === 1 ? z : `${num(base)}*(${z})`);
  const full = zoom(num(1 + ZOOM));
  switch (camera) {
    case 'static':
      return { z: zoom('1'), x: opts.detail ? cx : '0', y: opts.detail ? cy : '0' };
    case 'push-in':
      return { z: zoom(`1+${ZOOM}*${ease}`), x: cx, y: cy };
    case 'pull-out':
      return { z: zoom(`1+${ZOOM}*(1-${ease})`), x: cx, y: cy };
    case 'pan-left':
      return { z: full, x: `(iw-iw/zoom)*(1-${ease})`, y: cy };
    case 'pan-right':
      return { z: full, x: `(iw-iw/zoom)*${ease}`, y: cy };
    case 'tilt-up':
      return { z: full, x: cx, y: `(ih-ih/zoom)*(1-${ease})` };
    case 'tilt-down':
      return { z: full, x: cx, y: `(ih-ih/zoom)*${ease}` };
    // Without a separate product layer, parallax degrades to a slow push with a sideways drift.
    case 'parallax':
      return { z: zoom(`1+${ZOOM / 2}+${ZOOM / 2}*${ease}`), x: `(iw-iw/zoom)*(0.25+0.5*${ease})`, y: cy };
  }
}

/**
 * The two layers of a parallax move: the background drifts one way slowly while the product (nearer
 * the camera) grows and slides the other way, so it separates from its backdrop. The product's slide is
 * an overlay offset (`overlayX`, in output pixels, `t` in seconds from the shot's start).
 */
export function parallaxExpressions(
  frames: number,
  fps: number,
  width: number,
  opts: { detail?: boolean; offset?: number } = {},
): {
  background: { z: string; x: string; y: string };
  product: { z: string; x: string; y: string };
  overlayX: string;
} {
  const off = opts.offset ?? 0;
  const p = `((on+${off})/${Math.max(1, frames - 1)})`;
  const ease = `(${p}*${p}*(3-2*${p}))`;
  const q = `((t+${num(off / fps)})/${num(Math.max(1, frames - 1) / fps)})`;
  const base = opts.detail ? DETAIL_ZOOM : 1;
  return {
    background: { z: num(base * (1 + ZOOM)), x: `(iw-iw/zoom)*(0.8-0.6*${ease})`, y: '(ih-ih/zoom)/2' },
    product: { z: `${num(base)}*(1+${ZOOM}*${ease})`, x: '(iw-iw/zoom)/2', y: '(ih-ih/zoom)/2' },
    overlayX: `${num(width * 0.04)}*(1-2*${q}*${q}*(3-2*${q}))`,
  };
}

/** The shape of an overlay's entry strip, as planAssembly needs it (the pixels are in the overlay's file). */
export type StripInfo = Pick<MotionStrip, 'tileW' | 'tileH' | 'tiles' | 'offsetX' | 'offsetY'>;

export interface AssemblyPlan {
  /** ffmpeg input arguments, in input order. */
  inputs: string[];
  /** The -filter_complex_script text; ends in the [vout] label. */
  filterGraph: string;
  timeline: Timeline;
  /** What to map as the audio track: the silent source or the processed music. */
  audioLabel: string;
}

/**
 * When the shots tile the ad exactly (each incoming fade overlaps only the previous shot's last frames,
 * the last shot ends with the ad), the frame counts of each shot's fade-in head, solo body and
 * faded-under tail; else undefined (the general overlay chain handles any timing).
 */
export function tiling(timeline: Timeline, clipsMayRunShort: boolean): Array<{ head: number; body: number; tail: number }> | undefined {
  if (clipsMayRunShort) return undefined;
  const shots = timeline.shots;
  if (shots.length === 0 || shots[0].startFrame !== 0) return undefined;
  const fade = shots.map((s, i) => (i === 0 ? 0 : Math.round(s.fadeIn * timeline.fps)));
  const out: Array<{ head: number; body: number; tail: number }> = [];
  for (let i = 0; i < shots.length; i++) {
    const end = shots[i].startFrame + shots[i].frames;
    const next = shots[i + 1];
    if (i > 0 && shots[i].startFrame <= shots[i - 1].startFrame) return undefined;
    const tail = next ? fade[i + 1] : 0;
    // The next shot must start exactly where this one's tail begins, and the last shot must end with the ad.
    if (next ? end - tail !== next.startFrame : end !== timeline.totalFrames) return undefined;
    const body = shots[i].frames - fade[i] - tail;
    if (body < 1) return undefined;
    out.push({ head: fade[i], body, tail });
  }
  return out;
}

/** How far the outgoing shot zooms on during a zoom transition, and how zoomed in the incoming one starts. */
const ZOOM_THROUGH = 0.35;
const ZOOM_IN_SETTLE = 0.2;

/** Smoothstep of a 0→1 progress expression. */
const ease = (p: string) => `(${p}*${p}*(3-2*${p}))`;

/** The transition a storyboard shot comes in with (absent: a crossfade). */
function transitionOf(storyboard: Storyboard, index: number): 'fade' | 'slide' | 'push' | 'zoom' {
  return storyboard.shots.find((s) => s.index === index)?.transition ?? 'fade';
}

/**
 * One transition over the `frames` where the outgoing tail and the incoming head overlap (both start at
 * t = 0), built from filters this 2018 ffmpeg has (no xfade): fade and zoom blend with an alpha fade
 * (zoom's movement is in the two zoompans), slide moves the incoming shot over the outgoing one with an
 * overlay x expression, push puts the two side by side and moves a crop window across them.
 */
export function transitionFilter(
  kind: 'fade' | 'slide' | 'push' | 'zoom',
  outgoing: string,
  incoming: string,
  out: string,
  frames: number,
  W: number,
  H: number,
  fps: number,
): string {
  // Progress reaches 1 on the last overlapping frame.
  const p = `min(1,(n+1)/${frames})`;
  switch (kind) {
    case 'slide':
      return `${outgoing}${incoming}overlay=x='${W}*(1-${ease(p)})':y=0:eof_action=pass:format=yuv420,format=yuv420p${out};`;
    case 'push':
      return `${outgoing}${incoming}hstack=inputs=2,crop=${W}:${H}:'${W}*${ease(p)}':0,format=yuv420p${out};`;
    case 'fade':
    case 'zoom': {
      const label = `${incoming.slice(0, -1)}f]`;
      return (
        `${incoming}format=yuva420p,fade=t=in:st=0:d=${num(frames / fps)}:alpha=1${label};\n` +
        `${outgoing}${label}overlay=eof_action=pass:format=yuv420,format=yuv420p${out};`
      );
    }
  }
}

/** Builds the single-pass ffmpeg inputs and filter graph (pure: no I/O); overlay PNG paths are given. */
export function planAssembly(opts: {
  storyboard: Storyboard;
  channel: ChannelSpec;
  shots: AssembleShot[];
  overlayPaths: string[];
  /** Per overlay, the entry strip its file holds (raw RGBA tiles, see text-motion.ts); absent: a PNG that fades in. */
  overlayStrips?: Array<StripInfo | undefined>;
  canPadClips: boolean;
  /** A logo PNG already sized to its box, shown with a fade from `start` for `duration` seconds. */
  logo?: { path: string; box: Box; start: number; duration: number };
  /** Campaign music: trimmed, loudness-normalized and faded in the same pass. */
  musicPath?: string;
  /** The music's loudness as measured over the ad's length: lets loudnorm apply one exact linear gain. */
  musicLoudness?: MusicLoudness;
}): AssemblyPlan {
  const { storyboard, channel, overlayPaths } = opts;
  const { width: W, height: H } = channel;
  const fps = channel.fps;
  const timeline = planTimeline(storyboard, fps);
  const sampleRate = channel.audio.sampleRate > 0 ? channel.audio.sampleRate : 48000;
  const inputs = [
    '-f',
    'lavfi',
    '-i',
    `color=c=black:s=${W}x${H}:r=${fps}:d=${num(timeline.duration)}`,
    '-f',
    'lavfi',
    '-i',
    `anullsrc=r=${sampleRate}:cl=stereo`,
  ];
  const lines: string[] = [];
  let input = 2;
  let base = '[0:v]';
  let layer = 0;
  const step = (label: string, overlay: string): void => {
    const out = `[b${++layer}]`;
    lines.push(`${base}${label}${overlay}${out};`);
    base = out;
  };
  const bySource = new Map(opts.shots.map((s) => [s.index, s.source]));

  /**
   * Adds frames [from, from + count) of shot i as stream `label`: yuv420p, timestamps from 0. A plate
   * segment is its own zoompan over the (single-frame) plate input continuing the move at `from`, so
   * segments never buffer each other's frames; a clip is decoded, fitted and trimmed.
   */
  const segment = (i: number, from: number, count: number, label: string, zoomBy?: (progress: string) => string): void => {
    const shot = timeline.shots[i];
    const source = bySource.get(shot.index)!;
    const detail = storyboard.shots.find((s) => s.index === shot.index)?.role === 'detail';
    if (source.kind === 'plate') {
      // Forced image2 with no pattern: a '%' in a folder name must not turn the path into a sequence.
      inputs.push('-f', 'image2', '-pattern_type', 'none', '-i', source.path);
      // Zooming from a supersampled plate shrinks zoompan's whole-pixel steps, which is what makes slow moves jitter.
      const sw = even(W * SUPERSAMPLE);
      const sh = even(H * SUPERSAMPLE);
      const prep = (format: string) => [`scale=${sw}:${sh}:force_original_aspect_ratio=increase`, `crop=${sw}:${sh}`, 'setsar=1', `format=${format}`];
      const zoompan = (e: { z: string; x: string; y: string }) => `zoompan=z='${e.z}':x='${e.x}':y='${e.y}':d=${count}:s=${W}x${H}:fps=${fps}`;
      if (source.camera === 'parallax' && source.productPath) {
        const e = parallaxExpressions(shot.frames, fps, W, { detail, offset: from });
        inputs.push('-f', 'image2', '-pattern_type', 'none', '-i', source.productPath);
        lines.push(`[${input}:v]${[...prep('yuv420p'), zoompan(e.background), 'setsar=1'].join(',')}[${label}b];`);
        lines.push(`[${input + 1}:v]${[...prep('yuva420p'), zoompan(e.product), 'setsar=1'].join(',')}[${label}p];`);
        lines.push(`[${label}b][${label}p]overlay=x='${e.overlayX}':y=0:format=yuv420,trim=end_frame=${count},setpts=PTS-STARTPTS,format=yuv420p[${label}];`);
        input += 2;
        return;
      }
      const move = cameraExpressions(source.camera, shot.frames, { detail, offset: from });
      // A zoom transition scales the move's own zoom (progress 0→1 over this segment): no extra pass over the frame.
      const e = zoomBy ? { ...move, z: `(${move.z})*(${zoomBy(`(on/${Math.max(1, count - 1)})`)})` } : move;
      lines.push(
        `[${input}:v]${[...prep('yuv420p'), zoompan(e), 'setsar=1', `trim=end_frame=${count}`, 'setpts=PTS-STARTPTS', 'format=yuv420p'].join(',')}[${label}];`,
      );
    } else {
      inputs.push('-i', source.path);
      // Retime, scale/crop and fps conversion of a model's clip: shared/media/clip-conform.ts.
      const chain = conformClipFilters({ width: W, height: H, fps, shotFrames: shot.frames, from, count, media: source.media, canPad: opts.canPadClips });
      lines.push(`[${input}:v]${chain.join(',')}[${label}];`);
    }
    input += 1;
  };

  for (const shot of timeline.shots) {
    if (!bySource.has(shot.index))
      throw new AssemblyError(`Shot ${shot.index} of storyboard ${storyboard.hash} has no rendered source: pass one entry per storyboard shot.`);
  }
  const tiles = tiling(timeline, opts.shots.some((s) => s.source.kind === 'clip') && !opts.canPadClips);
  if (tiles) {
    // Shots tile the ad exactly: concatenate each shot's solo part and blend only inside the crossfades,
    // instead of alpha-blending every shot over a black base for its whole length.
    const parts: string[] = [];
    const isPlate = (i: number) => {
      const source = bySource.get(timeline.shots[i].index);
      return source?.kind === 'plate' && !(source.camera === 'parallax' && source.productPath);
    };
    // A zoom needs both sides to be zoompan plates; with a clip on either side it falls back to a crossfade.
    const kindOf = (i: number) => {
      const kind = transitionOf(storyboard, timeline.shots[i].index);
      return kind === 'zoom' && !(isPlate(i) && isPlate(i - 1)) ? 'fade' : kind;
    };
    timeline.shots.forEach((_, i) => {
      const t = tiles[i];
      if (t.head > 0) {
        const kind = kindOf(i);
        // The incoming shot settles from a little zoomed in while the outgoing one zooms on into it.
        segment(i, 0, t.head, `zh${i}`, kind === 'zoom' ? (p) => `1+${ZOOM_IN_SETTLE}*(1-${ease(p)})` : undefined);
        lines.push(transitionFilter(kind, `[zu${i - 1}]`, `[zh${i}]`, `[zx${i}]`, t.head, W, H, fps));
        parts.push(`[zx${i}]`);
      }
      segment(i, t.head, t.body, `zm${i}`);
      parts.push(`[zm${i}]`);
      const next = timeline.shots[i + 1] ? kindOf(i + 1) : 'fade';
      if (t.tail > 0) segment(i, t.head + t.body, t.tail, `zu${i}`, next === 'zoom' ? (p) => `1+${ZOOM_THROUGH}*${ease(p)}` : undefined);
    });
    lines.push(`${parts.join('')}concat=n=${parts.length}:v=1:a=0,format=yuv420p[base];`);
    base = '[base]';
  } else {
    timeline.shots.forEach((shot, i) => {
      segment(i, 0, shot.frames, `r${i}`);
      const tail = [
        shot.fadeIn > 0 ? `format=yuva420p,fade=t=in:st=0:d=${num(shot.fadeIn)}:alpha=1` : 'format=yuv420p',
        `setpts=PTS-STARTPTS+${num(shot.startFrame / fps)}/TB`,
      ].join(',');
      lines.push(`[r${i}]${tail}[s${i}];`);
      step(`[s${i}]`, 'overlay=eof_action=pass');
    });
  }

  // A still shown for a while: decoded once and repeated in the graph (image2's -loop decodes the PNG again for every frame).
  const still = (path: string, seconds: number) => {
    inputs.push('-f', 'image2', '-pattern_type', 'none', '-i', path);
    return `format=yuva420p,loop=loop=${Math.max(0, Math.round(seconds * fps) - 1)}:size=1:start=0,setpts=N/${fps}/TB`;
  };

  storyboard.overlays.forEach((overlay, i) => {
    const t = timeline.overlays[i];
    const strip = opts.overlayStrips?.[i];
    const fade = Math.min(OVERLAY_FADE, t.duration / 3);
    const label = `[t${i}]`;
    if (!strip) {
      const repeated = still(overlayPaths[i], t.duration);
      lines.push(
        `[${input}:v]${repeated},fade=t=in:st=0:d=${num(fade)}:alpha=1,` +
          `fade=t=out:st=${num(t.duration - fade)}:d=${num(fade)}:alpha=1,setpts=PTS-STARTPTS+${num(t.start)}/TB${label};`,
      );
      step(label, `overlay=x=${overlay.box.x}:y=${overlay.box.y}:eof_action=pass`);
      input += 1;
      return;
    }
    // The entry is a strip of tiles drawn beforehand: crop shows tile min(n, last) of the one decoded frame.
    inputs.push('-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${strip.tileW}x${strip.tileH * strip.tiles}`, '-i', overlayPaths[i]);
    const frames = Math.max(1, Math.round(t.duration * fps));
    // Text still on screen when the ad ends stays (the end card holds); earlier text fades out drifting up.
    const exits = t.start + t.duration < timeline.duration - 1 / fps;
    const exitAt = t.start + t.duration - fade;
    lines.push(
      `[${input}:v]format=yuva420p,loop=loop=${frames - 1}:size=1:start=0,setpts=N/${fps}/TB,` +
        `crop=${strip.tileW}:${strip.tileH}:0:'${strip.tileH}*min(n,${strip.tiles - 1})'` +
        `${exits ? `,fade=t=out:st=${num(t.duration - fade)}:d=${num(fade)}:alpha=1` : ''},setpts=PTS-STARTPTS+${num(t.start)}/TB${label};`,
    );
    const x = overlay.box.x + strip.offsetX;
    const y0 = overlay.box.y + strip.offsetY;
    const drift = Math.round(overlay.box.h * 0.25);
    const y = exits ? `'${y0}-${drift}*pow(max(0,min(1,(t-${num(exitAt)})/${num(fade)})),2)'` : String(y0);
    step(label, `overlay=x=${x}:y=${y}:eof_action=pass`);
    input += 1;
  });

  if (opts.logo) {
    const { path, box, start, duration } = opts.logo;
    const repeated = still(path, duration);
    const fade = Math.min(OVERLAY_FADE, duration / 3);
    lines.push(`[${input}:v]${repeated},fade=t=in:st=0:d=${num(fade)}:alpha=1,setpts=PTS-STARTPTS+${num(start)}/TB[logo];`);
    step('[logo]', `overlay=x=${box.x}:y=${box.y}:eof_action=pass`);
    input += 1;
  }

  if (opts.musicPath) {
    // Loop short tracks, cut to the ad, bring to the loudness target (EBU R128, measured beforehand), then fade in and out.
    inputs.push('-stream_loop', '-1', '-i', opts.musicPath);
    const d = timeline.duration;
    const fadeOut = Math.min(1.5, d / 4);
    lines.push(
      `[${input}:a]atrim=0:${num(d)},asetpts=PTS-STARTPTS,${musicGainFilter(opts.musicLoudness)},` +
        `aresample=${sampleRate},aformat=sample_fmts=fltp:channel_layouts=stereo,` +
        `afade=t=in:st=0:d=${num(Math.min(0.5, d / 4))},afade=t=out:st=${num(d - fadeOut)}:d=${num(fadeOut)}[aout];`,
    );
    input += 1;
  }

  lines.push(`${base}format=yuv420p[vout]`);
  return { inputs, filterGraph: lines.join('\n'), timeline, audioLabel: opts.musicPath ? '[aout]' : '1:a' };
}

/** Picks the poster moment: inside the hero (else first) shot, where the most overlays are fully faded in. */
export function posterTime(storyboard: Storyboard, duration: number): number {
  const shot = storyboard.shots.find((s) => s.role === 'hero') ?? storyboard.shots[0];
  const from = shot.start + shot.fadeIn;
  // Stop before the next shot starts fading in, so the poster never shows two shots blended.
  const next = storyboard.shots.filter((s) => s.start > shot.start).reduce<number>((t, s) => Math.min(t, s.start), Infinity);
  const to = Math.max(from, Math.min(duration, shot.start + shot.duration, next));
  const middle = (from + to) / 2;
  let best = middle;
  let bestScore = -1;
  for (let k = 0; k <= 20; k++) {
    const t = from + ((to - from) * k) / 20;
    const visible = storyboard.overlays.filter(
      (o) => t >= o.start + Math.max(OVERLAY_FADE, Math.min(MAX_ENTRY_SECONDS, (o.end - o.start) / 3)) && t <= o.end - OVERLAY_FADE,
    ).length;
    if (visible > bestScore || (visible === bestScore && Math.abs(t - middle) < Math.abs(best - middle))) {
      best = t;
      bestScore = visible;
    }
  }
  return Math.max(0, Math.min(best, duration - 1 / storyboard.fps));
}

interface Rate {
  /** CRF with a peak cap on the first try; average bitrate when a retry must hit a size. */
  mode: 'crf' | 'abr';
  kbps: number;
}

function encodeArgs(channel: ChannelSpec, timeline: Timeline, rate: Rate, audioLabel: string): string[] {
  const audioKbps = channel.audio.bitrateKbps > 0 ? channel.audio.bitrateKbps : 128;
  const sampleRate = channel.audio.sampleRate > 0 ? channel.audio.sampleRate : 48000;
  const video =
    rate.mode === 'crf'
      ? ['-crf', '21', '-maxrate', `${rate.kbps}k`, '-bufsize', `${rate.kbps * 2}k`]
      : ['-b:v', `${rate.kbps}k`, '-maxrate', `${rate.kbps}k`, '-bufsize', `${rate.kbps}k`];
  return [
    '-map',
    '[vout]',
    '-map',
    audioLabel,
    '-c:v',
    'libx264',
    '-profile:v',
    channel.video.profile,
    '-pix_fmt',
    'yuv420p',
    '-preset',
    'veryfast',
    ...video,
    '-r',
    String(timeline.fps),
    '-g',
    String(Math.max(1, Math.round(timeline.fps * 2))),
    '-c:a',
    'aac',
    '-b:a',
    `${audioKbps}k`,
    '-ar',
    String(sampleRate),
    '-ac',
    '2',
    '-frames:v',
    String(timeline.totalFrames),
    '-t',
    num(timeline.duration),
    '-movflags',
    '+faststart',
  ];
}

/** What loudnorm's analysis printed for the music: the inputs of its exact (linear) second pass. */
export interface MusicLoudness {
  input_i: string;
  input_tp: string;
  input_lra: string;
  input_thresh: string;
  target_offset: string;
}

/**
 * One exact linear gain from the measured loudness to the target, capped so true peaks stay under the
 * ceiling (what loudnorm's linear mode does; this 2018 build's loudnorm passes clips under its 3 s
 * window through unchanged, so the gain is applied with `volume`). Unmeasured (silent) music is left as is.
 */
function musicGainFilter(m: MusicLoudness | undefined): string {
  if (!m) return 'anull';
  const gain = Math.min(MUSIC_LUFS - Number(m.input_i), MUSIC_TRUE_PEAK - Number(m.input_tp));
  return `volume=${num(Math.round(gain * 100) / 100)}dB`;
}

/** Measures the music over the ad's length (audio only: milliseconds next to the video encode). */
export async function measureMusic(path: string, duration: number, signal?: AbortSignal): Promise<MusicLoudness | undefined> {
  const { stderr } = await runFfmpeg(
    [
      '-loglevel',
      'info',
      '-nostats',
      '-stream_loop',
      '-1',
      '-i',
      path,
      '-vn',
      '-af',
      `atrim=0:${num(duration)},loudnorm=I=${MUSIC_LUFS}:TP=${MUSIC_TRUE_PEAK}:LRA=11:print_format=json`,
      '-f',
      'null',
      '-',
    ],
    { signal },
  );
  const json = /\{[^{}]*"input_i"[^{}]*\}/.exec(stderr);
  if (!json) return undefined;
  const raw = JSON.parse(json[0]) as Record<string, unknown>;
  const pick = (k: string) => {
    const v = String(raw[k] ?? '');
    // Silence measures as -inf: no gain can fix that, so fall back to the dynamic mode.
    if (!/^-?\d+(\.\d+)?$/.test(v)) throw new Error('unmeasurable');
    return v;
  };
  try {
    return {
      input_i: pick('input_i'),
      input_tp: pick('input_tp'),
      input_lra: pick('input_lra'),
      input_thresh: pick('input_thresh'),
      target_offset: pick('target_offset'),
    };
  } catch {
    return undefined;
  }
}

/** Fails clearly when the campaign's music is not audio ffmpeg can read. */
async function assertAudio(path: string): Promise<void> {
  const probe = await probeMedia(path).catch((error: unknown) => {
    throw new MusicError(`The campaign music ${path} cannot be read (${(error as Error).message.split('\n')[0]}): use an MP3, AAC/M4A, WAV or OGG file.`, {
      cause: error,
    });
  });
  if (!probe.audio) throw new MusicError(`The campaign music ${path} has no audio stream: use an MP3, AAC/M4A, WAV or OGG file.`);
}

/**
 * Samples of the pixels behind a box while it is on screen: the plates of every shot it overlaps,
 * fitted to the frame as the filter graph fits them, over the box grown by the camera's reach.
 * Clips (generated shots) are unknown in advance, so they count as the worst case.
 */
function backdropSampler(storyboard: Storyboard, shots: AssembleShot[], channel: ChannelSpec): (box: Box, start: number, end: number) => Promise<Uint8Array> {
  const { width: W, height: H } = channel;
  const frames = new Map<string, Promise<Buffer>>();
  const frame = (source: Extract<ShotSource, { kind: 'plate' }>) => {
    const key = `${source.path}|${source.productPath ?? ''}`;
    let f = frames.get(key);
    if (!f) {
      f = (async () => {
        const base = sharp(source.path).resize(W, H, { fit: 'cover' });
        const layers = source.productPath ? [{ input: await sharp(source.productPath).resize(W, H, { fit: 'cover' }).png().toBuffer() }] : [];
        return sharp(await base.composite(layers).removeAlpha().raw().toBuffer(), { raw: { width: W, height: H, channels: 3 } })
          .raw()
          .toBuffer();
      })();
      frames.set(key, f);
    }
    return f;
  };
  const bySource = new Map(shots.map((s) => [s.index, s.source]));
  return async (box, start, end) => {
    const parts: Uint8Array[] = [];
    for (const shot of storyboard.shots) {
      if (shot.start >= end || shot.start + shot.duration <= start) continue;
      const source = bySource.get(shot.index);
      if (!source || source.kind === 'clip') {
        parts.push(WORST_CASE_BACKDROP);
        continue;
      }
      const data = await frame(source);
      // Camera moves shift content by up to ~ZOOM of the frame; detail shots magnify the middle.
      const grow = Math.round(Math.max(W, H) * (shot.role === 'detail' ? 0.25 : ZOOM));
      const x0 = Math.max(0, box.x - grow),
        y0 = Math.max(0, box.y - grow);
      const x1 = Math.min(W, box.x + box.w + grow),
        y1 = Math.min(H, box.y + box.h + grow);
      const step = Math.max(1, Math.round(Math.sqrt(((x1 - x0) * (y1 - y0)) / 4000)));
      const out: number[] = [];
      for (let y = y0; y < y1; y += step) {
        for (let x = x0; x < x1; x += step) {
          const p = (y * W + x) * 3;
          out.push(data[p], data[p + 1], data[p + 2]);
        }
      }
      parts.push(Uint8Array.from(out));
    }
    if (parts.length === 0) return WORST_CASE_BACKDROP;
    const total = parts.reduce((n, p) => n + p.length, 0);
    const all = new Uint8Array(total);
    let off = 0;
    for (const p of parts) {
      all.set(p, off);
      off += p.length;
    }
    return all;
  };
}

/**
 * The end card's logo: fitted into a box a quarter of the frame wide on a light rounded plate (logos
 * are usually dark on transparent), centred below any top text of the last shot, inside the safe zone.
 */
async function prepareLogo(
  logoPath: string,
  storyboard: Storyboard,
  channel: ChannelSpec,
  workDir: string,
): Promise<{ path: string; box: Box; start: number; duration: number }> {
  const { width: W, height: H, safeZone } = channel;
  const last = storyboard.shots.reduce((a, b) => (b.start > a.start ? b : a));
  const maxW = even(Math.min(W * 0.34, W - safeZone.left - safeZone.right));
  const maxH = even(Math.max(16, Math.min(H * 0.1, W * 0.16)));
  const pad = Math.max(2, Math.round(maxH * 0.12));
  let fitted: { data: Buffer; info: OutputInfo };
  try {
    fitted = await sharp(logoPath, { limitInputPixels: 50_000_000, failOn: 'error' })
      .rotate()
      .toColourspace('srgb')
      .ensureAlpha()
      .resize(maxW - 2 * pad, maxH - 2 * pad, { fit: 'inside' })
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new LogoError(`The brand logo ${logoPath} cannot be read (${(error as Error).message.split('\n')[0]}): use a PNG (with transparency) or JPEG file.`, {
      cause: error,
    });
  }
  const w = even(fitted.info.width + 2 * pad);
  const h = even(fitted.info.height + 2 * pad);
  const plate = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">` +
      `<rect width="${w}" height="${h}" rx="${Math.round(h * 0.2)}" fill="#ffffff" fill-opacity="0.9"/></svg>`,
  );
  const png = await sharp(plate)
    .composite([
      {
        input: fitted.data,
        raw: { width: fitted.info.width, height: fitted.info.height, channels: 4 },
        left: Math.round((w - fitted.info.width) / 2),
        top: Math.round((h - fitted.info.height) / 2),
      },
    ])
    .png()
    .toBuffer();
  const path = join(workDir, 'logo.png');
  await writeFile(path, png);
  // Below the lowest top-half text box shown during the end card, so the logo never covers copy.
  const endStart = last.start + last.fadeIn;
  const topText = storyboard.overlays.filter((o) => o.end > endStart && o.box.y + o.box.h / 2 < H / 2);
  const y = Math.max(safeZone.top, ...topText.map((o) => o.box.y + o.box.h + Math.round(H * 0.02)));
  return {
    path,
    box: { x: Math.round((W - w) / 2), y: Math.min(y, H - safeZone.bottom - h), w, h },
    start: endStart,
    duration: Math.max(0.1, storyboard.duration - endStart),
  };
}

/** Encodes a storyboard's shots, transitions, text overlays and silent audio into one MP4 plus a poster JPEG, in one ffmpeg pass. */
export async function assembleVideo(opts: AssembleOptions): Promise<{ encodeSeconds: number }> {
  const { storyboard, channel, outPath, posterPath, workDir, signal } = opts;
  if (storyboard.width !== channel.width || storyboard.height !== channel.height) {
    throw new AssemblyError(
      `Storyboard ${storyboard.hash} is ${storyboard.width}×${storyboard.height} but channel ${channel.id} is ${channel.width}×${channel.height}: ` +
        `re-plan the storyboard for this channel.`,
    );
  }
  // User text becomes pixels here, so it never enters the filter graph or an argument.
  const behind = backdropSampler(storyboard, opts.shots, channel);
  const brandFont = opts.fontPath ? await loadBrandFont(opts.fontPath) : undefined;
  const fps = channel.fps;
  const rendered = await Promise.all(
    storyboard.overlays.map(async (o, i) => {
      // Measure what is behind the box during its time on screen and add or strengthen a box until WCAG AA holds.
      const { background } = ensureContrast(o.color, o.background, await behind(o.box, o.start, o.end));
      const layers = await renderTextLayers({
        text: o.text,
        fontPx: o.fontPx,
        color: o.color,
        background,
        width: o.box.w,
        height: o.box.h,
        font: o.font,
        strikethrough: o.strikethrough,
        shape: o.shape,
        brandFont,
      });
      const strip = motionStrip(layers, motionFor(o.slot), o.text.split('\n').length, fps, Math.max(0, o.end - o.start) / 3);
      if (strip) {
        const path = join(workDir, `overlay-${i}.rgba`);
        await writeFile(path, strip.data);
        return { path, strip: { tileW: strip.tileW, tileH: strip.tileH, tiles: strip.tiles, offsetX: strip.offsetX, offsetY: strip.offsetY } };
      }
      const path = join(workDir, `overlay-${i}.png`);
      const raw = { width: layers.width, height: layers.height, channels: 4 as const };
      const base = layers.box ? sharp(layers.box, { raw }) : sharp({ create: { ...raw, background: { r: 0, g: 0, b: 0, alpha: 0 } } });
      await writeFile(
        path,
        await base
          .composite([{ input: layers.text, raw }])
          .png()
          .toBuffer(),
      );
      return { path, strip: undefined };
    }),
  );
  const overlayPaths = rendered.map((r) => r.path);
  const overlayStrips = rendered.map((r) => r.strip);
  const logo = opts.logoPath ? await prepareLogo(opts.logoPath, storyboard, channel, workDir) : undefined;
  let musicLoudness: MusicLoudness | undefined;
  if (opts.musicPath) {
    await assertAudio(opts.musicPath);
    musicLoudness = await measureMusic(opts.musicPath, storyboard.duration, signal);
  }
  const plan = planAssembly({
    storyboard,
    channel,
    shots: opts.shots,
    overlayPaths,
    overlayStrips,
    logo,
    musicPath: opts.musicPath,
    musicLoudness,
    canPadClips: opts.shots.some((s) => s.source.kind === 'clip') && (await hasFilter('tpad')),
  });
  const scriptPath = join(workDir, 'assemble.filtergraph');
  await writeFile(scriptPath, plan.filterGraph);

  const audioKbps = channel.audio.bitrateKbps > 0 ? channel.audio.bitrateKbps : 128;
  let rate: Rate = { mode: 'crf', kbps: channel.video.bitrateKbps };
  let encodeSeconds = 0;
  let bytes = 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = performance.now();
    await runFfmpeg([...plan.inputs, '-filter_complex_script', scriptPath, ...encodeArgs(channel, plan.timeline, rate, plan.audioLabel), outPath], { signal });
    encodeSeconds += (performance.now() - started) / 1000;
    bytes = (await stat(outPath)).size;
    if (bytes <= channel.maxBytes) break;
    // Aim below the cap by a margin that grows per retry: container overhead and rate-control overshoot.
    const budgetKbps = ((channel.maxBytes * 8) / 1000 / plan.timeline.duration) * (attempt === 0 ? 0.9 : 0.8) - audioKbps;
    const kbps = Math.floor(Math.min(budgetKbps, rate.kbps * 0.9));
    if (attempt === 2 || kbps < 50) break;
    rate = { mode: 'abr', kbps };
  }
  if (bytes > channel.maxBytes) {
    throw new OutputTooLargeError(
      `The ${channel.id} video is ${bytes} bytes, above the ${channel.maxBytes}-byte cap even at a lower bitrate: ` +
        `shorten the storyboard or raise the channel's maxBytes.`,
    );
  }

  const at = posterTime(storyboard, plan.timeline.duration);
  await runFfmpeg(['-ss', num(at), '-i', outPath, '-frames:v', '1', '-q:v', '3', '-update', '1', posterPath], { signal });
  return { encodeSeconds: Math.round(encodeSeconds * 1000) / 1000 };
}
