import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { ChannelSpec } from '#domain/model/channel-spec';
import type { Storyboard } from '#domain/model/storyboard';
import { backdropSampler } from './backdrop-sampler.ts';
import { loadBrandFont } from '#media/brand-font';
import type { StripInfo } from './overlay-graph.ts';
import type { AssembleShot } from './shot-source.ts';
import { ensureContrast } from '#media/text-contrast';
import { overlayTextOptions, renderTextLayers } from '#media/text-image';
import { motionFor, motionStrip } from '#media/text-motion';

/**
 * Draws every text overlay into a file in `workDir` the filter graph reads: an entry strip (raw RGBA tiles)
 * for the slots that animate in, a PNG for those that only fade. User text becomes pixels here, so it never
 * enters the filter graph or an argument.
 */
export async function renderOverlayFiles(opts: {
  storyboard: Storyboard;
  channel: ChannelSpec;
  shots: AssembleShot[];
  workDir: string;
  fontPath?: string;
}): Promise<{ overlayPaths: string[]; overlayStrips: Array<StripInfo | undefined> }> {
  const { storyboard, channel, workDir } = opts;
  const behind = backdropSampler(storyboard, opts.shots, channel);
  const brandFont = opts.fontPath ? await loadBrandFont(opts.fontPath) : undefined;
  const fps = channel.fps;
  const rendered = await Promise.all(
    storyboard.overlays.map(async (o, i) => {
      // Measure what is behind the box during its time on screen and add or strengthen a box until WCAG AA holds.
      const { background } = ensureContrast(o.color, o.background, await behind(o.box, o.start, o.end));
      const layers = await renderTextLayers(overlayTextOptions(o, background, brandFont));
      const strip = motionStrip(layers, motionFor(o.slot), o.text.split('\n').length, fps, Math.max(0, o.end - o.start) / 3);
      if (strip) {
        const path = join(workDir, `overlay-${i}.rgba`);
        await writeFile(path, strip.data);
        return { path, strip: { tileW: strip.tileW, tileH: strip.tileH, tiles: strip.tiles, offsetX: strip.offsetX, offsetY: strip.offsetY } };
      }
      const path = join(workDir, `overlay-${i}.png`);
      const raw = { width: layers.width, height: layers.height, channels: 4 as const };
      const base = layers.box ? sharp(layers.box, { raw }) : sharp({ create: { ...raw, background: { r: 0, g: 0, b: 0, alpha: 0 } } });
      await writeFile(
        path,
        await base
          .composite([{ input: layers.text, raw }])
          .png()
          .toBuffer(),
      );
      return { path, strip: undefined };
    }),
  );
  return { overlayPaths: rendered.map((r) => r.path), overlayStrips: rendered.map((r) => r.strip) };
}
