import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChannelSpec } from '#domain/channel-spec';
import type { Storyboard } from '#domain/storyboard';
import type { CameraMove } from '#domain/template';
import { hasFilter, runFfmpeg } from './ffmpeg.ts';
import { MediaError } from './media-error.ts';
import { renderTextImage } from './text-image.ts';

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

export type ShotSource = { kind: 'plate'; path: string; camera: CameraMove } | { kind: 'clip'; path: string };

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
  signal?: AbortSignal;
}

/** How far a push/pan zooms in; enough for visible motion, little enough to keep the product framed. */
const ZOOM = 0.12;
const OVERLAY_FADE = 0.3;

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

/** zoompan z/x/y expressions for one camera move; smoothstep easing so moves start and stop gently. */
export function cameraExpressions(camera: CameraMove, frames: number): { z: string; x: string; y: string } {
  const p = `(on/${Math.max(1, frames - 1)})`;
  const ease = `(${p}*${p}*(3-2*${p}))`;
  const cx = '(iw-iw/zoom)/2';
  const cy = '(ih-ih/zoom)/2';
  const full = num(1 + ZOOM);
  switch (camera) {
    case 'static': return { z: '1', x: '0', y: '0' };
    case 'push-in': return { z: `1+${ZOOM}*${ease}`, x: cx, y: cy };
    case 'pull-out': return { z: `1+${ZOOM}*(1-${ease})`, x: cx, y: cy };
    case 'pan-left': return { z: full, x: `(iw-iw/zoom)*(1-${ease})`, y: cy };
    case 'pan-right': return { z: full, x: `(iw-iw/zoom)*${ease}`, y: cy };
    case 'tilt-up': return { z: full, x: cx, y: `(ih-ih/zoom)*(1-${ease})` };
    case 'tilt-down': return { z: full, x: cx, y: `(ih-ih/zoom)*${ease}` };
    // A true parallax needs a cut-out subject layer; until plates carry one, a slower push reads similarly.
    case 'parallax': return { z: `1+${ZOOM / 2}*${ease}`, x: cx, y: cy };
  }
}

export interface AssemblyPlan {
  /** ffmpeg input arguments, in input order. */
  inputs: string[];
  /** The -filter_complex_script text; ends in the [vout] label. */
  filterGraph: string;
  timeline: Timeline;
}

