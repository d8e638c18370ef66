import sharp from 'sharp';
import { sha256 } from '#domain/hash';
import { ANALYZER_VERSION, classifyPhoto, PhotoAnalysis } from '#domain/model/photo-analysis';
import type { PhotoClass, PhotoFigures, UnitBox } from '#domain/model/photo-analysis';
import { MAX_INPUT_PIXELS, normalizeImage } from './product-image.ts';
import type { RgbaImage } from './product-image.ts';

/*
 * Measures a product photo: a smooth backdrop model fitted to its border (a quadratic surface per
 * channel, which follows a studio sweep's gradient and a radial vignette), a keyer against that model
 * with clean edges, the product box, the salient region (sharp's attention strategy) and colours.
 */

/** Longest side the class and boxes are measured at: enough for the decision, fast on any photo. */
const ANALYSIS_SIDE = 384;

/** A smooth backdrop: per channel c, value = Σ coef[c][k]·basis_k(u, v) with u, v in −1..1. */
export interface BackdropModel {
  coef: [number[], number[], number[]];
  /** Luma std dev of the border ring around the model. */
  residual: number;
  /** Luma max − min of the model over the photo. */
  range: number;
  mean: [number, number, number];
}

const basis = (u: number, v: number): number[] => [1, u, v, u * u, v * v, u * v];

/** Solves the normal equations A·x = b (6×6) by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    if (Math.abs(m[c][c]) < 1e-9) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => (Math.abs(row[i]) < 1e-9 ? 0 : row[n] / row[i]));
}

const luma = (r: number, g: number, b: number): number => 0.2126 * r + 0.7152 * g + 0.0722 * b;

/** Evaluates the model's colour at pixel (x, y). */
export function backdropAt(model: BackdropModel, x: number, y: number, width: number, height: number): [number, number, number] {
  const f = basis((2 * x) / Math.max(1, width - 1) - 1, (2 * y) / Math.max(1, height - 1) - 1);
  const at = (c: number[]) => c.reduce((s, k, i) => s + k * f[i], 0);
  return [at(model.coef[0]), at(model.coef[1]), at(model.coef[2])];
}

/** Fills `out` (width × 3) with the model's colours along row y: the quadratic in u for a fixed v. */
function backdropRow(model: BackdropModel, y: number, width: number, height: number, out: Float32Array): void {
  const v = (2 * y) / Math.max(1, height - 1) - 1;
  for (let c = 0; c < 3; c++) {
    const k = model.coef[c];
    const a = k[0] + k[2] * v + k[4] * v * v,
      b = k[1] + k[5] * v,
      q = k[3];
    for (let x = 0; x < width; x++) {
      const u = (2 * x) / Math.max(1, width - 1) - 1;
      out[x * 3 + c] = a + b * u + q * u * u;
    }
  }
}

/** Fits the smooth backdrop to the outer ring of the photo (6 % of the short side), least squares. */
export function fitBackdrop(img: RgbaImage): BackdropModel {
  const { data, width, height } = img;
  const ring = Math.max(2, Math.round(Math.min(width, height) * 0.06));
  const ata = Array.from({ length: 6 }, () => new Array<number>(6).fill(0));
  const atb: [number[], number[], number[]] = [new Array(6).fill(0), new Array(6).fill(0), new Array(6).fill(0)];
  const step = Math.max(1, Math.floor(Math.min(width, height) / 256));
  const mean = [0, 0, 0];
  let n = 0;
  const inRing = (x: number, y: number) => x < ring || y < ring || x >= width - ring || y >= height - ring;
  for (let y = 0; y < height; y += step) {
    for (let x = 0; x < width; x += step) {
      if (!inRing(x, y)) continue;
      const f = basis((2 * x) / Math.max(1, width - 1) - 1, (2 * y) / Math.max(1, height - 1) - 1);
      const i = (y * width + x) * 4;
      for (let a = 0; a < 6; a++) {
        for (let b = 0; b < 6; b++) ata[a][b] += f[a] * f[b];
        for (let c = 0; c < 3; c++) atb[c][a] += f[a] * data[i + c];
      }
      for (let c = 0; c < 3; c++) mean[c] += data[i + c];
      n++;
    }
  }
  const coef: BackdropModel['coef'] = [solve(ata, atb[0]), solve(ata, atb[1]), solve(ata, atb[2])];
  const model: BackdropModel = { coef, residual: 0, range: 0, mean: [mean[0] / n, mean[1] / n, mean[2] / n] };
  let sq = 0;
  let lo = Infinity,
    hi = -Infinity;
  const row = new Float32Array(width * 3);
  for (let y = 0; y < height; y += step) {
    backdropRow(model, y, width, height, row);
    for (let x = 0; x < width; x += step) {
      const l = luma(row[x * 3], row[x * 3 + 1], row[x * 3 + 2]);
      if (l < lo) lo = l;
      if (l > hi) hi = l;
      if (!inRing(x, y)) continue;
      const i = (y * width + x) * 4;
      sq += (luma(data[i], data[i + 1], data[i + 2]) - l) ** 2;
    }
  }
  model.residual = Math.sqrt(sq / n);
  model.range = hi - lo;
  return model;
}

