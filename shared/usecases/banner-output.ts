import { join } from 'node:path';
import { contentTypeOf } from '#domain/model/content-types';
import { contentHash } from '#domain/hash';
import type { ChannelSpec } from '#domain/model/channel-spec';
import type { Storyboard } from '#domain/model/storyboard';
import type { Deps } from '#ports/deps';
import type { AssembleInput, AssembledVariant } from '#ports/workflow-payloads';
import { ASSEMBLER_VERSION } from './assembler-version.ts';
import { campaignExtras } from './campaign-extras.ts';
import type { OutputKindSteps } from './output-kind-steps.ts';
import { OutputValidationError } from './output-validation-error.ts';
import { withScratch } from './scratch.ts';
import { toolchainOf } from './toolchain.ts';

/** Image channels: one still with sharp, staged under the contract's stagedVideo/stagedPoster keys (both the banner). */
async function assembleBannerVariant(deps: Deps, input: AssembleInput, storyboard: Storyboard, channel: ChannelSpec): Promise<AssembledVariant> {
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

/** Banners: exact size, a format the network accepts, bytes within the cap. */
async function validateBannerVariant(deps: Deps, variant: AssembledVariant, channel: ChannelSpec): Promise<AssembledVariant> {
  const banner = await deps.media.validateBanner(await deps.store.localPath(variant.stagedVideo), channel);
  if (!banner.ok)
    throw new OutputValidationError(`The ${variant.channel} banner of ${variant.templateId} fails the channel spec: ${banner.problems.join(' ')}`);
  return { ...variant, bytes: banner.bytes };
}

/** Display banners: one still composed with sharp, its own poster. */
export const BANNER_OUTPUT: OutputKindSteps = { assemble: assembleBannerVariant, validate: validateBannerVariant };
