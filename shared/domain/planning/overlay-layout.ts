import type { Campaign } from '#domain/model/campaign';
import type { ChannelSpec } from '#domain/model/channel-spec';
import type { Box, Overlay } from '#domain/model/storyboard';
import type { OverlaySlot } from '#domain/model/template';
import { besidePrice } from '#domain/render/price-row';
import { copyBoxColor } from './brand-style.ts';
import { fitText, type FittedText } from './layout.ts';
import { slotText, type Copy } from './overlay-copy.ts';

export type SlotStyle = { color: string; background: string; preferred: number; maxLines: number; whole?: boolean };

function slotStyle(slot: OverlaySlot, campaign: Campaign, short: number): SlotStyle {
  const { accent, text } = campaign.brand.colors;
  const dark = copyBoxColor(campaign.brand.colors.primary);
  switch (slot) {
    case 'headline':
      return { color: '#ffffff', background: dark, preferred: short * 0.075, maxLines: 2 };
    case 'brand':
      return { color: '#ffffff', background: dark, preferred: short * 0.045, maxLines: 1 };
    case 'feature':
      return { color: '#ffffff', background: dark, preferred: short * 0.055, maxLines: 2 };
    case 'price':
      return { color: '#ffffff', background: dark, preferred: short * 0.065, maxLines: 2, whole: true };
    case 'discount':
      return { color: text, background: accent, preferred: short * 0.09, maxLines: 1, whole: true };
    case 'cta':
      return { color: text, background: accent, preferred: short * 0.055, maxLines: 1 };
  }
}

const TOP_SLOTS: ReadonlySet<OverlaySlot> = new Set(['headline', 'brand', 'feature']);

export type Placed = Omit<Overlay, 'start' | 'end'>;

/** The overlay of a fitted slot in its box, with the struck-through price and the CTA pill where they apply. */
export function overlayOf(slot: OverlaySlot, fit: FittedText, box: Box, style: SlotStyle, was?: string): Placed {
  const text = fit.lines.join('\n');
  return {
    slot,
    text,
    box,
    fontPx: fit.fontPx,
    font: fit.font,
    color: style.color,
    background: style.background,
    ...(slot === 'price' && was && text.includes(was) ? { strikethrough: was } : {}),
    ...(slot === 'cta' ? { shape: 'pill' as const } : {}),
  };
}

/** The CTA is a button: wider than its text by BUTTON_PAD em, so the pill's round ends clear the letters. */
const BUTTON_PAD = 0.8;

/** A fitted text widened into a button when it is the CTA and the width allows. */
function asButton(slot: OverlaySlot, fit: FittedText, maxW: number): FittedText {
  // Taller by the shadow under the button's face (#media/text-image buttonShadow).
  return slot === 'cta' ? { ...fit, w: Math.min(maxW, fit.w + Math.round(fit.fontPx * BUTTON_PAD)), h: fit.h + Math.max(1, Math.round(fit.h * 0.07)) } : fit;
}

/**
 * Lays out one video shot's slots: top band (headline, brand, feature) stacked down from the safe
 * top, bottom band (price, discount, cta) stacked up from the safe bottom, each box centred in the safe
 * area. If the bands would meet, lower-priority slots shrink to one line, then drop (headline, price and
 * cta are kept last).
 */
