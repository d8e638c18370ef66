import type { Campaign } from '#domain/model/campaign';
import type { ChannelSpec } from '#domain/model/channel-spec';
import type { Box } from '#domain/model/storyboard';
import type { Copy } from './overlay-copy.ts';
import { centre, fitSlot, overlayOf, safeArea, type Placed } from './overlay-layout.ts';

export interface StillLayout {
  overlays: Placed[];
  productBox?: Box;
}

/** A banner's text and photo box: wide banners (ratio 2.5 and up) in a row, the others in a column. */
export function bannerLayout(copy: Copy, channel: ChannelSpec, campaign: Campaign, hasImage: boolean): StillLayout {
  return channel.width / channel.height >= 2.5 ? rowLayout(copy, channel, campaign, hasImage) : columnLayout(copy, channel, campaign, hasImage);
}

function rowLayout(copy: Copy, channel: ChannelSpec, campaign: Campaign, hasImage: boolean): StillLayout {
  const safe = safeArea(channel);
  const gap = Math.max(4, Math.round(safe.h * 0.08));
  const overlays: Placed[] = [];
  const productW = hasImage ? Math.min(safe.h, Math.floor(safe.w * 0.25)) : 0;
  const productBox = productW > 0 ? { x: safe.x, y: safe.y + Math.floor((safe.h - productW) / 2), w: productW, h: productW } : undefined;
  let right = safe.x + safe.w;
  const cta = fitSlot('cta', copy.cta, channel, campaign, safe.h * 0.3, Math.floor(safe.w * 0.3), safe.h, 1, copy.locale);
  if (cta) {
    right -= cta.fit.w;
    overlays.push(overlayOf('cta', cta.fit, { x: right, y: safe.y + Math.floor((safe.h - cta.fit.h) / 2), w: cta.fit.w, h: cta.fit.h }, cta.style));
    right -= gap;
  }
  const left = safe.x + (productW > 0 ? productW + gap : 0);
  const colW = right - left;
  const price = colW > 0 ? fitSlot('price', copy.price, channel, campaign, safe.h * 0.24, colW, safe.h, 1, copy.locale) : undefined;
  const headRoom = safe.h - (price ? price.fit.h + Math.round(gap / 2) : 0);
  const headline = colW > 0 ? fitSlot('headline', copy.headline, channel, campaign, safe.h * 0.3, colW, headRoom, 2, copy.locale) : undefined;
  const stack = [headline && { slot: 'headline' as const, ...headline }, price && { slot: 'price' as const, ...price }].filter((x) => !!x);
  const stackH = stack.reduce((h, p) => h + p.fit.h, 0) + (stack.length > 1 ? Math.round(gap / 2) : 0);
  let y = safe.y + Math.floor((safe.h - stackH) / 2);
  for (const p of stack) {
    overlays.push(overlayOf(p.slot, p.fit, { x: left, y, w: p.fit.w, h: p.fit.h }, p.style, copy.was));
    y += p.fit.h + Math.round(gap / 2);
  }
  return { overlays, productBox };
}

function columnLayout(copy: Copy, channel: ChannelSpec, campaign: Campaign, hasImage: boolean): StillLayout {
  const safe = safeArea(channel);
  const gap = Math.max(4, Math.round(Math.min(safe.w, safe.h) * 0.04));
  const overlays: Placed[] = [];
  const tall = safe.h / safe.w > 1.5;
  const headline = fitSlot(
    'headline',
    copy.headline,
    channel,
    campaign,
    safe.w * (tall ? 0.12 : 0.08),
    safe.w,
    Math.floor(safe.h * 0.35),
    tall ? 3 : 2,
    copy.locale,
  );
  let top = safe.y;
  if (headline) {
    overlays.push(overlayOf('headline', headline.fit, centre(safe, headline.fit, top), headline.style));
    top += headline.fit.h + gap;
  }
  // Price and CTA side by side when both fit, else the CTA under the price.
  let bottom = safe.y + safe.h;
  const cta = fitSlot('cta', copy.cta, channel, campaign, safe.w * 0.07, safe.w, Math.floor(safe.h * 0.2), 1, copy.locale);
  const price = fitSlot('price', copy.price, channel, campaign, safe.w * 0.08, safe.w, Math.floor(safe.h * 0.2), 1, copy.locale);
  if (cta && price && price.fit.w + gap + cta.fit.w <= safe.w) {
    const rowH = Math.max(cta.fit.h, price.fit.h);
    const x0 = safe.x + Math.floor((safe.w - price.fit.w - gap - cta.fit.w) / 2);
    overlays.push(
      overlayOf('price', price.fit, { x: x0, y: bottom - rowH + Math.floor((rowH - price.fit.h) / 2), w: price.fit.w, h: price.fit.h }, price.style, copy.was),
    );
    overlays.push(
      overlayOf('cta', cta.fit, { x: x0 + price.fit.w + gap, y: bottom - rowH + Math.floor((rowH - cta.fit.h) / 2), w: cta.fit.w, h: cta.fit.h }, cta.style),
    );
    bottom -= rowH + gap;
  } else {
    for (const [slot, p] of [
      ['cta', cta],
      ['price', price],
    ] as const) {
      if (!p || bottom - p.fit.h < top) continue;
      bottom -= p.fit.h;
      overlays.push(overlayOf(slot, p.fit, centre(safe, p.fit, bottom), p.style, copy.was));
      bottom -= gap;
    }
  }
  const productH = bottom - top;
  const productBox = hasImage && productH >= Math.max(16, safe.h * 0.15) ? { x: safe.x, y: top, w: safe.w, h: productH } : undefined;
  return { overlays, productBox };
}
