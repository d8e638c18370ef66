import { posix } from 'node:path';
import { contentHash, sha256 } from '#domain/hash';
import { Product, type CatalogItem } from '#domain/model/product';
import { assertSafeKey, type AssetStore } from '#ports/asset-store';
import type { ImageFetcher } from '#ports/image-fetcher';
import { photoProblem } from '#domain/catalog/input-rules';
import { analysisKey } from '#domain/model/photo-analysis';
import type { MediaEngine } from '#ports/media-engine';
import { MIME } from '#domain/model/content-types';

/** What ingesting needs: the store, the photo checks, and (for URLs) the SSRF-guarded fetcher. */
export interface IngestDeps {
  store: AssetStore;
  media: Pick<MediaEngine, 'inspectImage' | 'analyzePhoto'>;
  images?: ImageFetcher;
}

export class ImageSourceError extends Error {
  override readonly name = 'ImageSourceError';
  readonly code = 'IMAGE_SOURCE';
}

/**
 * Normalizes one catalog item into a Product: copies its photos into the store under content-hashed
 * keys (after checking the bytes are an image) and computes the productHash over everything an ad shows.
 */
export async function ingestProduct(deps: IngestDeps, item: CatalogItem, catalogKey: string, source: Product['source']): Promise<Product> {
  const { store, media } = deps;
  const images: string[] = [];
  const imageHashes: string[] = [];
  for (const ref of item.images) {
    const bytes = await readImage(store, ref, catalogKey, deps.images);
    const info = await media.inspectImage(bytes, `"${ref}" of ${item.sku}`);
    const problem = photoProblem(info.width, info.height);
    if (problem) throw new ImageSourceError(`Image "${ref}" ${problem}.`);
    const hash = sha256(bytes);
    const key = `images/${hash.slice(0, 32)}.${info.ext}`;
    if (!(await store.exists(key))) await store.putBytes(key, bytes, info.contentType);
    await analyzeOnce(deps, key, bytes, `"${ref}" of ${item.sku}`);
    images.push(key);
    imageHashes.push(hash);
  }
  const { images: _refs, ...fields } = item;
  const productHash = contentHash({ fields, imageHashes });
  return Product.parse({ ...item, images, schemaVersion: 1, source, productHash });
}

async function readImage(store: AssetStore, ref: string, catalogKey: string, fetcher: ImageFetcher | undefined): Promise<Buffer> {
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) {
    // URLs only through the SSRF-guarded fetcher (https; http and file: only when the host runs it in local mode).
    if (!fetcher) throw new ImageSourceError(`Image "${ref}": this host fetches no remote images; ship the photo next to the catalog and use a relative path.`);
    return fetcher.fetch(ref);
  }
  const key = posix.normalize(posix.join(posix.dirname(catalogKey), ref));
  try {
    assertSafeKey(key);
  } catch {
    throw new ImageSourceError(`Image "${ref}" points outside the catalog's folder; use a path relative to the catalog file.`);
  }
  try {
    return await store.getBytes(key);
  } catch (error) {
    throw new ImageSourceError(`Image "${ref}" was not found next to the catalog (${key}).`, { cause: error });
  }
}

/**
 * Measures a photo once (class, product box, salient region, colours) and caches it beside the photo under
 * the same content hash. A photo that cannot be decoded is left to the render step, which reports it per product.
 */
async function analyzeOnce({ store, media }: IngestDeps, imageKey: string, bytes: Buffer, label: string): Promise<void> {
  const key = analysisKey(imageKey);
  if (await store.exists(key)) return;
  const analysis = await media.analyzePhoto(bytes, label).catch(() => undefined);
  if (analysis) await store.putBytes(key, JSON.stringify(analysis), MIME.json);
}
