import { z } from 'zod';
import type { ChannelSpec } from '#domain/model/channel-spec';
import { ASSEMBLER_DETAIL_ZOOM, CAMERA_ZOOM } from './photo-layout.ts';
import type { PlateFrame } from '#domain/model/render-job';
import { Box, type Storyboard } from '#domain/model/storyboard';

/*
 * Creative QC: would a brand run this ad? Checked from the layout (which knows the product's box in every
 * shot and every text box) and, in #media/creative-qc, from frames sampled off the encoded output.
 */

/** Where a check fails. Contrast is WCAG's ratio for large text (ad text is at least the channel's minimum size). */
export const CREATIVE_THRESHOLDS = {
  /** Share of the product's box a text box may cover. */
  maxTextOverProduct: 0.2,
  /** The product's box over the safe area, per product shot (not detail shots, which crop in). */
  minProductShare: 0.06,
  /**
   * An isolated product's span: its box's width over the safe area's width or its height over the safe
   * area's height, whichever is larger (a mug on a 16:9 frame is limited by the height, a bottle on 9:16 too).
   */
  minIsolatedSpan: 0.35,
  minContrast: 3,
} as const;

export const CreativeShot = z.object({
  index: z.number().int().nonnegative(),
  role: z.string(),
  layout: z.string().optional(),
  photoClass: z.string().optional(),
  /** The product's box on the output frame (at the shot's framing before its camera move). */
  productBox: Box.optional(),
  /** Everywhere the product goes during the camera move (both ends of the zoom). */
  productReach: Box.optional(),
  productShare: z.number().optional(),
  productWidthShare: z.number().optional(),
  /** Share of sampled frames covered by flat 16×16 blocks (luma std dev < 3). */
  flatShare: z.number().optional(),
});
export type CreativeShot = z.infer<typeof CreativeShot>;

export const CreativeText = z.object({
  slot: z.string(),
  box: Box,
  fontPx: z.number(),
  insideSafe: z.boolean(),
  overProduct: z.number(),
  contrast: z.number().optional(),
});
export type CreativeText = z.infer<typeof CreativeText>;

export const CreativeReport = z.object({
  schemaVersion: z.literal(1),
  ok: z.boolean(),
  failures: z.array(z.string()),
  shots: z.array(CreativeShot),
  texts: z.array(CreativeText),
});
export type CreativeReport = z.infer<typeof CreativeReport>;

/** The facts of one shot's picture: what its plate showed (absent for clips and typographic shots). */
export interface ShotPicture {
  index: number;
  frame?: PlateFrame;
}

