import sharp from 'sharp';

/*
 * Deterministic stand-ins for real catalog photos: the four kinds a marketing team uploads (a cut-out
 * with alpha, a pack shot on a plain light backdrop, a studio sweep with a vignette and a soft floor
 * shadow, a lifestyle photo in a busy textured scene). Shaded shapes, sensor noise and JPEG
 * compression, so analysis and layouts meet what real photos look like, not flat drawings.
 */

export type PhotoKind = 'alpha' | 'plain' | 'sweep' | 'busy';
export const PHOTO_KINDS: readonly PhotoKind[] = ['alpha', 'plain', 'sweep', 'busy'];

export interface CatalogPhoto {
  kind: PhotoKind;
  bytes: Buffer;
  width: number;
  height: number;
  /** Where the product is, as fractions of the photo (x, y, w, h in 0..1). */
  productBox: { x: number; y: number; w: number; h: number };
  /** The product's body colour (its label and shading vary around it). */
  productColor: [number, number, number];
}

/** Seeded PRNG (mulberry32): the same seed always gives the same photo. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clamp8 = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** A mug as SVG: a cylindrical body with side shading and a label band, an elliptical rim, a handle. */
function mugSvg(w: number, h: number, box: { x: number; y: number; w: number; h: number }, color: [number, number, number]): string {
  const [r, g, b] = color;
  const x = box.x * w,
    y = box.y * h,
    bw = box.w * w,
    bh = box.h * h;
  const bodyW = bw * 0.78,
    handleW = bw - bodyW;
  const rimH = bh * 0.12;
  const dark = `rgb(${Math.round(r * 0.45)},${Math.round(g * 0.45)},${Math.round(b * 0.45)})`;
  const mid = `rgb(${r},${g},${b})`;
  const light = `rgb(${clamp8(r + (255 - r) * 0.45)},${clamp8(g + (255 - g) * 0.45)},${clamp8(b + (255 - b) * 0.45)})`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
  <defs>
    <linearGradient id="body" x1="0" x2="1" y1="0" y2="0">
      <stop offset="0" stop-color="${dark}"/><stop offset="0.3" stop-color="${light}"/>\
<stop offset="0.55" stop-color="${mid}"/><stop offset="1" stop-color="${dark}"/>
    </linearGradient>
    <linearGradient id="label" x1="0" x2="1" y1="0" y2="0">
      <stop offset="0" stop-color="#c9c2b0"/><stop offset="0.3" stop-color="#fbf6e8"/><stop offset="1" stop-color="#a59d8a"/>
    </linearGradient>
  </defs>
  <path d="M ${x + bodyW - 2} ${y + bh * 0.28} C ${x + bw + handleW * 0.2} ${y + bh * 0.22}, \
${x + bw + handleW * 0.2} ${y + bh * 0.78}, ${x + bodyW - 2} ${y + bh * 0.7}" \
fill="none" stroke="${dark}" stroke-width="${handleW * 0.45}" stroke-linecap="round"/>
  <path d="M ${x} ${y + rimH / 2} L ${x} ${y + bh - rimH / 2} A ${bodyW / 2} ${rimH / 2} 0 0 0 ${x + bodyW} ${y + bh - rimH / 2} \
L ${x + bodyW} ${y + rimH / 2} Z" fill="url(#body)"/>
  <rect x="${x}" y="${y + bh * 0.4}" width="${bodyW}" height="${bh * 0.22}" fill="url(#label)"/>
  <rect x="${x + bodyW * 0.3}" y="${y + bh * 0.46}" width="${bodyW * 0.4}" height="${bh * 0.04}" fill="${dark}"/>
  <rect x="${x + bodyW * 0.36}" y="${y + bh * 0.53}" width="${bodyW * 0.28}" height="${bh * 0.025}" fill="${mid}"/>
  <ellipse cx="${x + bodyW / 2}" cy="${y + rimH / 2}" rx="${bodyW / 2}" ry="${rimH / 2}" fill="${dark}"/>
  <ellipse cx="${x + bodyW / 2}" cy="${y + rimH / 2 + 1}" rx="${bodyW / 2 - 3}" ry="${rimH / 2 - 2}" fill="#2a1c14"/>
</svg>`;
}

/** Raw RGB canvas filled by `fill(x, y)`, plus Gaussian-ish sensor noise of `noise` levels. */
function canvas(w: number, h: number, seed: number, noise: number, fill: (x: number, y: number) => [number, number, number]): Buffer {
  const rand = rng(seed);
  const buf = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [r, g, b] = fill(x, y);
      const n = (rand() + rand() + rand() - 1.5) * noise;
      const i = (y * w + x) * 3;
      buf[i] = clamp8(r + n);
      buf[i + 1] = clamp8(g + n);
      buf[i + 2] = clamp8(b + n);
    }
  }
  return buf;
}

/** A soft elliptical shadow (RGBA, black) to lay under a product. */
async function floorShadow(w: number, h: number, cx: number, cy: number, rx: number, ry: number, opacity: number): Promise<Buffer> {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">` +
    `<ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${ry}" fill="black" fill-opacity="${opacity}"/></svg>`;
  return sharp(Buffer.from(svg))
    .blur(Math.max(1, ry * 0.8))
    .png()
    .toBuffer();
}

