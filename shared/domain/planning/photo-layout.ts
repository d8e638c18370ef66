import type { ChannelSpec } from '#domain/model/channel-spec';
import { CHANNELS } from './channels.ts';
import type { PhotoAnalysis, UnitBox } from '#domain/model/photo-analysis';
import type { Box } from '#domain/model/storyboard';

/*
 * Where a product photo goes in a shot, by photo class and placement. An isolated product (cut-out,
 * plain backdrop, studio sweep) sits large on a designed backdrop, between the text bands; a busy photo
 * fills the frame (a cover crop around its salient region) or, where a cover crop would cut the product
 * or upscale the photo too far, sits whole and large over a blurred, dimmed fill of itself. Detail shots
 * crop into the salient region. Pure: the plate renders what this decides, the creative QC checks it.
 */

/** Share of the layout area's width an isolated product is sized to (its height permitting). */
export const PRODUCT_WIDTH_SHARE = 0.68;
/** Top and bottom shares of the layout area kept for the text bands (headline above, price and CTA below). */
export const TEXT_BAND_TOP = 0.22;
export const TEXT_BAND_BOTTOM = 0.27;
/** A busy photo is never shown upscaled past this (camera moves included). */
export const MAX_UPSCALE = 1.5;
/**
 * The assembler crops a detail shot 1.6× into the middle of its plate and its moves zoom up to 1.12×;
 * a detail plate is drawn this much closer again, so a detail frame is at most 2× the shot's framing.
 */
export const DETAIL_PLATE_ZOOM = 1.1;
export const ASSEMBLER_DETAIL_ZOOM = 1.6;
export const CAMERA_ZOOM = 1.12;
/** A cover crop may cut this share of the product box's width or height before the layout gives up on it. */
const COVER_CUT = 0.06;

export type PlateLayout =
  | {
      kind: 'isolated';
      /** Where the product's own bounding box goes, in frame pixels. */
      product: Box;
      /** y of the floor line (the product's base), for its shadow and reflection. */
      floorY: number;
    }
  | {
      kind: 'cover';
      /** The part of the photo (in photo pixels) that fills the frame. */
      crop: Box;
      productBox: Box;
      /** Photo pixels → frame pixels. */
      scale: number;
    }
  | {
      kind: 'blur-fill';
      /** Where the whole photo goes, in frame pixels; a blurred, dimmed cover of it fills the frame behind. */
      photo: Box;
      productBox: Box;
      scale: number;
    };

export interface PlateLayoutInput {
  analysis: Pick<PhotoAnalysis, 'photoClass' | 'width' | 'height' | 'productBox' | 'salient'>;
  frame: { width: number; height: number };
  /** The part of the frame every placement of this shot keeps clear of platform UI. */
  area: Box;
  detail?: boolean;
  /** The product was cut out of a busy photo by a cut-out adapter: lay it out as an isolated product. */
  cutout?: boolean;
}

/**
 * Where the product goes in the layout area. Portrait and square: the middle, between the text bands
 * (headline above, price and CTA below). Landscape: a column on the right, below the headline band, beside
 * the centred price and CTA (text is sized by the short side, so bands between would leave a sliver).
 */
export function productZone(area: Box): Box {
  if (area.w > area.h * 1.2) {
    const x = area.x + Math.round(area.w * 0.55);
    const top = Math.round(area.h * 0.2);
    return { x, y: area.y + top, w: Math.round(area.w * 0.4), h: area.h - top };
  }
  const top = Math.round(area.h * TEXT_BAND_TOP);
  const bottom = Math.round(area.h * TEXT_BAND_BOTTOM);
  return { x: area.x, y: area.y + top, w: area.w, h: Math.max(1, area.h - top - bottom) };
}