const area = (b: Box) => b.w * b.h;
const union = (a: Box, b: Box): Box => {
  const x = Math.min(a.x, b.x),
    y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
};
function intersection(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** The safe area of a channel on its output frame. */
export function outputSafeArea(channel: ChannelSpec): Box {
  const { top, bottom, left, right } = channel.safeZone;
  return { x: left, y: top, w: channel.width - left - right, h: channel.height - top - bottom };
}

/**
 * Maps a plate's product box onto the output frame the way the assembler frames the plate: scaled to
 * cover the channel, centred, and for detail shots cropped ASSEMBLER_DETAIL_ZOOM× about the middle.
 */
export function productOnOutput(frame: PlateFrame, channel: ChannelSpec, detail: boolean, zoom = 1): Box | undefined {
  if (!frame.productBox) return undefined;
  const s = Math.max(channel.width / frame.width, channel.height / frame.height) * (detail ? ASSEMBLER_DETAIL_ZOOM : 1) * zoom;
  const ox = (frame.width * s - channel.width) / 2,
    oy = (frame.height * s - channel.height) / 2;
  const x0 = Math.max(0, frame.productBox.x * s - ox),
    y0 = Math.max(0, frame.productBox.y * s - oy);
  const x1 = Math.min(channel.width, (frame.productBox.x + frame.productBox.w) * s - ox),
    y1 = Math.min(channel.height, (frame.productBox.y + frame.productBox.h) * s - oy);
  if (x1 <= x0 || y1 <= y0) return undefined;
  return { x: Math.round(x0), y: Math.round(y0), w: Math.max(1, Math.round(x1 - x0)), h: Math.max(1, Math.round(y1 - y0)) };
}

/**
 * The layout half of the creative QC: per shot the product's share of the safe area, per text box whether
 * it lies inside the safe zone on the output, is tall enough, and covers the product of the shot it is in.
 */
export function checkLayout(storyboard: Storyboard, channel: ChannelSpec, pictures: readonly ShotPicture[]): CreativeReport {
  const t = CREATIVE_THRESHOLDS;
  const safe = outputSafeArea(channel);
  const failures: string[] = [];
  const byIndex = new Map(pictures.map((p) => [p.index, p]));
  const shots: CreativeShot[] = storyboard.shots.map((shot) => {
    const frame = byIndex.get(shot.index)?.frame;
    const detail = shot.role === 'detail';
    const productBox = frame ? productOnOutput(frame, channel, detail) : undefined;
    // Where the camera move takes the product: text must stay off it at either end of the move.
    const moved = frame && shot.camera !== 'static' ? productOnOutput(frame, channel, detail, CAMERA_ZOOM) : undefined;
    const reach = productBox && moved ? union(productBox, moved) : productBox;
    const out: CreativeShot = { index: shot.index, role: shot.role, ...(frame ? { layout: frame.layout, photoClass: frame.photoClass } : {}) };
    if (!productBox) return out;
    const productShare = round(intersection(productBox, safe) / area(safe));
    const productWidthShare = round(productBox.w / safe.w);
    if (!detail && productShare < t.minProductShare)
      failures.push(`shot ${shot.index} (${shot.role}): the product fills ${pct(productShare)} of the safe area (min ${pct(t.minProductShare)})`);
    const span = round(Math.max(productWidthShare, productBox.h / safe.h));
    if (!detail && frame?.layout === 'isolated' && span < t.minIsolatedSpan)
      failures.push(`shot ${shot.index} (${shot.role}): the product spans ${pct(span)} of the safe area's width or height (min ${pct(t.minIsolatedSpan)})`);
    return { ...out, productBox, productShare, productWidthShare, ...(reach && reach !== productBox ? { productReach: reach } : {}) };
  });
  const texts: CreativeText[] = storyboard.overlays.map((o) => {
    const insideSafe = o.box.x >= safe.x && o.box.y >= safe.y && o.box.x + o.box.w <= safe.x + safe.w && o.box.y + o.box.h <= safe.y + safe.h;
    if (!insideSafe)
      failures.push(`${o.slot} text box ${o.box.w}×${o.box.h} at (${o.box.x}, ${o.box.y}) reaches outside the ${channel.id} safe zone on the output`);
    if (o.fontPx < channel.minTextPx) failures.push(`${o.slot} text is ${o.fontPx} px, under the ${channel.id} minimum of ${channel.minTextPx} px`);
    // The product of every shot the text is on screen in.
    let overProduct = 0;
    for (const [i, shot] of storyboard.shots.entries()) {
      const box = shots[i].productReach ?? shots[i].productBox;
      if (!box || o.end <= shot.start || o.start >= shot.start + shot.duration) continue;
      overProduct = Math.max(overProduct, intersection(o.box, box) / area(box));
    }
    overProduct = round(overProduct);
    if (overProduct > t.maxTextOverProduct) failures.push(`${o.slot} text covers ${pct(overProduct)} of the product (max ${pct(t.maxTextOverProduct)})`);
    return { slot: o.slot, box: o.box, fontPx: o.fontPx, insideSafe, overProduct };
  });
  return { schemaVersion: 1, ok: failures.length === 0, failures, shots, texts };
}

const round = (v: number) => Math.round(v * 1000) / 1000;
const pct = (v: number) => `${Math.round(v * 100)} %`;

/** Text slots an ad can do without when there is no room for them. */
const OPTIONAL_SLOTS = new Set(['brand', 'feature', 'discount']);
const TOP_BAND = new Set(['headline', 'brand', 'feature']);

/**
 * A second layout for an ad whose text failed the creative QC: boxes moved inside the safe area, off the
 * product (above it for top-band text, below it for bottom-band text), optional slots that still collide
 * dropped, faint text given a dark box. Undefined when moving text cannot fix the failures (a tiny product).
 */
export function relayout(storyboard: Storyboard, channel: ChannelSpec, report: CreativeReport): Storyboard | undefined {
  const t = CREATIVE_THRESHOLDS;
  if (report.shots.some((s) => s.role !== 'detail' && s.productShare !== undefined && s.productShare < t.minProductShare)) return undefined;
  const safe = outputSafeArea(channel);
  const gap = Math.max(2, Math.round(channel.minTextPx * 0.3));
  const overlays = storyboard.overlays.flatMap((o, i) => {
    const text = report.texts[i];
    if (!text) return [o];
    let box = { ...o.box };
    if (box.w > safe.w || box.h > safe.h) return OPTIONAL_SLOTS.has(o.slot) ? [] : [o];
    box.x = Math.min(safe.x + safe.w - box.w, Math.max(safe.x, box.x));
    box.y = Math.min(safe.y + safe.h - box.h, Math.max(safe.y, box.y));
    if (text.overProduct > t.maxTextOverProduct) {
      const products = storyboard.shots
        .map((s, k) => ({ s, box: report.shots[k]?.productReach ?? report.shots[k]?.productBox }))
        .filter((p) => p.box && o.end > p.s.start && o.start < p.s.start + p.s.duration)
        .map((p) => p.box!);
      const product = products[0];
      if (product) {
        // Top-band slots go above the product, bottom-band slots below it.
        const above = TOP_BAND.has(o.slot);
        box.y = above ? product.y - gap - box.h : product.y + product.h + gap;
        box.y = Math.min(safe.y + safe.h - box.h, Math.max(safe.y, box.y));
        if (products.some((p) => intersection(box, p) / area(p) > t.maxTextOverProduct) && OPTIONAL_SLOTS.has(o.slot)) return [];
      }
    }
    const faint = text.contrast !== undefined && text.contrast < t.minContrast;
    return [{ ...o, box, ...(faint ? { color: '#ffffff', background: '#000000d9' } : {}) }];
  });
  return { ...storyboard, overlays };
}

/**
 * The safe layout, the last resort before an ad is refused: only the headline on the first shot and the
 * price and call to action on the last, at the top and bottom edges of the safe area, white on dark boxes.
 */
export function safeLayout(storyboard: Storyboard, channel: ChannelSpec): Storyboard {
  const safe = outputSafeArea(channel);
  const first = storyboard.shots[0],
    last = storyboard.shots.at(-1)!;
  const gap = Math.max(2, Math.round(channel.minTextPx * 0.3));
  let bottom = safe.y + safe.h;
  const kept = storyboard.overlays.filter(
    (o) =>
      o.box.w <= safe.w &&
      o.box.h <= safe.h &&
      ((o.slot === 'headline' && o.start < first.start + first.duration) || ((o.slot === 'price' || o.slot === 'cta') && o.end > last.start)),
  );
  const overlays = kept.map((o) => {
    const x = safe.x + Math.floor((safe.w - o.box.w) / 2);
    if (o.slot === 'headline') return { ...o, box: { ...o.box, x, y: safe.y }, color: '#ffffff', background: '#000000d9' };
    return o;
  });
  for (const slot of ['cta', 'price'] as const) {
    for (const o of overlays.filter((x) => x.slot === slot)) {
      bottom -= o.box.h;
      o.box = { ...o.box, x: safe.x + Math.floor((safe.w - o.box.w) / 2), y: bottom };
      o.color = '#ffffff';
      o.background = '#000000d9';
      bottom -= gap;
    }
  }
  return { ...storyboard, overlays };
}
