import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { campaignFileKey, uploadFileKey, uploadsPrefix } from '#domain/model/asset-keys';
import { Campaign } from '#domain/model/campaign';
import { catalogFormatOf, parseCatalog } from '#domain/catalog/catalog-parser';
import { parseDocument } from '#domain/model/json-document';
import { decodeUtf8 } from '#domain/catalog/utf8';
import type { AssetStore } from '#ports/asset-store';
import type { RunInput } from '#ports/workflow-payloads';
import { RunSummary } from '#ports/workflow-payloads';
import type { EngineEvent } from './local-engine.ts';
import type { LocalHost } from './local-host.ts';
import { MIME } from '#domain/model/content-types';

export class LocalInputError extends Error {
  override readonly name = 'LocalInputError';
  readonly code = 'LOCAL_INPUT';
}

export interface Progress {
  products: number;
  productsDone: number;
  productsFailed: number;
  rendered: number;
  encoded: number;
  unchanged: number;
  state: string;
}

/** A sortable, unique run id such as run-20261125T061500Z-a1b2c3. */
export function newRunId(now = new Date()): string {
  return `run-${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

/**
 * Uploads a catalog file, the photos it references by relative path, and the campaign into the
 * local asset store, the way an upload lands in the S3 bucket in AWS. Returns the run's input.
 */
export async function uploadRunInput(
  host: LocalHost,
  opts: { catalogPath: string; campaignPath: string; runId: string; channels?: string[]; campaignAssetsDir?: string },
): Promise<RunInput> {
  const { store } = host.deps;
  const catalogText = await readLocal(opts.catalogPath, 'catalog');
  const { campaignKey } = await storeCampaignFile(store, opts.campaignPath, opts.campaignAssetsDir);

  const catalogKey = uploadFileKey(opts.runId, basename(opts.catalogPath));
  await store.putBytes(catalogKey, catalogText, MIME.text);
  const catalogDir = dirname(resolve(opts.catalogPath));
  const { items } = safeParse(catalogText, opts.catalogPath);
  for (const ref of new Set(items.flatMap(({ item }) => item.images))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(ref) || isAbsolute(ref)) continue; // ingest reports these per product
    const path = resolve(catalogDir, ref);
    const rel = relative(catalogDir, path).split('\\').join('/');
    if (rel.startsWith('..') || !/^[A-Za-z0-9._\/-]+$/.test(rel)) continue; // outside the catalog's folder: ingest rejects it
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile()) await store.putFile(`${uploadsPrefix(opts.runId)}${rel}`, path, MIME.binary);
  }
  return { schemaVersion: 1, runId: opts.runId, campaignKey, catalogKey, channels: opts.channels };
}

/**
 * Validates a campaign file and puts it into the store as campaigns/<id>.json. Its brand logo and music
 * are asset keys; locally a key names a file beside the campaign file (brand/logo.png), uploaded under that
 * same key, so the campaign reads the same in the store and a plan agrees with the run. A key that is
 * neither such a file nor already in the store is refused: the ads would quietly lose their logo or music.
 * `assetsDir` is where those files are looked up when the campaign file is a copy written elsewhere
 * (`adline run --renderer` writes one beside the tracker); default: the campaign file's folder.
 */
export async function storeCampaignFile(store: AssetStore, campaignPath: string, assetsDir?: string): Promise<{ campaignKey: string; campaign: Campaign }> {
  const text = await readLocal(campaignPath, 'campaign');
  const campaign = parseDocument(text, Campaign, `Campaign file ${campaignPath}`, (problem) => new LocalInputError(problem.message));
  const campaignDir = resolve(assetsDir ?? dirname(resolve(campaignPath)));
  for (const [field, key] of [
    ['brand.logo', campaign.brand.logo],
    ['brand.font', campaign.brand.font],
    ['music', campaign.music],
  ] as const) {
    if (key === undefined) continue;
    const path = resolve(campaignDir, key);
    const inside = !relative(campaignDir, path).startsWith('..') && !isAbsolute(key) && /^[A-Za-z0-9._\/-]+$/.test(key);
    if (inside && (await stat(path).catch(() => undefined))?.isFile()) await store.putFile(key, path, MIME.binary);
    else if (!(await store.exists(key))) {
      throw new LocalInputError(
        `Campaign file ${campaignPath}: ${field} "${key}" is neither a file beside the campaign (${path}) ` +
          `nor a key in the asset store; fix the path or remove ${field}.`,
      );
    }
  }
  const campaignKey = campaignFileKey(campaign.id);
  await store.putBytes(campaignKey, text, MIME.json);
  return { campaignKey, campaign };
}

/** Follows a local execution's event log for progress, and returns the run summary. */
export async function followRun(host: LocalHost, executionId: string, onProgress: (p: Progress, event: EngineEvent) => void = () => {}): Promise<RunSummary> {
  const execution = host.execution(executionId);
  const progress: Progress = { products: 0, productsDone: 0, productsFailed: 0, rendered: 0, encoded: 0, unchanged: 0, state: 'Prepare' };
  for await (const event of execution.eventLogs) {
    if (event.type === 'StateEntered') progress.state = event.state.name;
    if (event.type === 'StateExited' && event.state.name === 'Prepare') {
      const prepared = (event.state.output as { prepared?: { products?: unknown[]; unchanged?: number } }).prepared;
      progress.products = prepared?.products?.length ?? 0;
      progress.unchanged = prepared?.unchanged ?? 0;
    }
    if (event.type === 'StateExited' && event.state.name === 'Rendered') progress.rendered += 1;
    if (event.type === 'StateExited' && event.state.name === 'Validate') progress.encoded += 1;
    if (event.type === 'StateCaught' && event.state.name === 'ProcessProduct') progress.productsFailed += 1;
    if (event.type === 'MapIterationSucceeded' && event.parentState.name === 'Products') progress.productsDone += 1;
    onProgress(progress, event);
  }
  return RunSummary.parse(await execution.result);
}

async function readLocal(path: string, what: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new LocalInputError(`Cannot read the ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  try {
    return decodeUtf8(bytes, `The ${what} file ${path}`);
  } catch (error) {
    throw new LocalInputError((error as Error).message, { cause: error });
  }
}

function safeParse(text: string, path: string) {
  try {
    return parseCatalog(text, catalogFormatOf(path));
  } catch (error) {
    throw new LocalInputError(`${path}: ${(error as Error).message}`);
  }
}