// Distance from the backdrop (0–441) below which a pixel is backdrop, and above which it is product.
const KEY_NEAR = 14;
const KEY_FAR = 42;
/** Darkening counts this much: a soft floor shadow is backdrop (the layout draws its own shadow). */
const SHADOW_WEIGHT = 0.2;
const SHADOW_DEPTH = 120;
/** Largest colour step (per channel, between neighbours) the backdrop fill crosses. */
const KEY_STEP = 22;
/** A region enclosed by the product is a hole in it (a handle) only when this close to the backdrop. */
const HOLE_NEAR = 9;

/**
 * Keys the photo against its backdrop model: a flood fill from the border through backdrop-like pixels
 * (so a white logo inside the product stays), a soft ramp between KEY_NEAR and KEY_FAR, then clean
 * edges: the alpha of the product's outermost pixels is unmixed against the colour just inside them,
 * each edge pixel's colour is decontaminated (the backdrop's share taken out, so a dark product shows
 * no light fringe on a dark plate), and the alpha is feathered by a pixel.
 */
export function keyBackdrop(img: RgbaImage, model: BackdropModel): RgbaImage {
  const { width, height } = img;
  const data = Buffer.from(img.data);
  const n = width * height;
  const bg = new Float32Array(n * 3);
  const dist = new Float32Array(n);
  for (let y = 0; y < height; y++) {
    backdropRow(model, y, width, height, bg.subarray(y * width * 3, (y + 1) * width * 3));
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const r = bg[i * 3],
        g = bg[i * 3 + 1],
        b = bg[i * 3 + 2];
      const dr = data[i * 4] - r,
        dg = data[i * 4 + 1] - g,
        db = data[i * 4 + 2] - b;
      const dl = luma(dr, dg, db);
      const chroma = Math.hypot(dr - dl, dg - dl, db - dl);
      // A shadow darkens by up to SHADOW_DEPTH and counts little; anything darker is product (a black shoe).
      const dark = dl < 0 ? (-dl < SHADOW_DEPTH ? -dl * SHADOW_WEIGHT : SHADOW_DEPTH * SHADOW_WEIGHT - dl - SHADOW_DEPTH) : 0;
      dist[i] = dl < 0 ? Math.hypot(chroma, dark) : Math.hypot(chroma, dl) * 1.4;
    }
  }
  // 0: product, 1: backdrop (reached from the border), 2: edge band of the product.
  const state = new Uint8Array(n);
  const stack = new Int32Array(n);
  let top = 0;
  // The fill never crosses a sharp colour step: backdrop (noise, vignette, a soft shadow) changes
  // gradually, a product's edge does not, so a light label that touches the outline is not flooded.
  const smooth = (i: number, j: number) =>
    Math.abs(data[i * 4] - data[j * 4]) < KEY_STEP &&
    Math.abs(data[i * 4 + 1] - data[j * 4 + 1]) < KEY_STEP &&
    Math.abs(data[i * 4 + 2] - data[j * 4 + 2]) < KEY_STEP;
  const push = (j: number, from: number) => {
    if (state[j] === 0 && dist[j] < KEY_FAR && (from < 0 || smooth(from, j))) {
      state[j] = 1;
      stack[top++] = j;
    }
  };
  for (let x = 0; x < width; x++) {
    push(x, -1);
    push((height - 1) * width + x, -1);
  }
  for (let y = 0; y < height; y++) {
    push(y * width, -1);
    push(y * width + width - 1, -1);
  }
  while (top > 0) {
    const i = stack[--top];
    const x = i % width;
    if (x > 0) push(i - 1, i);
    if (x < width - 1) push(i + 1, i);
    if (i >= width) push(i - width, i);
    if (i < n - width) push(i + width, i);
  }
  // Enclosed holes (inside a mug's handle): backdrop the fill cannot reach. Only regions that match the
  // backdrop model closely, are not tiny and sit in the outer fifth of the product (where handles and
  // gaps are), so a white logo printed in the middle of the product stays.
  let bx0 = width,
    by0 = height,
    bx1 = 0,
    by1 = 0;
  for (let i = 0; i < n; i++) {
    if (state[i] !== 0) continue;
    const x = i % width,
      y = (i - x) / width;
    if (x < bx0) bx0 = x;
    if (x > bx1) bx1 = x;
    if (y < by0) by0 = y;
    if (y > by1) by1 = y;
  }
  const region = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    if (state[s] !== 0 || dist[s] >= HOLE_NEAR) continue;
    let size = 0,
      sx = 0,
      sy = 0;
    state[s] = 4;
    stack[top++] = s;
    while (top > 0) {
      const i = stack[--top];
      region[size++] = i;
      const x = i % width;
      sx += x;
      sy += (i - x) / width;
      for (const j of [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i - width, i + width]) {
        if (j >= 0 && j < n && state[j] === 0 && dist[j] < HOLE_NEAR) {
          state[j] = 4;
          stack[top++] = j;
        }
      }
    }
    const fx = (sx / size - bx0) / Math.max(1, bx1 - bx0),
      fy = (sy / size - by0) / Math.max(1, by1 - by0);
    const hole = size >= n * 0.001 && (fx < 0.2 || fx > 0.8 || fy < 0.2 || fy > 0.8);
    for (let k = 0; k < size; k++) state[region[k]] = hole ? 1 : 5;
  }
  for (let i = 0; i < n; i++) if (state[i] === 5) state[i] = 0;
  // Specks: tiny islands left in a keyed shadow or in noise are backdrop, not product.
  for (let s = 0; s < n; s++) {
    if (state[s] !== 0) continue;
    let size = 0;
    state[s] = 4;
    stack[top++] = s;
    while (top > 0) {
      const i = stack[--top];
      region[size++] = i;
      const x = i % width;
      for (const j of [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i - width, i + width]) {
        if (j >= 0 && j < n && state[j] === 0) {
          state[j] = 4;
          stack[top++] = j;
        }
      }
    }
    const speck = size < n * 0.0005;
    for (let k = 0; k < size; k++) state[region[k]] = speck ? 1 : 5;
  }
  for (let i = 0; i < n; i++) if (state[i] === 5) state[i] = 0;
  const alpha = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const ramp = Math.min(1, Math.max(0, (dist[i] - KEY_NEAR) / (KEY_FAR - KEY_NEAR)));
    // The faint end of the ramp is shadow and noise: cleared, so no smudge rides along with the product.
    alpha[i] = state[i] === 1 ? (ramp < 0.2 ? 0 : ramp) : 1;
  }
  // The band: product pixels within two pixels of the backdrop; they hold the mixed colours.
  for (let pass = 0; pass < 2; pass++) {
    const mark = pass === 0 ? 1 : 2;
    for (let i = 0; i < n; i++) {
      if (state[i] !== 0) continue;
      const x = i % width;
      const near =
        (x > 0 && state[i - 1] === mark) ||
        (x < width - 1 && state[i + 1] === mark) ||
        (i >= width && state[i - width] === mark) ||
        (i < n - width && state[i + width] === mark);
      if (near) state[i] = 3;
    }
    for (let i = 0; i < n; i++) if (state[i] === 3) state[i] = 2;
  }
  const R = 3;
  for (let i = 0; i < n; i++) {
    if (state[i] !== 2 && !(state[i] === 1 && alpha[i] > 0)) continue;
    const x = i % width,
      y = (i - x) / width;
    // The product's own colour: the mean of interior pixels nearby.
    let fr = 0,
      fg = 0,
      fb = 0,
      fn = 0;
    for (let yy = Math.max(0, y - R); yy <= Math.min(height - 1, y + R); yy++) {
      for (let xx = Math.max(0, x - R); xx <= Math.min(width - 1, x + R); xx++) {
        const j = yy * width + xx;
        if (state[j] !== 0) continue;
        fr += data[j * 4];
        fg += data[j * 4 + 1];
        fb += data[j * 4 + 2];
        fn++;
      }
    }
    const br = bg[i * 3],
      bgc = bg[i * 3 + 1],
      bb = bg[i * 3 + 2];
    const cr = data[i * 4],
      cg = data[i * 4 + 1],
      cb = data[i * 4 + 2];
    let a = alpha[i];
    if (fn > 0) {
      fr /= fn;
      fg /= fn;
      fb /= fn;
      const vr = fr - br,
        vg = fg - bgc,
        vb = fb - bb;
      const len = vr * vr + vg * vg + vb * vb;
      if (len > 400) a = Math.min(a, Math.max(0, Math.min(1, ((cr - br) * vr + (cg - bgc) * vg + (cb - bb) * vb) / len)));
    }
    alpha[i] = a;
    if (a > 0.02) {
      // Observed = a·F + (1 − a)·B, so F = (observed − (1 − a)·B) / a.
      data[i * 4] = clamp8((cr - (1 - a) * br) / a);
      data[i * 4 + 1] = clamp8((cg - (1 - a) * bgc) / a);
      data[i * 4 + 2] = clamp8((cb - (1 - a) * bb) / a);
    }
  }
  // Feather: a 3×3 mean over the edge, so the cut is soft rather than stair-stepped.
  for (let i = 0; i < n; i++) {
    const x = i % width;
    let a = alpha[i];
    if (state[i] === 2 || state[i] === 1) {
      let s = 0,
        c = 0;
      const y = (i - x) / width;
      for (let yy = Math.max(0, y - 1); yy <= Math.min(height - 1, y + 1); yy++) {
        for (let xx = Math.max(0, x - 1); xx <= Math.min(width - 1, x + 1); xx++) {
          s += alpha[yy * width + xx];
          c++;
        }
      }
      // A pixel with little product around it is a speck or a thread of shadow: cleared.
      a = s / c < 0.34 ? 0 : Math.min(a, s / c);
    }
    data[i * 4 + 3] = clamp8(data[i * 4 + 3] * a);
  }
  return { data, width, height };
}

