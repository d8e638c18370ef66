import { join } from 'node:path';
import { renderPlateKeys } from '#domain/model/asset-keys';
import { analysisKey, ANALYZER_VERSION, PhotoAnalysis } from '#domain/model/photo-analysis';
import type { PlateFrame, RenderJob, RenderResult } from '#domain/model/render-job';
import type { Deps } from '#ports/deps';
import { cutoutPhoto } from './cutout-photo.ts';
import { withScratch } from './scratch.ts';
import { MIME } from '#domain/model/content-types';

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
  const photo = job.imageKey ? await deps.store.getBytes(job.imageKey) : undefined;
  const cached = job.imageKey ? await cachedAnalysis(deps, job.imageKey) : undefined;
  // A busy photo cut out by the configured provider is laid out as an isolated product (its own alpha).
  const cut = job.imageKey && photo ? await cutoutPhoto(deps, job.imageKey, cached, photo) : undefined;
  const image = cut ?? photo;
  const analysis = cut ? undefined : cached;
  const { plate: key, background, product } = renderPlateKeys(job.renderHash);
  let frameFacts: PlateFrame | undefined;
  const layers = await withScratch(deps, 'renders', job.renderHash, async (dir) => {
    // Also the plate's two layers (background, product with alpha): parallax shots move them apart.
    const paths = { outPath: join(dir, 'plate.png'), backgroundPath: join(dir, 'plate.bg.png'), productPath: join(dir, 'plate.product.png') };
    const { layered, frame } = await deps.media.renderPlate({
      job,
      image,
      outPath: paths.outPath,
      layers: { backgroundPath: paths.backgroundPath, productPath: paths.productPath },
      ...(analysis ? { analysis } : {}),
    });
    frameFacts = frame;
    await deps.store.putFile(key, paths.outPath, MIME.png);
    if (!layered) return undefined;
    const stored = { background, product };
    await deps.store.putFile(stored.background, paths.backgroundPath, MIME.png);
    await deps.store.putFile(stored.product, paths.productPath, MIME.png);
    return stored;
  });
  const result: RenderResult = {
    ...record,
    schemaVersion: 1,
    renderHash: job.renderHash,
    state: 'SUCCEEDED',
    renderer: 'procedural',
    output: { kind: 'plate', key, camera: job.camera, ...(layers ? { layers } : {}), ...(frameFacts ? { frame: frameFacts } : {}) },
    renderSeconds: round((performance.now() - started) / 1000),
  };
  await deps.tracker.putRender(result);
  return result;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** The photo's analysis cached at ingest, when present and made by this analyzer version (else the plate measures it). */
async function cachedAnalysis(deps: Deps, imageKey: string): Promise<PhotoAnalysis | undefined> {
  const key = analysisKey(imageKey);
  if (!(await deps.store.exists(key))) return undefined;
  let json: unknown;
  try {
    json = JSON.parse((await deps.store.getBytes(key)).toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = PhotoAnalysis.safeParse(json);
  return parsed.success && parsed.data.analyzer === ANALYZER_VERSION ? parsed.data : undefined;
}
