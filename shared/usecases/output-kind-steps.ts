import type { OutputKind } from '#domain/model/output-kinds';
import type { ChannelSpec } from '#domain/model/channel-spec';
import type { Storyboard } from '#domain/model/storyboard';
import type { Deps } from '#ports/deps';
import type { AssembleInput, AssembledVariant } from '#ports/workflow-payloads';
import { BANNER_OUTPUT } from './banner-output.ts';
import { VIDEO_OUTPUT } from './video-output.ts';

/** How the pipeline makes and checks one output kind; both steps reach media only through `deps.media`. */
export interface OutputKindSteps {
  /** Makes one variant's output from its storyboard (and renders) and stages it. */
  assemble(deps: Deps, input: AssembleInput, storyboard: Storyboard, channel: ChannelSpec): Promise<AssembledVariant>;
  /** Checks a staged output against its channel's spec (and every placement it is shared with), or throws OutputValidationError. */
  validate(deps: Deps, variant: AssembledVariant, channel: ChannelSpec): Promise<AssembledVariant>;
}

/**
 * The steps of every output kind, keyed like the domain's OUTPUT_KINDS (shared/domain/model/output-kinds.ts):
 * a kind added there without its steps here is a type error.
 */
export const OUTPUT_KIND_STEPS: Readonly<Record<OutputKind, OutputKindSteps>> = {
  video: VIDEO_OUTPUT,
  image: BANNER_OUTPUT,
};

/** The assemble and validate steps of a channel's kind. */
export function outputStepsOf(kind: OutputKind): OutputKindSteps {
  return OUTPUT_KIND_STEPS[kind];
}
