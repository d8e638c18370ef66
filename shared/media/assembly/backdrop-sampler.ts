import sharp from 'sharp';
import type { ChannelSpec } from '#domain/model/channel-spec';
import type { Box, Storyboard } from '#domain/model/storyboard';
import { ZOOM } from './camera-moves.ts';
import type { AssembleShot, ShotSource } from './shot-source.ts';
import { WORST_CASE_BACKDROP } from '#media/text-contrast';

/**
 * Samples of the pixels behind a box while it is on screen: the plates of every shot it overlaps,
 * fitted to the frame as the filter graph fits them, over the box grown by the camera's reach.
 * Clips (generated shots) are unknown in advance, so they count as the worst case.
 */
export function backdropSampler(
  storyboard: Storyboard,
  shots: AssembleShot[],
  channel: ChannelSpec,
): (box: Box, start: number, end: number) => Promise<Uint8Array> {
  const { width: W, height: H } = channel;
  const frames = new Map<string, Promise<Buffer>>();
  const frame = (source: Extract<ShotSource, { kind: 'plate' }>) => {
    const key = `${source.path}|${source.productPath ?? ''}`;
    let f = frames.get(key);
    if (!f) {
      f = (async () => {
        const base = sharp(source.path).resize(W, H, { fit: 'cover' });
        const layers = source.productPath ? [{ input: await sharp(source.productPath).resize(W, H, { fit: 'cover' }).png().toBuffer() }] : [];
        return sharp(await base.composite(layers).removeAlpha().raw().toBuffer(), { raw: { width: W, height: H, channels: 3 } })
          .raw()
          .toBuffer();
      })();
      frames.set(key, f);
    }
    return f;
  };
  const bySource = new Map(shots.map((s) => [s.index, s.source]));
  return async (box, start, end) => {
    const parts: Uint8Array[] = [];
    for (const shot of storyboard.shots) {
      if (shot.start >= end || shot.start + shot.duration <= start) continue;
      const source = bySource.get(shot.index);
      if (!source || source.kind === 'clip') {
        parts.push(WORST_CASE_BACKDROP);
        continue;
      }
      const data = await frame(source);
      // Camera moves shift content by up to ~ZOOM of the frame; detail shots magnify the middle.
      const grow = Math.round(Math.max(W, H) * (shot.role === 'detail' ? 0.25 : ZOOM));
      const x0 = Math.max(0, box.x - grow),
        y0 = Math.max(0, box.y - grow);
      const x1 = Math.min(W, box.x + box.w + grow),
        y1 = Math.min(H, box.y + box.h + grow);
      const step = Math.max(1, Math.round(Math.sqrt(((x1 - x0) * (y1 - y0)) / 4000)));
      const out: number[] = [];
      for (let y = y0; y < y1; y += step) {
        for (let x = x0; x < x1; x += step) {
          const p = (y * W + x) * 3;
          out.push(data[p], data[p + 1], data[p + 2]);
        }
      }
      parts.push(Uint8Array.from(out));
    }
    if (parts.length === 0) return WORST_CASE_BACKDROP;
    const total = parts.reduce((n, p) => n + p.length, 0);
    const all = new Uint8Array(total);
    let off = 0;
    for (const p of parts) {
      all.set(p, off);
      off += p.length;
    }
    return all;
  };
}
