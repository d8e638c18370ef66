import { channelOf } from '#domain/planning/channels';
import type { Deps } from '#ports/deps';
import type { AssembledVariant } from './contracts.ts';

export class OutputValidationError extends Error {
  override readonly name = 'OutputValidationError';
  readonly code = 'OUTPUT_INVALID';
}

/** Probes an assembled variant against its channel's spec; a failing output is never published. */
export async function validateVariant(deps: Deps, variant: AssembledVariant): Promise<AssembledVariant> {
  const channel = channelOf(deps.channels, variant.channel);
  if (channel.kind === 'image') {
    // Banners: exact size, a format the network accepts, bytes within the cap.
    const banner = await deps.media.validateBanner(await deps.store.localPath(variant.stagedVideo), channel);
    if (!banner.ok)
      throw new OutputValidationError(`The ${variant.channel} banner of ${variant.templateId} fails the channel spec: ${banner.problems.join(' ')}`);
    return { ...variant, bytes: banner.bytes };
  }
  // A shared encode must pass every placement it is published under, each against its own spec.
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
