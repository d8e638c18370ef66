import { loadStoreChannels } from '#usecases/store-channels';
import { loadStoreTemplates } from '#usecases/store-templates';
import type { Campaign } from '#domain/model/campaign';
import { channelRegistry } from '#domain/planning/channels';
import { productsPerExecution, type ProductShape } from '#domain/planning/execution-budget';
import type { CatalogItem } from '#domain/model/product';
import { rendersShots } from '#domain/model/output-kinds';
import type { AssetStore } from '#ports/asset-store';
import { z } from 'zod';

/** An item's sku; an item given as a string is its JSON text (already validated by the parser). */
const skuOf = (item: CatalogItem | string): string => (typeof item === 'string' ? z.object({ sku: z.string() }).parse(JSON.parse(item)).sku : item.sku);

/** Shots a template may have (the Template schema's maximum): used when the store holds no templates. */
const MAX_SHOTS = 12;

/**
 * A campaign's worst-case product shape: variants = templates × channels; render jobs = shots of each
 * template × the distinct video families of its channels; the renderer's polling; the catalog's longest SKU.
 */
export async function campaignShape(
  store: AssetStore,
  campaign: Campaign,
  items: ReadonlyArray<CatalogItem | string>,
  channelIds?: readonly string[],
): Promise<ProductShape> {
  const templates = await loadStoreTemplates(store).catch(() => new Map());
  const registry = channelRegistry(await loadStoreChannels(store).catch(() => []));
  const channels = channelIds ?? campaign.channels;
  const families = new Set(
    channels
      .map((id) => registry.get(id))
      .filter((c) => c === undefined || rendersShots(c.kind))
      .map((c, i) => c?.family.id ?? `unknown-${i}`),
  );
  const shots = campaign.templates.reduce((sum, id) => sum + (templates.get(id)?.shots.length ?? MAX_SHOTS), 0);
  return {
    variants: campaign.templates.length * channels.length,
    renderJobs: shots * families.size,
    renderer: campaign.renderer,
    skuLength: Math.max(1, ...items.map((item) => skuOf(item).length)),
  };
}

/** Products per run for this campaign and catalog: within 80 % of a Standard execution's history and payload caps. */
export async function partSizeFor(
  store: AssetStore,
  campaign: Campaign,
  items: ReadonlyArray<CatalogItem | string>,
  channelIds?: readonly string[],
): Promise<number> {
  return productsPerExecution(await campaignShape(store, campaign, items, channelIds));
}
