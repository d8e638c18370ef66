import { cameraExpressions } from '#media/assembly/camera-moves';
import { runFfmpeg } from '#media/ffmpeg';
import type { CameraMove } from '#domain/model/template';

export interface PlateClipOptions {
  platePath: string;
  camera: CameraMove;
  width: number;
  height: number;
  duration: number;
  fps: number;
  outPath: string;
}

/**
 * Encodes a procedural plate with its camera move into a short H.264 clip, with the same zoompan
 * expressions the assembler uses, so the http reference server returns what a video endpoint would.
 */
export async function encodePlateClip(opts: PlateClipOptions): Promise<void> {
  const { width: W, height: H, fps } = opts;
  const frames = Math.max(1, Math.round(opts.duration * fps));
  const e = cameraExpressions(opts.camera, frames);
  const filter = [
    `scale=${2 * W}:${2 * H}:force_original_aspect_ratio=increase`,
    `crop=${2 * W}:${2 * H}`,
    'setsar=1',
    'format=yuv420p',
    `zoompan=z='${e.z}':x='${e.x}':y='${e.y}':d=${frames}:s=${W}x${H}:fps=${fps}`,
    'setsar=1',
    `trim=end_frame=${frames}`,
    'format=yuv420p',
  ].join(',');
  await runFfmpeg([
    '-f',
    'image2',
    '-pattern_type',
    'none',
    '-i',
    opts.platePath,
    '-vf',
    filter,
    '-frames:v',
    String(frames),
    '-an',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-crf',
    '20',
    '-pix_fmt',
    'yuv420p',
    '-movflags',
    '+faststart',
    opts.outPath,
  ]);
}
