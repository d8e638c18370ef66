import type { RenderResult } from '#domain/model/render-job';
import type { Deps } from '#ports/deps';

/** A finished render whose output is still in the store: reused, never paid for twice. */
export async function reusableRender(deps: Deps, renderHash: string): Promise<RenderResult | undefined> {
  const known = await deps.tracker.getRender(renderHash);
  return known?.state === 'SUCCEEDED' && known.output && (await deps.store.exists(known.output.key)) ? known : undefined;
}
