import { join } from 'node:path';
import { channelOf } from '#domain/planning/channels';
import { contentTypeOf } from '#domain/model/content-types';
import { contentHash } from '#domain/hash';
import { encodeKey, sharedEncode } from '#domain/planning/shared-encode';
import type { Deps } from '#ports/deps';
import type { ChannelSpec } from '#domain/model/channel-spec';
import type { Storyboard } from '#domain/model/storyboard';
import type { AssembleInput, AssembledVariant } from './contracts.ts';
import { loadCampaign, loadStoryboard } from './load-documents.ts';
import { encodeWithCreativeQc } from './creative-check.ts';
import { withScratch } from './scratch.ts';
import { toolchainOf } from './toolchain.ts';

/** Bumped whenever the assembler's output changes for the same storyboard and renders. */
export const ASSEMBLER_VERSION = 'assembler@3';

export class MissingRenderError extends Error {
  override readonly name = 'MissingRenderError';
  readonly code = 'RENDER_MISSING';
}

/** Encodes one channel variant from its storyboard and rendered shots into a staging key. */
export async function assembleVariant(deps: Deps, input: AssembleInput): Promise<AssembledVariant> {
  const storyboard = await loadStoryboard(deps.store, input.variant.storyboardKey);
  const placement = channelOf(deps.channels, storyboard.channel);
  if (placement.kind === 'image') return assembleBanner(deps, input, storyboard, placement);
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
    await deps.store.putFile(stagedVideo, outPath, 'video/mp4');
    await deps.store.putFile(stagedPoster, posterPath, 'image/jpeg');
    return { ...input.variant, variantHash, stagedVideo, stagedPoster, duration: storyboard.duration, encodeSeconds, creative };
  });
}

/** The campaign's logo and music as local files, when the campaign names them and the store has them (else skipped). */
async function campaignExtras(deps: Deps, campaignKey: string | undefined): Promise<{ logoPath?: string; musicPath?: string; fontPath?: string }> {
  if (!campaignKey) return {};
  const campaign = await loadCampaign(deps.store, campaignKey);
  const local = async (key: string | undefined) => (key && (await deps.store.exists(key)) ? deps.store.localPath(key) : undefined);
  const [logoPath, musicPath, fontPath] = await Promise.all([local(campaign.brand.logo), local(campaign.music), local(campaign.brand.font)]);
  return { ...(logoPath ? { logoPath } : {}), ...(musicPath ? { musicPath } : {}), ...(fontPath ? { fontPath } : {}) };
}

/** Image channels: one still with sharp, staged under the contract's stagedVideo/stagedPoster keys (both the banner). */
async function assembleBanner(deps: Deps, input: AssembleInput, storyboard: Storyboard, channel: ChannelSpec): Promise<AssembledVariant> {
  const variantHash = contentHash({
    storyboard: storyboard.hash,
    image: storyboard.still?.imageKey ?? null,
    assembler: ASSEMBLER_VERSION,
    toolchain: await toolchainOf(deps),
  });
  return withScratch(deps, 'variants', variantHash, async (workDir) => {
    const image = storyboard.still?.imageKey ? await deps.store.getBytes(storyboard.still.imageKey) : undefined;
    const started = performance.now();
    const { fontPath } = await campaignExtras(deps, input.campaignKey);
    const banner = await deps.media.renderBanner({
      storyboard,
      channel,
      image,
      outPathBase: join(workDir, 'banner'),
      ...(fontPath ? { brandFont: await deps.media.loadBrandFont(fontPath) } : {}),
    });
    const ext = banner.format === 'png' ? 'png' : 'jpg';
    const staged = `staging/${variantHash}/${input.runId}/banner.${ext}`;
    await deps.store.putFile(staged, banner.path, contentTypeOf(staged));
    const encodeSeconds = Math.round(performance.now() - started) / 1000;
    return { ...input.variant, variantHash, stagedVideo: staged, stagedPoster: staged, duration: 0, encodeSeconds, bytes: banner.bytes };
  });
}
