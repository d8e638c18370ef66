import { describe, expect, it } from 'vitest';
import { CHANNELS } from '#domain/planning/channels';
import { ASSEMBLER_DETAIL_ZOOM, CAMERA_ZOOM, DETAIL_PLATE_ZOOM, layoutArea, MAX_UPSCALE, planPlateLayout, productZone } from '#domain/planning/photo-layout';

const busy = {
  photoClass: 'busy' as const,
  width: 2000,
  height: 1500,
  productBox: { x: 0.35, y: 0.3, w: 0.3, h: 0.4 },
  salient: { x: 0.4, y: 0.35, w: 0.2, h: 0.25 },
};
const plain = { ...busy, photoClass: 'plain' as const, width: 1200, height: 1200, productBox: { x: 0.3, y: 0.25, w: 0.4, h: 0.5 } };
const frame = { width: 1080, height: 1920 };
const area = { x: 65, y: 270, w: 865, h: 980 };

describe('photo layouts', () => {
  it('puts an isolated product large in the middle band, between the text bands', () => {
    const l = planPlateLayout({ analysis: plain, frame, area });
    expect(l.kind).toBe('isolated');
    if (l.kind !== 'isolated') return;
    const zone = productZone(area);
    expect(l.product.y).toBeGreaterThanOrEqual(zone.y - 1);
    expect(l.product.y + l.product.h).toBeLessThanOrEqual(zone.y + zone.h + 1);
    expect(l.product.w / area.w).toBeGreaterThan(0.4);
  });

  it('fills the frame with a big busy photo (cover around the product), never upscaled past 1.5× with the camera move', () => {
    const l = planPlateLayout({ analysis: busy, frame, area });
    expect(l.kind).toBe('cover');
    if (l.kind !== 'cover') return;
    expect(l.scale * CAMERA_ZOOM).toBeLessThanOrEqual(MAX_UPSCALE);
    // The whole product is in the crop.
    const p = { x: busy.productBox.x * busy.width, w: busy.productBox.w * busy.width };
    expect(l.crop.x).toBeLessThanOrEqual(p.x);
    expect(l.crop.x + l.crop.w).toBeGreaterThanOrEqual(p.x + p.w - 1);
  });

  it('falls back to the whole photo over a blurred fill when cover would cut the product or upscale too far', () => {
    const wide = { ...busy, width: 2400, height: 1000, productBox: { x: 0.2, y: 0.2, w: 0.6, h: 0.6 } };
    expect(planPlateLayout({ analysis: wide, frame, area }).kind).toBe('blur-fill');
    const small = { ...busy, width: 400, height: 300 };
    const l = planPlateLayout({ analysis: small, frame, area });
    expect(l.kind).toBe('blur-fill');
    if (l.kind === 'blur-fill') expect(l.scale).toBeLessThanOrEqual(MAX_UPSCALE / CAMERA_ZOOM + 1e-9);
  });

  it('crops detail shots at most 2× into the salient region, product inside', () => {
    expect(DETAIL_PLATE_ZOOM * ASSEMBLER_DETAIL_ZOOM * CAMERA_ZOOM).toBeLessThanOrEqual(2);
    const l = planPlateLayout({ analysis: busy, frame, area, detail: true });
    expect(l.kind).toBe('cover');
    if (l.kind !== 'cover') return;
    // The salient middle is at the frame's middle (where the assembler's detail crop looks), when the photo allows.
    const sx = ((busy.salient.x + busy.salient.w / 2) * busy.width - l.crop.x) * l.scale;
    expect(Math.abs(sx - frame.width / 2)).toBeLessThan(frame.width * 0.05);
  });

  it("keeps a family plate inside every sibling placement's safe area", () => {
    const tiktok = CHANNELS.find((c) => c.id === 'tiktok')!;
    const a = layoutArea(tiktok);
    for (const c of CHANNELS.filter((c) => c.family.id === '9:16')) {
      expect(a.x).toBeGreaterThanOrEqual(c.safeZone.left);
      expect(a.y).toBeGreaterThanOrEqual(c.safeZone.top);
      expect(a.x + a.w).toBeLessThanOrEqual(c.width - c.safeZone.right);
      expect(a.y + a.h).toBeLessThanOrEqual(c.height - c.safeZone.bottom);
    }
  });
});
