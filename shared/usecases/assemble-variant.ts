import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { contentHash } from '#domain/hash';
import type { Deps } from '#ports/deps';
import { assembleVideo } from '#media/assembler';
import type { AssembleInput, AssembledVariant } from './contracts.ts';
import { loadStoryboard } from './load-documents.ts';

/** Bumped whenever the assembler's output changes for the same storyboard and renders. */
export const ASSEMBLER_VERSION = 'assembler@1';

export class MissingRenderError extends Error {
  override readonly name = 'MissingRenderError';
  readonly code = 'RENDER_MISSING';
}

/** Encodes one channel variant from its storyboard and rendered shots into a staging key. */
export async function assembleVariant(deps: Deps, input: AssembleInput): Promise<AssembledVariant> {
  const storyboard = await loadStoryboard(deps.store, input.variant.storyboardKey);
  const channel = deps.channels.get(storyboard.channel)!;
  const shots = await Promise.all(storyboard.shots.map(async (shot) => {
    const render = await deps.tracker.getRender(shot.renderHash);
    if (render?.state !== 'SUCCEEDED' || !render.output) {
      throw new MissingRenderError(`Shot ${shot.index} of storyboard ${storyboard.hash} has no finished render (${shot.renderHash}); re-run the render step.`);
    }
    const path = await deps.store.localPath(render.output.key);
    const source = render.output.kind === 'plate'
      // The storyboard decides the move: one procedural plate (a still) serves shots with different moves.
      ? { kind: 'plate' as const, path, camera: shot.camera }
      : { kind: 'clip' as const, path };
    return { index: shot.index, source };
  }));
  const variantHash = contentHash({ storyboard: storyboard.hash, renders: storyboard.shots.map((s) => s.renderHash), assembler: ASSEMBLER_VERSION });
  const workDir = join(deps.workDir, 'variants', variantHash);
  await mkdir(workDir, { recursive: true });
  const outPath = join(workDir, 'video.mp4');
  const posterPath = join(workDir, 'poster.jpg');
  const { encodeSeconds } = await assembleVideo({ storyboard, channel, shots, outPath, posterPath, workDir });
  const stagedVideo = `staging/${variantHash}/video.mp4`;
  const stagedPoster = `staging/${variantHash}/poster.jpg`;
  await deps.store.putFile(stagedVideo, outPath, 'video/mp4');
  await deps.store.putFile(stagedPoster, posterPath, 'image/jpeg');
  return { ...input.variant, variantHash, stagedVideo, stagedPoster, duration: storyboard.duration, encodeSeconds };
}
