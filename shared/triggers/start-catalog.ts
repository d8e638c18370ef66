import { posix } from 'node:path';
import type { CatalogItem } from '#domain/model/product';
import { executionName } from '#domain/execution-name';
import type { RunInput } from '#ports/workflow-payloads';
import type { StartedRun } from '#ports/run-starter';
import { loadCampaign } from '#usecases/load-documents';
import { partSizeFor } from './part-size.ts';
import type { TriggerDeps } from '#ports/trigger-deps';
import { MIME } from '#domain/model/content-types';

/**
 * Products per run when the campaign cannot be read (its run then fails in Prepare, naming the problem).
 * Otherwise the part size comes from the campaign (part-size.ts): within 80 % of the history and payload caps.
 */
export const PART_SIZE = 100;

export interface StartedCatalog {
  runId: string;
  runs: Array<StartedRun & { runId: string; catalogKey: string }>;
  /** Set when the parts went to the Distributed Map (AWS): the JSON list its ItemReader reads. */
  partsKey?: string;
}

/**
 * Starts the runs for a catalog already in the asset store. Up to the part size: one run over the
 * catalog itself. Larger: the valid items are split into JSONL parts beside it (image paths stay
 * relative to the same folder), listed in `<catalog>.parts.json`, and either handed to the Distributed
 * Map (AWS, `fanOut`) or started one by one. An item given as a string is its JSON text already. Every name is derived from the run id: retries dedupe.
 */
export async function startCatalog(
  deps: TriggerDeps,
  input: { runId: string; campaignKey: string; catalogKey: string; channels?: string[]; items: ReadonlyArray<CatalogItem | string>; partSize?: number },
): Promise<StartedCatalog> {
  const base = { schemaVersion: 1 as const, campaignKey: input.campaignKey, ...(input.channels ? { channels: input.channels } : {}) };
  const campaign = input.partSize === undefined ? await loadCampaign(deps.store, input.campaignKey).catch(() => undefined) : undefined;
  const size = input.partSize ?? (campaign ? await partSizeFor(deps.store, campaign, input.items, input.channels) : PART_SIZE);
  if (input.items.length <= size) {
    const run: RunInput = { ...base, runId: input.runId, catalogKey: input.catalogKey };
    return { runId: input.runId, runs: [{ ...(await deps.starter.start(run, input.runId)), runId: input.runId, catalogKey: input.catalogKey }] };
  }
  const parts: RunInput[] = [];
  for (let i = 0; i * size < input.items.length; i++) {
    const n = String(i + 1).padStart(4, '0');
    const catalogKey = `${input.catalogKey}.part-${n}.jsonl`;
    await deps.store.putBytes(
      catalogKey,
      `${input.items
        .slice(i * size, (i + 1) * size)
        .map((item) => (typeof item === 'string' ? item : JSON.stringify(item)))
        .join('\n')}\n`,
      MIME.ndjson,
    );
    parts.push({ ...base, runId: executionName([input.runId, `p${n}`]).slice(0, 64), catalogKey });
  }
  const partsKey = `${input.catalogKey}.parts.json`;
  await deps.store.putBytes(partsKey, JSON.stringify(parts), MIME.json);
  if (deps.fanOut) {
    const started = await deps.fanOut.start({ ...base, runId: input.runId, catalogKey: partsKey }, input.runId);
    return { runId: input.runId, partsKey, runs: [{ ...started, runId: input.runId, catalogKey: partsKey }] };
  }
  const runs: StartedCatalog['runs'] = [];
  for (const part of parts) runs.push({ ...(await deps.starter.start(part, part.runId)), runId: part.runId, catalogKey: part.catalogKey });
  return { runId: input.runId, partsKey, runs };
}

/** Rewrites a relative image path from one catalog's folder to another's, so a copied item still finds its photo. */
export function rebaseImage(ref: string, fromCatalogKey: string, toCatalogKey: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) return ref;
  return posix.relative(posix.dirname(toCatalogKey), posix.join(posix.dirname(fromCatalogKey), ref));
}
