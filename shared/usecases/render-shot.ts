import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Deps } from '#ports/deps';
import { renderPlate } from '#media/procedural-plate';
import type { RenderShotInput } from './contracts.ts';
import { loadRenderJob } from './load-documents.ts';

export interface RenderShotResult {
  renderHash: string;
  reused: boolean;
  renderSeconds: number;
}

/** Renders one shot with the procedural renderer, unless a finished render with the same hash exists. */
export async function renderShot(deps: Deps, input: RenderShotInput): Promise<RenderShotResult> {
  const known = await deps.tracker.getRender(input.renderHash);
  if (known?.state === 'SUCCEEDED' && known.output && (await deps.store.exists(known.output.key))) {
    return { renderHash: input.renderHash, reused: true, renderSeconds: 0 };
  }
  const job = await loadRenderJob(deps.store, input.jobKey);
  const started = performance.now();
  const image = job.imageKey ? await deps.store.getBytes(job.imageKey) : undefined;
  const dir = join(deps.workDir, 'renders');
  await mkdir(dir, { recursive: true });
  const outPath = join(dir, `${job.renderHash}.png`);
  await renderPlate({ job, image, outPath });
  const key = `renders/${job.renderHash}.png`;
  await deps.store.putFile(key, outPath, 'image/png');
  const renderSeconds = (performance.now() - started) / 1000;
  await deps.tracker.putRender({
    schemaVersion: 1, renderHash: job.renderHash, state: 'SUCCEEDED', renderer: 'procedural',
    output: { kind: 'plate', key, camera: job.camera }, attempts: 1, renderSeconds,
  });
  return { renderHash: job.renderHash, reused: false, renderSeconds };
}
