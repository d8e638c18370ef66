import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { OutputInfo } from 'sharp';
import type { ChannelSpec } from '#domain/model/channel-spec';
import type { Box, Storyboard } from '#domain/model/storyboard';
import { even, num } from './filter-numbers.ts';
import type { FilterGraph } from './filter-graph-builder.ts';
import { MediaError } from '#media/media-error';
import { OVERLAY_FADE } from './overlay-graph.ts';

/** The brand logo cannot be read as an image. */
export class LogoError extends MediaError {
  override readonly name = 'LogoError';
  override readonly code = 'LOGO_INVALID';
}

/** A logo PNG already sized to its box, shown with a fade from `start` for `duration` seconds. */
export interface EndCardLogo {
  path: string;
  box: Box;
  start: number;
  duration: number;
}

/**
 * The end card's logo: fitted into a box a quarter of the frame wide on a light rounded plate (logos
 * are usually dark on transparent), centred below any top text of the last shot, inside the safe zone.
 */
export async function prepareLogo(logoPath: string, storyboard: Storyboard, channel: ChannelSpec, workDir: string): Promise<EndCardLogo> {
  const { width: W, height: H, safeZone } = channel;
  const last = storyboard.shots.reduce((a, b) => (b.start > a.start ? b : a));
  const maxW = even(Math.min(W * 0.34, W - safeZone.left - safeZone.right));
  const maxH = even(Math.max(16, Math.min(H * 0.1, W * 0.16)));
  const pad = Math.max(2, Math.round(maxH * 0.12));
  let fitted: { data: Buffer; info: OutputInfo };
  try {
    fitted = await sharp(logoPath, { limitInputPixels: 50_000_000, failOn: 'error' })
      .rotate()
      .toColourspace('srgb')
      .ensureAlpha()
      .resize(maxW - 2 * pad, maxH - 2 * pad, { fit: 'inside' })
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new LogoError(`The brand logo ${logoPath} cannot be read (${(error as Error).message.split('\n')[0]}): use a PNG (with transparency) or JPEG file.`, {
      cause: error,
    });
  }
  const w = even(fitted.info.width + 2 * pad);
  const h = even(fitted.info.height + 2 * pad);
  const plate = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">` +
      `<rect width="${w}" height="${h}" rx="${Math.round(h * 0.2)}" fill="#ffffff" fill-opacity="0.9"/></svg>`,
  );
  const png = await sharp(plate)
    .composite([
      {
        input: fitted.data,
        raw: { width: fitted.info.width, height: fitted.info.height, channels: 4 },
        left: Math.round((w - fitted.info.width) / 2),
        top: Math.round((h - fitted.info.height) / 2),
      },
    ])
    .png()
    .toBuffer();
  const path = join(workDir, 'logo.png');
  await writeFile(path, png);
  // Below the lowest top-half text box shown during the end card, so the logo never covers copy.
  const endStart = last.start + last.fadeIn;
  const topText = storyboard.overlays.filter((o) => o.end > endStart && o.box.y + o.box.h / 2 < H / 2);
  const y = Math.max(safeZone.top, ...topText.map((o) => o.box.y + o.box.h + Math.round(H * 0.02)));
  return {
    path,
    box: { x: Math.round((W - w) / 2), y: Math.min(y, H - safeZone.bottom - h), w, h },
    start: endStart,
    duration: Math.max(0.1, storyboard.duration - endStart),
  };
}

/** Lays the end card's logo over the graph's base, fading in at its start. */
export function addLogo(graph: FilterGraph, logo: EndCardLogo): void {
  const { path, box, start, duration } = logo;
  const repeated = graph.still(path, duration);
  const fade = Math.min(OVERLAY_FADE, duration / 3);
  graph.lines.push(`[${graph.input}:v]${repeated},fade=t=in:st=0:d=${num(fade)}:alpha=1,setpts=PTS-STARTPTS+${num(start)}/TB[logo];`);
  graph.layer('[logo]', `overlay=x=${box.x}:y=${box.y}:eof_action=pass`);
  graph.input += 1;
}