const clamp8 = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** Pixel bounds (inclusive) of the pixels with alpha above `threshold`; undefined when there are none. */
export function alphaBounds(img: RgbaImage, threshold: number): { x0: number; y0: number; x1: number; y1: number } | undefined {
  const { data, width, height } = img;
  let x0 = width,
    y0 = height,
    x1 = -1,
    y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[(y * width + x) * 4 + 3] > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? undefined : { x0, y0, x1, y1 };
}

/** Bounding box of pixels with alpha above `threshold`, as fractions; undefined when there are none. */
export function alphaBox(img: RgbaImage, threshold = 64): UnitBox | undefined {
  const bounds = alphaBounds(img, threshold);
  if (!bounds) return undefined;
  const { x0, y0, x1, y1 } = bounds;
  return unit(x0, y0, x1 - x0 + 1, y1 - y0 + 1, img.width, img.height);
}

function unit(x: number, y: number, w: number, h: number, width: number, height: number): UnitBox {
  const r = (v: number) => Math.round(v * 10_000) / 10_000;
  const ux = Math.min(1, Math.max(0, x / width)),
    uy = Math.min(1, Math.max(0, y / height));
  return { x: r(ux), y: r(uy), w: r(Math.max(1e-4, Math.min(1 - ux, w / width))), h: r(Math.max(1e-4, Math.min(1 - uy, h / height))) };
}

