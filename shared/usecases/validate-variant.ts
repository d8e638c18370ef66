import type { Deps } from '#ports/deps';
import { validateBanner } from '#media/banner';
import { validateVideo } from '#media/validate-output';
import type { AssembledVariant } from './contracts.ts';

export class OutputValidationError extends Error {
  override readonly name = 'OutputValidationError';
  readonly code = 'OUTPUT_INVALID';
}

/** Probes an assembled variant against its channel's spec; a failing output is never published. */
export async function validateVariant(deps: Deps, variant: AssembledVariant): Promise<AssembledVariant> {
  const channel = deps.channels.get(variant.channel)!;
  if (channel.kind === 'image') {
    // Banners: exact size, a format the network accepts, bytes within the cap.
    const banner = await validateBanner(await deps.store.localPath(variant.stagedVideo), channel);
    if (!banner.ok) throw new OutputValidationError(`The ${variant.channel} banner of ${variant.templateId} fails the channel spec: ${banner.problems.join(' ')}`);
    return { ...variant, bytes: banner.bytes };
  }
  const report = await validateVideo(await deps.store.localPath(variant.stagedVideo), channel, variant.duration);
  if (!report.ok) {
    throw new OutputValidationError(`The ${variant.channel} variant of ${variant.templateId} fails the channel spec: ${report.problems.join(' ')}`);
  }
  return { ...variant, bytes: report.probe.bytes };
}
