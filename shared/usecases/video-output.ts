import { join } from 'node:path';
import { contentHash } from '#domain/hash';
import { encodeKey, sharedEncode } from '#domain/planning/shared-encode';
import type { ChannelSpec } from '#domain/model/channel-spec';
import type { Storyboard } from '#domain/model/storyboard';
import type { Deps } from '#ports/deps';
import type { AssembleInput, AssembledVariant } from '#ports/workflow-payloads';
import { ASSEMBLER_VERSION } from './assembler-version.ts';
import { campaignExtras } from './campaign-extras.ts';
import { encodeWithCreativeQc } from './creative-check.ts';
import type { OutputKindSteps } from './output-kind-steps.ts';
import { OutputValidationError } from './output-validation-error.ts';
import { withScratch } from './scratch.ts';
import { MIME } from '#domain/model/content-types';

export class MissingRenderError extends Error {
  override readonly name = 'MissingRenderError';
  readonly code = 'RENDER_MISSING';
}

/** Encodes one video variant from its storyboard and rendered shots into a staging key (an MP4 and its JPEG poster). */
async function assembleVideoVariant(deps: Deps, input: AssembleInput, storyboard: Storyboard, placement: ChannelSpec): Promise<AssembledVariant> {
  // Encoded with the settings every placement sharing this encode accepts, so the file serves them all.
  const channel = sharedEncode(placement, [...deps.channels.values()]).spec;
  const shots = await Promise.all(
    storyboard.shots.map(async (shot) => {
      const render = await deps.tracker.getRender(shot.renderHash);
      if (render?.state !== 'SUCCEEDED' || !render.output) {
        throw new MissingRenderError(
          `Shot ${shot.index} of storyboard ${storyboard.hash} has no finished render (${shot.renderHash}); re-run the render step.`,
        );
      }
      const path = await deps.store.localPath(render.output.key);
      const layers = render.output.kind === 'plate' && shot.camera === 'parallax' ? render.output.layers : undefined;
      const source =
        render.output.kind === 'plate'
          ? // The storyboard decides the move: one procedural plate (a still) serves shots with different moves.
            layers
            ? // Parallax slides the product layer against the background layer.
              {
                kind: 'plate' as const,
                path: await deps.store.localPath(layers.background),
                productPath: await deps.store.localPath(layers.product),
                camera: shot.camera,
              }
            : { kind: 'plate' as const, path, camera: shot.camera }
          : { kind: 'clip' as const, path, ...(render.output.media ? { media: render.output.media } : {}) };
      return { index: shot.index, source };
    }),
  );
  // The encode, not the placement, names the output: placements sharing an encode get one variantHash.
  const variantHash = contentHash({
    encode: encodeKey(storyboard, channel),
    renders: storyboard.shots.map((s) => s.renderHash),
    assembler: ASSEMBLER_VERSION,
    campaign: input.campaignKey ?? null,
  });
  const stagedVideo = `staging/${variantHash}/video.mp4`;
  const stagedPoster = `staging/${variantHash}/poster.jpg`;
  // Already encoded (a sibling placement in an earlier run, or a retried task): the hashes decide, nothing is encoded twice.
  if ((await deps.store.exists(stagedVideo)) && (await deps.store.exists(stagedPoster))) {
    return { ...input.variant, variantHash, stagedVideo, stagedPoster, duration: storyboard.duration, encodeSeconds: 0 };
  }
  // A scratch folder of this invocation only: two runs encoding the same variant at once (concurrent
  // executions, a redelivered task) would otherwise write one file together and stage a torn MP4.
  return withScratch(deps, 'variants', variantHash, async (workDir) => {
    const outPath = join(workDir, 'video.mp4');
    const posterPath = join(workDir, 'poster.jpg');
    const extras = await campaignExtras(deps, input.campaignKey);
    // The creative QC checks the encoded ad and lays it out again when it fails (never publishing a failing one).
    const {
      encoded: { encodeSeconds },
      creative,
    } = await encodeWithCreativeQc(deps, {
      variantHash,
      storyboard,
      channel,
      videoPath: outPath,
      label: `${storyboard.channel} variant of ${storyboard.templateId}`,
      encode: (laidOut) => deps.media.assembleVideo({ storyboard: laidOut, channel, shots, outPath, posterPath, workDir, ...extras }),
    });
    await deps.store.putFile(stagedVideo, outPath, MIME.mp4);
    await deps.store.putFile(stagedPoster, posterPath, MIME.jpeg);
    return { ...input.variant, variantHash, stagedVideo, stagedPoster, duration: storyboard.duration, encodeSeconds, creative };
  });
}

/** Probes a staged video: a shared encode must pass every placement it is published under, each against its own spec. */
async function validateVideoVariant(deps: Deps, variant: AssembledVariant): Promise<AssembledVariant> {
  let bytes = 0;
  for (const placement of [variant, ...(variant.sharedWith ?? [])]) {
    const report = await deps.media.validateVideo(await deps.store.localPath(variant.stagedVideo), deps.channels.get(placement.channel)!, variant.duration);
    if (!report.ok) {
      throw new OutputValidationError(`The ${placement.channel} variant of ${placement.templateId} fails the channel spec: ${report.problems.join(' ')}`);
    }
    bytes = report.probe.bytes;
  }
  return { ...variant, bytes };
}

/** Video ads: rendered shots encoded into one MP4 (shared by placements with one encode) and its poster. */
export const VIDEO_OUTPUT: OutputKindSteps = { assemble: assembleVideoVariant, validate: validateVideoVariant };