/** The separated product of an isolated photo and how it was separated. */
export interface Separation {
  photoClass: PhotoClass;
  /** The photo with the backdrop keyed out (alpha and isolated classes); the photo itself for busy ones. */
  image: RgbaImage;
  model?: BackdropModel;
  figures: PhotoFigures;
}

/** Classifies a decoded photo and, for a cut-out or a studio shot, separates the product. */
export function separateProduct(img: RgbaImage): Separation {
  const { data, width, height } = img;
  let transparent = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] < 250) transparent++;
  const transparentShare = transparent / (width * height);
  if (transparentShare > 0.01) {
    const figures = { transparentShare, ringResidual: 0, backdropRange: 0, keptShare: 1 - transparentShare };
    return { photoClass: classifyPhoto(figures), image: img, figures };
  }
  const model = fitBackdrop(img);
  let keyed: RgbaImage | undefined;
  let keptShare = 1;
  if (model.residual <= 12) {
    keyed = keyBackdrop(img, model);
    let kept = 0;
    for (let i = 3; i < keyed.data.length; i += 4) if (keyed.data[i] > 128) kept++;
    keptShare = kept / (width * height);
  }
  const figures: PhotoFigures = { transparentShare, ringResidual: round2(model.residual), backdropRange: round2(model.range), keptShare: round4(keptShare) };
  const photoClass = classifyPhoto(figures);
  return { photoClass, image: photoClass === 'busy' || !keyed ? img : keyed, model, figures };
}

