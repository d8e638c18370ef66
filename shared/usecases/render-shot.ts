import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RenderJob, RenderResult } from '#domain/render-job';
import type { Deps } from '#ports/deps';
import { renderPlate } from '#media/procedural-plate';

/** The scratch path of a job's procedural plate (also the quality gate's fidelity reference). */
export async function procedurePlatePath(deps: Deps, job: RenderJob): Promise<string> {
  const dir = join(deps.workDir, 'renders');
  await mkdir(dir, { recursive: true });
  return join(dir, `${job.renderHash}.png`);
}

/** Renders the procedural plate of a job (the real product photo on the brand gradient) into scratch space. */
export async function renderPlateFile(deps: Deps, job: RenderJob): Promise<string> {
  const image = job.imageKey ? await deps.store.getBytes(job.imageKey) : undefined;
  const outPath = await procedurePlatePath(deps, job);
  await renderPlate({ job, image, outPath });
  return outPath;
}

/**
 * Renders one shot procedurally and stores it as a plate the assembler animates (no extra encode).
 * Used for procedural campaigns and as the guaranteed fallback after an endpoint's attempts failed.
 */
export async function renderProcedural(
  deps: Deps,
  job: RenderJob,
  record: Omit<RenderResult, 'schemaVersion' | 'renderHash' | 'state' | 'renderer' | 'output' | 'renderSeconds'>,
): Promise<RenderResult> {
  const started = performance.now();
  const outPath = await procedurePlatePath(deps, job);
  // Also the plate's two layers (background, product with alpha): parallax shots move them apart.
  const layerPaths = { backgroundPath: outPath.replace(/\.png$/, '.bg.png'), productPath: outPath.replace(/\.png$/, '.product.png') };
  const image = job.imageKey ? await deps.store.getBytes(job.imageKey) : undefined;
  const { layered } = await renderPlate({ job, image, outPath, layers: layerPaths });
  const key = `renders/${job.renderHash}.png`;
  await deps.store.putFile(key, outPath, 'image/png');
  const layers = layered ? { background: `renders/${job.renderHash}.bg.png`, product: `renders/${job.renderHash}.product.png` } : undefined;
  if (layers) {
    await deps.store.putFile(layers.background, layerPaths.backgroundPath, 'image/png');
    await deps.store.putFile(layers.product, layerPaths.productPath, 'image/png');
  }
  const result: RenderResult = {
    ...record,
    schemaVersion: 1, renderHash: job.renderHash, state: 'SUCCEEDED', renderer: 'procedural',
    output: { kind: 'plate', key, camera: job.camera, ...(layers ? { layers } : {}) }, renderSeconds: round((performance.now() - started) / 1000),
  };
  await deps.tracker.putRender(result);
  return result;
}

/** A finished render whose output is still in the store: reused, never paid for twice. */
export async function reusableRender(deps: Deps, renderHash: string): Promise<RenderResult | undefined> {
  const known = await deps.tracker.getRender(renderHash);
  return known?.state === 'SUCCEEDED' && known.output && (await deps.store.exists(known.output.key)) ? known : undefined;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
