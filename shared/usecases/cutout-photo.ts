import { z } from 'zod';
import type { PhotoAnalysis } from '#domain/model/photo-analysis';
import type { AssetStore } from '#ports/asset-store';
import type { CutoutProvider } from '#ports/cutout';
import { saveDocument } from './load-documents.ts';
import { MIME } from '#domain/model/content-types';

/** What a cut-out cost and who made it, kept beside it (cut-outs are paid once per photo, like renders). */
export const CutoutRecord = z.object({
  schemaVersion: z.literal(1),
  imageKey: z.string(),
  provider: z.string(),
  model: z.string(),
  requestId: z.string().optional(),
  costUsd: z.number().nonnegative(),
  seconds: z.number().nonnegative(),
  at: z.string(),
  /** Set when the provider failed or returned no usable cut-out: the photo keeps its busy layouts. */
  error: z.string().optional(),
});
export type CutoutRecord = z.infer<typeof CutoutRecord>;

/** Store keys of a photo's cut-out and its record. */
export function cutoutKeys(imageKey: string): { png: string; record: string } {
  const name = imageKey.slice(imageKey.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '');
  return { png: `cutouts/${name}.png`, record: `cutouts/${name}.json` };
}

/**
 * The cut-out of a busy photo, made once through the configured provider and cached by the photo's hash;
 * undefined when no provider is configured, the photo is not busy, or the provider failed (recorded).
 */
export async function cutoutPhoto(
  deps: { store: AssetStore; cutout?: CutoutProvider | null; now: () => Date },
  imageKey: string,
  analysis: PhotoAnalysis | undefined,
  photo: Buffer,
): Promise<Buffer | undefined> {
  if (!deps.cutout || analysis?.photoClass !== 'busy') return undefined;
  const keys = cutoutKeys(imageKey);
  if (await deps.store.exists(keys.png)) return deps.store.getBytes(keys.png);
  if (await deps.store.exists(keys.record)) return undefined; // tried before and failed: not paid for again
  const started = performance.now();
  const base = { schemaVersion: 1 as const, imageKey, provider: deps.cutout.kind, at: deps.now().toISOString() };
  try {
    const result = await deps.cutout.cutout({ bytes: photo, contentType: photoContentTypeOf(imageKey) });
    const seconds = Math.round(performance.now() - started) / 1000;
    await deps.store.putBytes(keys.png, result.png, MIME.png);
    await saveDocument(
      deps.store,
      keys.record,
      CutoutRecord.parse({ ...base, model: result.model, ...(result.requestId ? { requestId: result.requestId } : {}), costUsd: result.costUsd, seconds }),
    );
    return result.png;
  } catch (error) {
    const seconds = Math.round(performance.now() - started) / 1000;
    await saveDocument(deps.store, keys.record, CutoutRecord.parse({ ...base, model: 'unknown', costUsd: 0, seconds, error: (error as Error).message }));
    return undefined;
  }
}

/** A stored photo's content type by its extension (photos are stored as JPEG unless PNG, WebP or AVIF). */
function photoContentTypeOf(key: string): string {
  const ext = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  return ext === 'png' ? MIME.png : ext === 'webp' ? MIME.webp : ext === 'avif' ? MIME.avif : MIME.jpeg;
}
