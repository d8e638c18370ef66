import type { Deps } from '#ports/deps';

/** The media toolchain's id for hashes: the engine's, unless a test simulates another ffmpeg/sharp. */
export async function toolchainOf(deps: Pick<Deps, 'toolchain' | 'media'>): Promise<string> {
  return deps.toolchain ?? deps.media.toolchainId();
}
