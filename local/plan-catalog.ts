import { readFile } from 'node:fs/promises';
import { MEDIA_ENGINE } from '#media/media-engine';
import { basename, dirname, join, resolve } from 'node:path';
import { loadTemplateDir } from '#adapters/local/template-dir';
import { Campaign } from '#domain/model/campaign';
import { catalogFormatOf, parseCatalog } from '#domain/catalog/catalog-parser';
import type { ChannelSpec } from '#domain/model/channel-spec';
import type { Product } from '#domain/model/product';
import type { Template } from '#domain/model/template';
import { channelRegistry, selectChannels } from '#domain/planning/channels';
import { describeStats, expandProductPlan, type PlanStats, type ProductPlan } from '#domain/planning/product-plan';
import { parseDocument } from '#domain/model/json-document';
import { AssetNotFoundError, assertSafeKey, type AssetStore } from '#ports/asset-store';
import { ingestProduct } from '#usecases/ingest-product';
import { toolchainId } from '#media/toolchain-version';
import { PACKAGE_ROOT } from './local-host.ts';

/**
 * An asset store for planning without side effects: reads come from a folder (the catalog's), writes
 * stay in memory. Ingest runs unchanged on it, so `adline plan` computes exactly the image keys and
 * productHash a real run would, without the tracker and without writing to out/.
 */
export class ReadThroughMemoryStore implements AssetStore {
  private readonly written = new Map<string, Buffer>();
  constructor(private readonly root: string) {}
  async putBytes(key: string, bytes: Uint8Array | string): Promise<void> {
    this.written.set(assertSafeKey(key), Buffer.from(bytes));
  }
  async putFile(key: string, path: string): Promise<void> {
    this.written.set(assertSafeKey(key), await readFile(path));
  }
  async getBytes(key: string): Promise<Buffer> {
    const held = this.written.get(assertSafeKey(key));
    if (held) return held;
    try {
      return await readFile(join(this.root, key));
    } catch (error) {
      throw new AssetNotFoundError(key, { cause: error });
    }
  }
  async exists(key: string): Promise<boolean> {
    return this.getBytes(key).then(
      () => true,
      () => false,
    );
  }
  async localPath(key: string): Promise<string> {
    return join(this.root, assertSafeKey(key));
  }
  async list(prefix: string): Promise<string[]> {
    return [...this.written.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
  async delete(key: string): Promise<void> {
    this.written.delete(assertSafeKey(key));
  }
}

export interface CatalogPlan {
  catalog: string;
  campaign: string;
  channels: string[];
  templates: string[];
  products: ProductPlan[];
  rejected: Array<{ row: number; sku?: string; reason: string }>;
  summary: PlanStats & { products: number; variants: number; line: string };
}

/** What planning a catalog reads: the campaign, its channels and templates, and every row ingested, once however many plans follow. */
export interface CatalogInputs {
  catalogKey: string;
  campaign: Campaign;
  channels: ChannelSpec[];
  templates: Template[];
  /** The rows that ingested, with the row number and sku a planning failure is reported under. */
  items: Array<{ row: number; sku: string; product: Product }>;
  /** Rows refused by the parser or by ingest. */
  rejected: CatalogPlan['rejected'];
  toolchain: string;
}

/** Reads the campaign (channels, templates), parses the catalog and ingests every row, writing nothing. */
export async function readCatalogInputs(opts: {
  catalogPath: string;
  campaignPath: string;
  channels?: string[];
  templatesDir?: string;
  extraChannels?: ChannelSpec[];
}): Promise<CatalogInputs> {
  const campaign = parseDocument(await readFile(opts.campaignPath, 'utf8'), Campaign, `Campaign file ${basename(opts.campaignPath)}`);
  const channels: ChannelSpec[] = selectChannels(opts.channels ?? campaign.channels, channelRegistry(opts.extraChannels));
  const library = await loadTemplateDir(opts.templatesDir ?? join(PACKAGE_ROOT, 'templates'));
  const templates = campaign.templates.map((id) => library.get(id) ?? missingTemplate(id, [...library.keys()]));

  const catalogKey = basename(opts.catalogPath);
  const store = new ReadThroughMemoryStore(dirname(resolve(opts.catalogPath)));
  const format = catalogFormatOf(catalogKey);
  const parsed = parseCatalog(await readFile(opts.catalogPath, 'utf8'), format);
  const rejected = parsed.rejected.map(({ row, sku, reason }) => ({ row, sku, reason }));
  const items: CatalogInputs['items'] = [];
  for (const { row, item } of parsed.items) {
    try {
      items.push({ row, sku: item.sku, product: await ingestProduct({ store, media: MEDIA_ENGINE }, item, catalogKey, format === 'csv' ? 'csv' : 'json') });
    } catch (error) {
      rejected.push({ row, sku: item.sku, reason: (error as Error).message });
    }
  }
  // The same render hashes a run computes on this machine.
  return { catalogKey, campaign, channels, templates, items, rejected, toolchain: await toolchainId() };
}

/**
 * Plans catalog inputs in memory: storyboards and unique render jobs. `renderer` plans as if the campaign
 * used it (plan --quote plans the same inputs once per model profile).
 */
export function planCatalogInputs(inputs: CatalogInputs, opts: { generation?: number; renderer?: Campaign['renderer'] } = {}): CatalogPlan {
  const { catalogKey, channels, templates, toolchain } = inputs;
  const campaign = opts.renderer ? { ...inputs.campaign, renderer: opts.renderer } : inputs.campaign;
  const rejected = [...inputs.rejected];
  const products: ProductPlan[] = [];
  for (const { row, sku, product } of inputs.items) {
    try {
      products.push(expandProductPlan({ product, campaign, templates, channels, generation: opts.generation, toolchain }));
    } catch (error) {
      rejected.push({ row, sku, reason: (error as Error).message });
    }
  }
  rejected.sort((a, b) => a.row - b.row);
  const total: PlanStats = { videoVariants: 0, shotSlots: 0, jobs: 0 };
  for (const p of products) {
    total.videoVariants += p.stats.videoVariants;
    total.shotSlots += p.stats.shotSlots;
    total.jobs += p.stats.jobs;
  }
  return {
    catalog: catalogKey,
    campaign: campaign.id,
    channels: channels.map((c) => c.id),
    templates: templates.map((t) => `${t.id}@${t.version}`),
    products,
    rejected,
    summary: { ...total, products: products.length, variants: products.reduce((n, p) => n + p.variants.length, 0), line: describeStats(total) },
  };
}

/** Plans every ad of a catalog in memory: storyboards and unique render jobs, nothing rendered or stored. */
export async function planCatalog(opts: {
  catalogPath: string;
  campaignPath: string;
  channels?: string[];
  templatesDir?: string;
  generation?: number;
  extraChannels?: ChannelSpec[];
  /** Plans as if the campaign used this renderer. */ renderer?: Campaign['renderer'];
}): Promise<CatalogPlan> {
  return planCatalogInputs(await readCatalogInputs(opts), opts);
}

function missingTemplate(id: string, known: string[]): never {
  throw new Error(`The campaign names template "${id}", which is not in templates/. Known: ${known.join(', ')}.`);
}