const round2 = (v: number) => Math.round(v * 100) / 100;
const round4 = (v: number) => Math.round(v * 10_000) / 10_000;

/** Downscales a decoded photo so its longest side is at most `side`. */
async function shrink(img: RgbaImage, side: number): Promise<RgbaImage> {
  if (Math.max(img.width, img.height) <= side) return img;
  const { data, info } = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } })
    .resize(side, side, { fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** The centre of attention (sharp's attention strategy: luminance frequency, saturation, skin) as fractions. */
async function attentionCentre(img: RgbaImage, region: UnitBox): Promise<{ x: number; y: number }> {
  const left = Math.floor(region.x * img.width),
    top = Math.floor(region.y * img.height);
  const w = Math.max(8, Math.floor(region.w * img.width)),
    h = Math.max(8, Math.floor(region.h * img.height));
  const cw = Math.min(w, img.width - left),
    ch = Math.min(h, img.height - top);
  const base = () =>
    sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } })
      .extract({ left, top, width: cw, height: ch })
      .flatten({ background: '#808080' });
  // Two one-axis crops: a narrow full-height window gives x, a short full-width one gives y.
  const across = await base()
    .resize(Math.max(4, Math.round(cw * 0.4)), ch, { fit: 'cover', position: sharp.strategy.attention })
    .toBuffer({ resolveWithObject: true });
  const down = await base()
    .resize(cw, Math.max(4, Math.round(ch * 0.4)), { fit: 'cover', position: sharp.strategy.attention })
    .toBuffer({ resolveWithObject: true });
  const ox = -(across.info.cropOffsetLeft ?? 0),
    oy = -(down.info.cropOffsetTop ?? 0);
  return { x: (left + Math.abs(ox) + cw * 0.2) / img.width, y: (top + Math.abs(oy) + ch * 0.2) / img.height };
}

