import { Campaign } from '#domain/model/campaign';
import { Product } from '#domain/model/product';
import { RenderJob } from '#domain/model/render-job';
import { Storyboard } from '#domain/model/storyboard';
import { parseDocument } from '#domain/model/json-document';
import type { AssetStore } from '#ports/asset-store';
import type { z } from 'zod';
import { MIME } from '#domain/model/content-types';

export class DocumentError extends Error {
  override readonly name = 'DocumentError';
  readonly code = 'DOCUMENT_INVALID';
}

/** Reads a JSON document from the asset store and validates it against its schema. */
export async function loadDocument<T extends z.ZodType>(store: AssetStore, key: string, schema: T, what: string): Promise<z.infer<T>> {
  const text = (await store.getBytes(key)).toString('utf8').replace(/^\uFEFF/, '');
  return parseDocument(text, schema, `The ${what} at "${key}"`, (problem) => new DocumentError(problem.message, { cause: problem.cause }));
}

export const loadCampaign = (store: AssetStore, key: string) => loadDocument(store, key, Campaign, 'campaign file');
export const loadProduct = (store: AssetStore, key: string) => loadDocument(store, key, Product, 'product');
export const loadStoryboard = (store: AssetStore, key: string) => loadDocument(store, key, Storyboard, 'storyboard');
export const loadRenderJob = (store: AssetStore, key: string) => loadDocument(store, key, RenderJob, 'render job');

/** Writes a document as pretty, stable JSON. */
export function saveDocument(store: AssetStore, key: string, value: unknown): Promise<void> {
  return store.putBytes(key, `${JSON.stringify(value, null, 2)}\n`, MIME.json);
}
