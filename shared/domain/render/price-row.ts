import type { Box } from '#domain/model/storyboard';

/*
 * The offer row of a video shot: the new price with the compare-at price struck through, and the discount
 * badge beside them, centred together in the safe area.
 */

/**
 * Places a badge of size w×h to the right of the price box, moving the price left so the pair is centred
 * in `safe`; the badge is centred vertically on the price. Undefined when the row is wider than the safe area.
 */
export function besidePrice(price: Box, badge: { w: number; h: number }, safe: Box, gap: number): { price: Box; badge: Box } | undefined {
  const rowW = price.w + gap + badge.w;
  if (rowW > safe.w || badge.h > price.h + gap) return undefined;
  const x = safe.x + Math.floor((safe.w - rowW) / 2);
  const y = Math.max(safe.y, price.y + Math.floor((price.h - badge.h) / 2));
  if (y + badge.h > safe.y + safe.h) return undefined;
  return { price: { ...price, x }, badge: { x: x + price.w + gap, y, w: badge.w, h: badge.h } };
}