/** Dominant colours of the product's opaque pixels: coarse bins, the most common first, near-duplicates merged. */
function dominantColors(img: RgbaImage, box: UnitBox): string[] {
  const { data, width, height } = img;
  const bins = new Map<number, { n: number; r: number; g: number; b: number }>();
  const x0 = Math.floor(box.x * width),
    y0 = Math.floor(box.y * height);
  const x1 = Math.min(width, Math.ceil((box.x + box.w) * width)),
    y1 = Math.min(height, Math.ceil((box.y + box.h) * height));
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * width + x) * 4;
      if (data[i + 3] < 200) continue;
      const key = ((data[i] >> 5) << 6) | ((data[i + 1] >> 5) << 3) | (data[i + 2] >> 5);
      const bin = bins.get(key) ?? { n: 0, r: 0, g: 0, b: 0 };
      bin.n++;
      bin.r += data[i];
      bin.g += data[i + 1];
      bin.b += data[i + 2];
      bins.set(key, bin);
    }
  }
  const colors: Array<[number, number, number]> = [];
  for (const bin of [...bins.values()].sort((a, b) => b.n - a.n)) {
    const c: [number, number, number] = [bin.r / bin.n, bin.g / bin.n, bin.b / bin.n];
    if (colors.some((k) => Math.hypot(k[0] - c[0], k[1] - c[1], k[2] - c[2]) < 48)) continue;
    colors.push(c);
    if (colors.length === 4) break;
  }
  return colors.length > 0 ? colors.map(([r, g, b]) => hex(r, g, b)) : ['#808080'];
}

const hex = (r: number, g: number, b: number): string => `#${[r, g, b].map((v) => clamp8(v).toString(16).padStart(2, '0')).join('')}`;

/** Analyses a decoded photo (class, product box, salient region, colours); `imageHash` names the bytes it came from. */
export async function analyzeImage(full: RgbaImage, imageHash: string, size?: { width: number; height: number }): Promise<PhotoAnalysis> {
  const img = await shrink(full, ANALYSIS_SIDE);
  const sep = separateProduct(img);
  const isolated = sep.photoClass !== 'busy';
  const found = isolated ? alphaBox(sep.image) : undefined;
  // Without a cut-out, a busy scene's product is taken to be the region attention settles on.
  const whole = { x: 0, y: 0, w: 1, h: 1 };
  const centre = await attentionCentre(sep.image, found ?? whole);
  const productBox = found ?? around(centre, 0.34, 0.4);
  // A detail crop of a pack shot stays near the product's middle: attention alone likes its outline.
  const mid = found ? { x: (centre.x + found.x + found.w / 2) / 2, y: (centre.y + found.y + found.h / 2) / 2 } : centre;
  const salient = isolated && found ? inside(found, around(mid, found.w * 0.5, found.h * 0.5)) : around(centre, 0.3, 0.32);
  const backdrop = isolated && sep.model && sep.photoClass !== 'alpha' ? hex(...sep.model.mean) : undefined;
  return PhotoAnalysis.parse({
    schemaVersion: 1,
    analyzer: ANALYZER_VERSION,
    imageHash,
    width: size?.width ?? full.width,
    height: size?.height ?? full.height,
    photoClass: sep.photoClass,
    productBox,
    salient,
    colors: dominantColors(sep.image, productBox),
    ...(backdrop ? { backdrop } : {}),
    figures: { ...sep.figures },
  });
}

/** A w×h box centred on c, moved inside the photo. */
function around(c: { x: number; y: number }, w: number, h: number): UnitBox {
  const x = Math.min(1 - w, Math.max(0, c.x - w / 2)),
    y = Math.min(1 - h, Math.max(0, c.y - h / 2));
  const r = (v: number) => Math.round(v * 10_000) / 10_000;
  return { x: r(x), y: r(y), w: r(w), h: r(h) };
}

/** `box` moved (not resized) to lie inside `outer`. */
function inside(outer: UnitBox, box: UnitBox): UnitBox {
  const x = Math.min(outer.x + outer.w - box.w, Math.max(outer.x, box.x)),
    y = Math.min(outer.y + outer.h - box.h, Math.max(outer.y, box.y));
  const r = (v: number) => Math.round(v * 10_000) / 10_000;
  return { x: r(x), y: r(y), w: box.w, h: box.h };
}

/** Decodes and analyses photo bytes (see analyzeImage). */
export async function analyzePhoto(bytes: Buffer, label: string): Promise<PhotoAnalysis> {
  const img = await normalizeImage(bytes, label);
  const meta = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  const turned = (meta.orientation ?? 1) >= 5;
  const size = meta.width && meta.height ? { width: turned ? meta.height : meta.width, height: turned ? meta.width : meta.height } : undefined;
  return analyzeImage(img, sha256(bytes), size);
}
