import sharp from 'sharp';
import { contentHash } from '#domain/hash';
import type { Deps } from '#ports/deps';
import { ffmpegVersion } from './ffmpeg.ts';

/** The versions of the tools that make adline's pixels: ffmpeg's version line, sharp's and its libvips'. */
export interface MediaToolchain {
  ffmpeg: string;
  sharp: string;
  vips: string;
}

let toolchain: Promise<MediaToolchain> | undefined;

/** The media toolchain's versions, read once per process (one `ffmpeg -version`). */
export function mediaToolchain(): Promise<MediaToolchain> {
  toolchain ??= ffmpegVersion().then((ffmpeg) => ({ ffmpeg, sharp: sharp.versions.sharp, vips: sharp.versions.vips }));
  return toolchain;
}

/**
 * A short id of the toolchain, part of every ad's inputHash, of procedural render hashes and of variant
 * hashes: after an ffmpeg or sharp upgrade the old output is made again, not served as unchanged.
 * `deps.toolchain` overrides it (tests simulating an upgrade).
 */
export async function toolchainId(deps?: Pick<Deps, 'toolchain'>): Promise<string> {
  return deps?.toolchain ?? contentHash(await mediaToolchain());
}