const px = (b: UnitBox, w: number, h: number) => ({ x: b.x * w, y: b.y * h, w: b.w * w, h: b.h * h });
const box = (x: number, y: number, w: number, h: number): Box => ({
  x: Math.round(x),
  y: Math.round(y),
  w: Math.max(1, Math.round(w)),
  h: Math.max(1, Math.round(h)),
});
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Decides where the photo goes in one shot's frame (see PlateLayout). */
export function planPlateLayout(input: PlateLayoutInput): PlateLayout {
  const { analysis, frame, area } = input;
  const zone = productZone(area);
  const product = px(analysis.productBox, analysis.width, analysis.height);
  const salient = px(analysis.salient, analysis.width, analysis.height);
  const zoom = input.detail ? DETAIL_PLATE_ZOOM : 1;

  if (analysis.photoClass !== 'busy' || input.cutout) {
    // The zone's height leaves room for the camera: a push-in or pull-out grows the product by CAMERA_ZOOM.
    let s = Math.min((PRODUCT_WIDTH_SHARE * area.w) / product.w, zone.w / (product.w * CAMERA_ZOOM), zone.h / (product.h * CAMERA_ZOOM));
    let x = zone.x + (zone.w - product.w * s) / 2;
    let y = zone.y + (zone.h - product.h * s) / 2;
    if (input.detail) {
      // Closer, with the salient point in the middle of the frame (where the assembler's detail crop looks).
      const cx = x + (salient.x + salient.w / 2 - product.x) * s,
        cy = y + (salient.y + salient.h / 2 - product.y) * s;
      const k = zoom;
      x = frame.width / 2 - (cx - x) * k;
      y = frame.height / 2 - (cy - y) * k;
      s *= k;
    }
    const placed = box(x, y, product.w * s, product.h * s);
    return { kind: 'isolated', product: placed, floorY: placed.y + placed.h };
  }

  // Busy: a cover crop, its salient middle placed at the middle of the product zone.
  const cover = Math.max(frame.width / analysis.width, frame.height / analysis.height) * zoom;
  const cw = frame.width / cover,
    ch = frame.height / cover;
  const target = { x: (zone.x + zone.w / 2) / cover, y: (zone.y + zone.h / 2) / cover };
  const focus = input.detail ? salient : product;
  const cx = clamp(focus.x + focus.w / 2 - target.x, 0, analysis.width - cw);
  const cy = clamp(focus.y + focus.h / 2 - target.y, 0, analysis.height - ch);
  const cutW = Math.max(0, cx - product.x) + Math.max(0, product.x + product.w - (cx + cw));
  const cutH = Math.max(0, cy - product.y) + Math.max(0, product.y + product.h - (cy + ch));
  const cuts = !input.detail && (cutW > product.w * COVER_CUT || cutH > product.h * COVER_CUT);
  const upscaled = cover * CAMERA_ZOOM > MAX_UPSCALE * zoom;
  if (!cuts && !upscaled) {
    const crop = box(cx, cy, cw, ch);
    return { kind: 'cover', crop, scale: cover, productBox: box((product.x - cx) * cover, (product.y - cy) * cover, product.w * cover, product.h * cover) };
  }
  // Blur-fill: the whole photo, as large as the product zone's height and the frame's width allow.
  const s = Math.min(frame.width / analysis.width, (zone.h + (area.h - zone.h) * 0.35) / analysis.height, MAX_UPSCALE / CAMERA_ZOOM) * zoom;
  const w = analysis.width * s,
    h = analysis.height * s;
  const x = (frame.width - w) / 2,
    y = zone.y + zone.h / 2 - h / 2;
  return { kind: 'blur-fill', photo: box(x, y, w, h), scale: s, productBox: box(x + product.x * s, y + product.y * s, product.w * s, product.h * s) };
}

/**
 * The area every placement sharing this channel's plates keeps clear, in render pixels: a procedural
 * plate is drawn once per aspect family, so its product sits inside the intersection of the safe areas
 * of the family's registry placements (TikTok's right rail and Reels' caption band both).
 */
export function layoutArea(channel: ChannelSpec): Box {
  const family = channel.family;
  const siblings = [channel, ...CHANNELS.filter((c) => c.kind === channel.kind && c.family.id === family.id && c.id !== channel.id)];
  let left = 0,
    top = 0,
    right = 0,
    bottom = 0;
  for (const c of siblings) {
    const sx = family.renderWidth / c.width,
      sy = family.renderHeight / c.height;
    left = Math.max(left, c.safeZone.left * sx);
    right = Math.max(right, c.safeZone.right * sx);
    top = Math.max(top, c.safeZone.top * sy);
    bottom = Math.max(bottom, c.safeZone.bottom * sy);
  }
  return box(left, top, family.renderWidth - left - right, family.renderHeight - top - bottom);
}