export function layoutVideoShot(slots: readonly OverlaySlot[], copy: Copy, channel: ChannelSpec, campaign: Campaign, featureOffset: number): Placed[] {
  const safe = safeArea(channel);
  const short = Math.min(channel.width, channel.height);
  const gap = Math.max(4, Math.round(channel.minTextPx * 0.3));
  // Feature bullets advance through the template: each feature slot shows the next unused bullet.
  const requests = slots
    .map((slot, i) => ({
      slot,
      text: slotText(slot, copy, featureOffset + slots.slice(0, i).filter((x) => x === 'feature').length),
      style: slotStyle(slot, campaign, short),
    }))
    .filter((r): r is { slot: OverlaySlot; text: string; style: SlotStyle } => !!r.text);
  for (let squeeze = 0; squeeze < 3; squeeze++) {
    const top: Array<{ slot: OverlaySlot; fit: FittedText; style: SlotStyle }> = [];
    const bottom: typeof top = [];
    for (const r of requests) {
      if (squeeze === 2 && (r.slot === 'brand' || r.slot === 'feature')) continue;
      const fit = fitText({
        locale: copy.locale,
        text: r.text,
        minPx: channel.minTextPx,
        preferredPx: Math.max(channel.minTextPx, r.style.preferred),
        maxBoxWidth: safe.w,
        maxLines: squeeze > 0 ? 1 : r.style.maxLines,
        maxBoxHeight: safe.h,
        whole: r.style.whole,
      });
      if (fit) (TOP_SLOTS.has(r.slot) ? top : bottom).push({ slot: r.slot, fit: asButton(r.slot, fit, safe.w), style: r.style });
    }
    const height = [...top, ...bottom].reduce((h, p) => h + p.fit.h + gap, 0);
    if (height > safe.h && squeeze < 2) continue;
    const placed: Placed[] = [];
    let y = safe.y;
    for (const p of top) {
      placed.push(overlayOf(p.slot, p.fit, centre(safe, p.fit, y), p.style));
      y += p.fit.h + gap;
    }
    let bottomY = safe.y + safe.h;
    for (const p of [...bottom].reverse()) {
      bottomY -= p.fit.h;
      if (bottomY < y) break;
      placed.push(overlayOf(p.slot, p.fit, centre(safe, p.fit, bottomY), p.style, copy.was));
      bottomY -= gap;
    }
    addDiscountBadge(placed, copy, channel, campaign, safe, gap);
    return placed.filter((o) => o.box.y + o.box.h <= safe.y + safe.h);
  }
  return [];
}

/** Beside a struck-through price, the discount badge (when the shot has no badge of its own and the row fits). */
function addDiscountBadge(placed: Placed[], copy: Copy, channel: ChannelSpec, campaign: Campaign, safe: Box, gap: number): void {
  const i = placed.findIndex((o) => o.slot === 'price');
  if (i < 0 || !copy.discount || !copy.was || placed.some((o) => o.slot === 'discount')) return;
  const price = placed[i];
  const style = slotStyle('discount', campaign, 0);
  const fit = fitText({
    locale: copy.locale,
    text: copy.discount,
    minPx: channel.minTextPx,
    preferredPx: Math.max(channel.minTextPx, Math.round(price.fontPx * 0.8)),
    maxBoxWidth: safe.w,
    maxLines: 1,
    maxBoxHeight: price.box.h,
    whole: true,
  });
  const row = fit && besidePrice(price.box, fit, safe, gap);
  if (!fit || !row) return;
  placed[i] = { ...price, box: row.price };
  placed.push(overlayOf('discount', fit, row.badge, style));
}

/** A box for the fitted text at height y, centred horizontally in the area. */
export function centre(area: Box, fit: FittedText, y: number): Box {
  const w = Math.min(fit.w, area.w);
  return { x: area.x + Math.floor((area.w - w) / 2), y, w, h: fit.h };
}

/** The rectangle of the frame that no platform UI covers. */
export function safeArea(channel: ChannelSpec): Box {
  const { top, bottom, left, right } = channel.safeZone;
  return { x: left, y: top, w: channel.width - left - right, h: channel.height - top - bottom };
}

/** Fits one slot's text into a box of at most maxBoxWidth × maxBoxHeight in the slot's style; undefined when there is no text or it cannot fit. */
export function fitSlot(
  slot: OverlaySlot,
  text: string | undefined,
  channel: ChannelSpec,
  campaign: Campaign,
  preferred: number,
  maxBoxWidth: number,
  maxBoxHeight: number,
  maxLines: number,
  locale?: string,
): { fit: FittedText; style: SlotStyle } | undefined {
  if (!text) return undefined;
  const style = slotStyle(slot, campaign, 0);
  const fit = fitText({
    locale,
    text,
    minPx: channel.minTextPx,
    preferredPx: Math.max(channel.minTextPx, preferred),
    maxBoxWidth,
    maxBoxHeight,
    maxLines,
    whole: style.whole,
  });
  return fit && { fit: asButton(slot, fit, maxBoxWidth), style };
}