/** Builds the single-pass ffmpeg inputs and filter graph (pure: no I/O); overlay PNG paths are given. */
export function planAssembly(opts: {
  storyboard: Storyboard;
  channel: ChannelSpec;
  shots: AssembleShot[];
  overlayPaths: string[];
  canPadClips: boolean;
}): AssemblyPlan {
  const { storyboard, channel, overlayPaths } = opts;
  const { width: W, height: H } = channel;
  const fps = channel.fps;
  const timeline = planTimeline(storyboard, fps);
  const sampleRate = channel.audio.sampleRate > 0 ? channel.audio.sampleRate : 48000;
  const inputs = [
    '-f', 'lavfi', '-i', `color=c=black:s=${W}x${H}:r=${fps}:d=${num(timeline.duration)}`,
    '-f', 'lavfi', '-i', `anullsrc=r=${sampleRate}:cl=stereo`,
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

  timeline.shots.forEach((shot, i) => {
    const source = bySource.get(shot.index);
    if (!source) throw new AssemblyError(`Shot ${shot.index} of storyboard ${storyboard.hash} has no rendered source: pass one entry per storyboard shot.`);
    const startSeconds = num(shot.startFrame / fps);
    const tail = [
      shot.fadeIn > 0 ? `format=yuva420p,fade=t=in:st=0:d=${num(shot.fadeIn)}:alpha=1` : 'format=yuv420p',
      `setpts=PTS-STARTPTS+${startSeconds}/TB`,
    ].join(',');
    let chain: string;
    if (source.kind === 'plate') {
      // Forced image2 with no pattern: a '%' in a folder name must not turn the path into a sequence.
      inputs.push('-f', 'image2', '-pattern_type', 'none', '-i', source.path);
      const e = cameraExpressions(source.camera, shot.frames);
      // Zooming from a 2× plate halves zoompan's whole-pixel steps, which is what makes slow moves jitter.
      chain = [
        `scale=${2 * W}:${2 * H}:force_original_aspect_ratio=increase`,
        `crop=${2 * W}:${2 * H}`,
        'setsar=1',
        'format=yuv420p',
        `zoompan=z='${e.z}':x='${e.x}':y='${e.y}':d=${shot.frames}:s=${W}x${H}:fps=${fps}`,
        'setsar=1',
        `trim=end_frame=${shot.frames}`,
      ].join(',');
    } else {
      inputs.push('-i', source.path);
      chain = [
        'setpts=PTS-STARTPTS',
        `scale=${W}:${H}:force_original_aspect_ratio=increase`,
        `crop=${W}:${H}`,
        'setsar=1',
        `fps=${fps}`,
        // A clip shorter than its slot holds its last frame instead of showing black.
        ...(opts.canPadClips ? [`tpad=stop_mode=clone:stop_duration=${num(shot.frames / fps)}`] : []),
        `trim=end_frame=${shot.frames}`,
      ].join(',');
    }
    const label = `[s${i}]`;
    lines.push(`[${input}:v]${chain},${tail}${label};`);
    step(label, 'overlay=eof_action=pass');
    input += 1;
  });

  storyboard.overlays.forEach((overlay, i) => {
    const t = timeline.overlays[i];
    inputs.push('-f', 'image2', '-pattern_type', 'none', '-loop', '1', '-framerate', String(fps), '-t', num(t.duration), '-i', overlayPaths[i]);
    const fade = Math.min(OVERLAY_FADE, t.duration / 3);
    const label = `[t${i}]`;
    lines.push(
      `[${input}:v]format=yuva420p,fade=t=in:st=0:d=${num(fade)}:alpha=1,` +
        `fade=t=out:st=${num(t.duration - fade)}:d=${num(fade)}:alpha=1,setpts=PTS-STARTPTS+${num(t.start)}/TB${label};`,
    );
    step(label, `overlay=x=${overlay.box.x}:y=${overlay.box.y}:eof_action=pass`);
    input += 1;
  });

  lines.push(`${base}format=yuv420p[vout]`);
  return { inputs, filterGraph: lines.join('\n'), timeline };
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
    const visible = storyboard.overlays.filter((o) => t >= o.start + OVERLAY_FADE && t <= o.end - OVERLAY_FADE).length;
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

function encodeArgs(channel: ChannelSpec, timeline: Timeline, rate: Rate): string[] {
  const audioKbps = channel.audio.bitrateKbps > 0 ? channel.audio.bitrateKbps : 128;
  const sampleRate = channel.audio.sampleRate > 0 ? channel.audio.sampleRate : 48000;
  const video = rate.mode === 'crf'
    ? ['-crf', '21', '-maxrate', `${rate.kbps}k`, '-bufsize', `${rate.kbps * 2}k`]
    : ['-b:v', `${rate.kbps}k`, '-maxrate', `${rate.kbps}k`, '-bufsize', `${rate.kbps}k`];
  return [
    '-map', '[vout]', '-map', '1:a',
    '-c:v', 'libx264', '-profile:v', channel.video.profile, '-pix_fmt', 'yuv420p', '-preset', 'veryfast',
    ...video,
    '-r', String(timeline.fps), '-g', String(Math.max(1, Math.round(timeline.fps * 2))),
    '-c:a', 'aac', '-b:a', `${audioKbps}k`, '-ar', String(sampleRate), '-ac', '2',
    '-frames:v', String(timeline.totalFrames), '-t', num(timeline.duration),
    '-movflags', '+faststart',
  ];
}

/** Encodes a storyboard's shots, transitions, text overlays and silent audio into one MP4 plus a poster JPEG, in one ffmpeg pass. */
export async function assembleVideo(opts: AssembleOptions): Promise<{ encodeSeconds: number }> {
  const { storyboard, channel, outPath, posterPath, workDir, signal } = opts;
  if (storyboard.width !== channel.width || storyboard.height !== channel.height) {
    throw new AssemblyError(
      `Storyboard ${storyboard.hash} is ${storyboard.width}×${storyboard.height} but channel ${channel.id} is ${channel.width}×${channel.height}: re-plan the storyboard for this channel.`,
    );
  }
  // User text becomes pixels here, so it never enters the filter graph or an argument.
  const overlayPaths = await Promise.all(storyboard.overlays.map(async (o, i) => {
    const path = join(workDir, `overlay-${i}.png`);
    const png = await renderTextImage({ text: o.text, fontPx: o.fontPx, color: o.color, background: o.background, width: o.box.w, height: o.box.h });
    await writeFile(path, png);
    return path;
  }));
  const plan = planAssembly({ storyboard, channel, shots: opts.shots, overlayPaths, canPadClips: opts.shots.some((s) => s.source.kind === 'clip') && (await hasFilter('tpad')) });
  const scriptPath = join(workDir, 'assemble.filtergraph');
  await writeFile(scriptPath, plan.filterGraph);

  const audioKbps = channel.audio.bitrateKbps > 0 ? channel.audio.bitrateKbps : 128;
  let rate: Rate = { mode: 'crf', kbps: channel.video.bitrateKbps };
  let encodeSeconds = 0;
  let bytes = 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = performance.now();
    await runFfmpeg([...plan.inputs, '-filter_complex_script', scriptPath, ...encodeArgs(channel, plan.timeline, rate), outPath], { signal });
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
      `The ${channel.id} video is ${bytes} bytes, above the ${channel.maxBytes}-byte cap even at a lower bitrate: shorten the storyboard or raise the channel's maxBytes.`,
    );
  }

  const at = posterTime(storyboard, plan.timeline.duration);
  await runFfmpeg(['-ss', num(at), '-i', outPath, '-frames:v', '1', '-q:v', '3', '-update', '1', posterPath], { signal });
  return { encodeSeconds: Math.round(encodeSeconds * 1000) / 1000 };
}