/** Generates one catalog photo of the given kind, deterministic for the same arguments. */
export async function catalogPhoto(
  kind: PhotoKind,
  opts: { width?: number; height?: number; seed?: number; color?: [number, number, number] } = {},
): Promise<CatalogPhoto> {
  const width = opts.width ?? (kind === 'busy' ? 640 : 480);
  const height = opts.height ?? (kind === 'busy' ? 480 : 480);
  const seed = opts.seed ?? 13;
  const color = opts.color ?? [196, 42, 38];
  const box = kind === 'busy' ? { x: 0.4, y: 0.3, w: 0.24, h: 0.34 } : { x: 0.28, y: 0.24, w: 0.44, h: 0.5 };
  const mug = Buffer.from(mugSvg(width, height, box, color));
  const result = (bytes: Buffer): CatalogPhoto => ({ kind, bytes, width, height, productBox: box, productColor: color });

  if (kind === 'alpha') {
    const bytes = await sharp({ create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .composite([{ input: mug }])
      .png()
      .toBuffer();
    return result(bytes);
  }
  if (kind === 'plain') {
    const bg = canvas(width, height, seed, 3, () => [246, 245, 242]);
    const shadow = await floorShadow(width, height, (box.x + box.w * 0.39) * width, (box.y + box.h) * height, box.w * width * 0.42, height * 0.015, 0.18);
    const bytes = await sharp(bg, { raw: { width, height, channels: 3 } })
      .composite([{ input: shadow }, { input: mug }])
      .jpeg({ quality: 88 })
      .toBuffer();
    return result(bytes);
  }
  if (kind === 'sweep') {
    // A grey paper sweep: darker wall above, lighter floor, a horizon that rolls off softly, a vignette.
    const bg = canvas(width, height, seed, 3.5, (x, y) => {
      const v = y / height;
      const roll = 1 / (1 + Math.exp(-(v - 0.62) * 12));
      const base = 150 + 50 * roll;
      const dx = x / width - 0.5,
        dy = v - 0.45;
      const vignette = 1 - 0.55 * (dx * dx + dy * dy) * 1.6;
      const l = base * vignette;
      return [l, l * 1.0, l * 1.03];
    });
    const shadow = await floorShadow(width, height, (box.x + box.w * 0.42) * width, (box.y + box.h) * height, box.w * width * 0.55, height * 0.03, 0.4);
    const bytes = await sharp(bg, { raw: { width, height, channels: 3 } })
      .composite([{ input: shadow }, { input: mug }])
      .jpeg({ quality: 86 })
      .toBuffer();
    return result(bytes);
  }
  // A lifestyle scene: a plaster wall with light falling across it, a wooden table whose front edge
  // crosses the frame, a plant, a stack of books, a glass, and the mug among them.
  const tableY = 0.62;
  const grain = rng(seed + 1);
  const rows = Array.from({ length: height }, () => grain() * 18 - 9);
  const bg = canvas(width, height, seed, 9, (x, y) => {
    const u = x / width,
      v = y / height;
    if (v < tableY) {
      const light = 0.75 + 0.35 * Math.exp(-((u - 0.7) ** 2) * 6) - 0.2 * v;
      const blotch = 10 * Math.sin(u * 23 + Math.sin(v * 17) * 2) * Math.sin(v * 31 + u * 5);
      return [200 * light + blotch, 186 * light + blotch, 164 * light + blotch];
    }
    const edge = v < tableY + 0.02 ? 0.55 : 1;
    const wood = 18 * Math.sin(u * 90 + Math.sin(v * 40 + u * 8) * 3) + rows[y];
    const shade = (1 - (v - tableY) * 0.8) * edge;
    return [(142 + wood) * shade, (94 + wood * 0.7) * shade, (58 + wood * 0.4) * shade];
  });
  const props = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="pot" x1="0" x2="1"><stop offset="0" stop-color="#7a4a30"/>\
<stop offset="0.4" stop-color="#c07850"/><stop offset="1" stop-color="#5a3422"/></linearGradient>
    <radialGradient id="leaf"><stop offset="0" stop-color="#5f9a48"/><stop offset="1" stop-color="#24502a"/></radialGradient>
    <linearGradient id="glass" x1="0" x2="1"><stop offset="0" stop-color="#ffffff" stop-opacity="0.15"/>\
<stop offset="0.5" stop-color="#ffffff" stop-opacity="0.55"/><stop offset="1" stop-color="#ffffff" stop-opacity="0.1"/></linearGradient></defs>
    <ellipse cx="${width * 0.15}" cy="${height * 0.3}" rx="${width * 0.11}" ry="${height * 0.2}" fill="url(#leaf)"/>
    <ellipse cx="${width * 0.2}" cy="${height * 0.38}" rx="${width * 0.08}" ry="${height * 0.12}" fill="#3c7a3a"/>
    <path d="M ${width * 0.08} ${height * 0.46} L ${width * 0.24} ${height * 0.46} \
L ${width * 0.22} ${height * 0.64} L ${width * 0.1} ${height * 0.64} Z" fill="url(#pot)"/>
    <rect x="${width * 0.72}" y="${height * 0.52}" width="${width * 0.2}" height="${height * 0.05}" fill="#2f4c6e"/>
    <rect x="${width * 0.74}" y="${height * 0.47}" width="${width * 0.17}" height="${height * 0.05}" fill="#d8c9a0"/>
    <rect x="${width * 0.71}" y="${height * 0.57}" width="${width * 0.22}" height="${height * 0.06}" fill="#6e2f3c"/>
    <rect x="${width * 0.3}" y="${height * 0.44}" width="${width * 0.06}" height="${height * 0.2}" fill="url(#glass)" stroke="#ffffff" stroke-opacity="0.4"/>
  </svg>`;
  const shadow = await floorShadow(width, height, (box.x + box.w * 0.42) * width, (box.y + box.h) * height, box.w * width * 0.5, height * 0.02, 0.45);
  const bytes = await sharp(bg, { raw: { width, height, channels: 3 } })
    .composite([{ input: Buffer.from(props) }, { input: shadow }, { input: mug }])
    .jpeg({ quality: 84 })
    .toBuffer();
  return result(bytes);
}

/** One photo of every kind. */
export async function catalogPhotos(opts: { seed?: number } = {}): Promise<Map<PhotoKind, CatalogPhoto>> {
  return new Map(await Promise.all(PHOTO_KINDS.map(async (k) => [k, await catalogPhoto(k, opts)] as const)));
}

/**
 * What a perfect background-removal model returns for a photo: its pixels with the product's own
 * silhouette as alpha (a stand-in for a hosted BiRefNet in tests). Same options as catalogPhoto.
 */
export async function catalogCutout(
  kind: PhotoKind,
  opts: { width?: number; height?: number; seed?: number; color?: [number, number, number] } = {},
): Promise<Buffer> {
  const photo = await catalogPhoto(kind, opts);
  const mask = await sharp(Buffer.from(mugSvg(photo.width, photo.height, photo.productBox, photo.productColor)))
    .ensureAlpha()
    .extractChannel(3)
    .toBuffer();
  const rgb = await sharp(photo.bytes).removeAlpha().raw().toBuffer();
  return sharp(rgb, { raw: { width: photo.width, height: photo.height, channels: 3 } })
    .joinChannel(mask)
    .png()
    .toBuffer();
}
