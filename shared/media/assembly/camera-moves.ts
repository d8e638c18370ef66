import type { CameraMove } from '#domain/model/template';
import { num } from './filter-numbers.ts';

/** How far a push/pan zooms in; enough for visible motion, little enough to keep the product framed. */
export const ZOOM = 0.12;
/** Detail shots crop into the middle of the product: the frame shows 1/DETAIL_ZOOM of the plate. */
const DETAIL_ZOOM = 1.6;
/**
 * Plates are upscaled by this before zoompan: zoompan places its crop on whole (even) pixels, so a
 * larger source makes slow moves step in smaller increments. 1.5 keeps motion smooth and costs far
 * less per frame than 2 (zoompan rescales every output frame from the source).
 */
export const SUPERSAMPLE = 1.5;

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
