import { channelOf } from '#domain/planning/channels';
import type { Deps } from '#ports/deps';
import type { AssembledVariant } from '#ports/workflow-payloads';
import { outputStepsOf } from './output-kind-steps.ts';

/** Checks an assembled variant against its channel's spec, as its kind validates it; a failing output is never published. */
export async function validateVariant(deps: Deps, variant: AssembledVariant): Promise<AssembledVariant> {
  const channel = channelOf(deps.channels, variant.channel);
  return outputStepsOf(channel.kind).validate(deps, variant, channel);
}
