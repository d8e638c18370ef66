import { channelOf } from '#domain/planning/channels';
import type { Deps } from '#ports/deps';
import type { AssembleInput, AssembledVariant } from '#ports/workflow-payloads';
import { loadStoryboard } from './load-documents.ts';
import { outputStepsOf } from './output-kind-steps.ts';

/** Makes one channel variant's output from its storyboard (and rendered shots) into a staging key, as its kind assembles it. */
export async function assembleVariant(deps: Deps, input: AssembleInput): Promise<AssembledVariant> {
  const storyboard = await loadStoryboard(deps.store, input.variant.storyboardKey);
  const placement = channelOf(deps.channels, storyboard.channel);
  return outputStepsOf(placement.kind).assemble(deps, input, storyboard, placement);
}
