import { catalogFormatOf, CatalogFormatError, parseCatalog, type CatalogFormat, type RejectedRow } from '#domain/catalog/catalog-parser';
import type { CatalogItem } from '#domain/model/product';
import { decodeUtf8, TextEncodingError } from '#domain/catalog/utf8';
import { reportKeys } from '#domain/catalog/validation-report';
import { writeValidationReport } from '#usecases/write-validation-report';
import { startCatalog, type StartedCatalog } from './start-catalog.ts';
import type { TriggerDeps } from '#ports/trigger-deps';

export interface UploadInput {
  runId: string;
  /** The uploaded catalog in the asset store (uploads bucket in AWS): .csv (adline or Shopify export), .json or .jsonl. */
  uploadKey: string;
  campaignKey: string;
  channels?: string[];
  partSize?: number;
}

/**
 * What an upload's parse hands on: the accepted items (objects, or their JSON text when parsed in a
 * worker thread, which is far cheaper to pass back than 50,000 objects) and the rejected rows.
 */
export interface ParsedUpload {
  items: ReadonlyArray<CatalogItem | string>;
  rejected: RejectedRow[];
}

/** Decodes (strict UTF-8) and parses catalog bytes; the local server passes one that runs in a worker thread. */
export type CatalogBytesParser = (bytes: Uint8Array, format: CatalogFormat, label: string) => Promise<ParsedUpload>;

const parseInProcess: CatalogBytesParser = async (bytes, format, label) => {
  const parsed = parseCatalog(decodeUtf8(bytes, label), format);
  return { items: parsed.items.map(({ item }) => item), rejected: parsed.rejected };
};

export type UploadOutcome =
  | (StartedCatalog & { outcome: 'started'; report: string; accepted: number; refused: number })
  | { outcome: 'refused'; runId: string; report: string; reason: string };

/**
 * Starts ingestion of an uploaded catalog: strict parsing with limits, then one run (or one per part
 * for large uploads). The validation report lands beside the upload: written by the run's Prepare for
 * a single run (it adds ingest failures such as unreachable photos), or here, with the original row
 * numbers, when the upload is split into parts. A file that cannot be parsed at all gets a report too.
 */
export async function ingestUpload(
  deps: TriggerDeps,
  input: UploadInput,
  options: { parse?: CatalogBytesParser; bytes?: Buffer } = {},
): Promise<UploadOutcome> {
  const keys = reportKeys(input.uploadKey);
  const bytes = options.bytes ?? (await deps.store.getBytes(input.uploadKey));
  let parsed;
  try {
    parsed = await (options.parse ?? parseInProcess)(bytes, catalogFormatOf(input.uploadKey), `Upload ${input.uploadKey}`);
  } catch (error) {
    if (!(error instanceof CatalogFormatError) && !(error instanceof TextEncodingError)) throw error;
    const rows = [{ row: 0, reason: error.message }];
    await writeValidationReport(deps.store, input.uploadKey, { accepted: 0, rows, createdAt: deps.now().toISOString() });
    return { outcome: 'refused', runId: input.runId, report: keys.json, reason: error.message };
  }
  const items = parsed.items;
  const started = await startCatalog(deps, {
    runId: input.runId,
    campaignKey: input.campaignKey,
    catalogKey: input.uploadKey,
    channels: input.channels,
    items,
    partSize: input.partSize,
  });
  if (started.partsKey) {
    await writeValidationReport(deps.store, input.uploadKey, { accepted: items.length, rows: parsed.rejected, createdAt: deps.now().toISOString() });
  }
  return { ...started, outcome: 'started', report: keys.json, accepted: items.length, refused: parsed.rejected.length };
}
