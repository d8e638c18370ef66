import { contentHash } from '#domain/hash';
import { catalogFormatOf, parseCatalog, type RejectedRow } from '#domain/catalog-parser';
import { campaignSourceKey } from '#domain/campaign-sources';
import { PLANNER_VERSION, templateFits } from '#domain/planner';
import { adStaleness } from '#domain/staleness';
import { reportCsv, reportJson, reportKeys } from '#domain/validation-report';
import { textNotices, type TextNotice } from '#domain/text-notices';
import type { Product } from '#domain/product';
import type { Template } from '#domain/template';
import type { Deps } from '#ports/deps';
import type { RunInput } from '#ports/run-starter';
import type { Prepared, ProductItem } from './contracts.ts';
import { ingestProduct } from './ingest-product.ts';
import { loadCampaign, saveDocument } from './load-documents.ts';
import { decodeUtf8 } from '#domain/utf8';

export class RunSetupError extends Error {
  override readonly name = 'RunSetupError';
  readonly code = 'RUN_SETUP';
}

/**
 * Ingests the catalog, then expands product × template × channel and drops every ad the tracker
 * shows as published from the same inputs, so re-running unchanged input costs nothing.
 */
export async function prepareRun(deps: Deps, input: RunInput): Promise<Prepared> {
  const campaign = await loadCampaign(deps.store, input.campaignKey);
  const channelIds = input.channels ?? campaign.channels;
  const channels = channelIds.map((id) => deps.channels.get(id) ?? fail(`Unknown channel "${id}". Known channels: ${[...deps.channels.keys()].join(', ')}.`));
  const templates = campaign.templates.map((id) => deps.templates.get(id) ?? fail(`Campaign ${campaign.id} names template "${id}", which is not in templates/. Known: ${[...deps.templates.keys()].join(', ')}.`));

  // Invalid bytes are refused (TextEncodingError), never turned into U+FFFD on a published title.
  const text = decodeUtf8(await deps.store.getBytes(input.catalogKey), `Catalog ${input.catalogKey}`);
  const format = catalogFormatOf(input.catalogKey);
  const parsed = parseCatalog(text, format);
  const rejected: RejectedRow[] = [...parsed.rejected];
  const products: ProductItem[] = [];
  const notices: TextNotice[] = [];
  let unchanged = 0;

  for (const { row, item } of parsed.items) {
    let product: Product;
    try {
      product = await ingestProduct(deps.store, item, input.catalogKey, sourceOf(input.catalogKey, format), deps.images);
    } catch (error) {
      rejected.push({ row, sku: item.sku, reason: (error as Error).message });
      continue;
    }
    notices.push(...textNotices(product, campaign));
    const productKey = `products/${product.sku}/${product.productHash}.json`;
    await saveDocument(deps.store, productKey, product);
    const variants: Array<ProductItem['variants'][number] & { generation?: number }> = [];
    const fitting = templates.filter((t) => fits(t, product));
    if (fitting.length === 0) {
      rejected.push({ row, sku: product.sku, reason: `no template of campaign ${campaign.id} fits this product (${templates.map((t) => `${t.id} needs ${t.conditions.minImages}+ images${t.conditions.requiresDiscount ? ' and a discount' : ''}`).join('; ')})` });
      continue;
    }
    for (const template of fitting) {
      for (const channel of channels) {
        // Templates made for some channels only (hook-first: TikTok and Shorts) skip the others.
        if (!templateFits(template, product, channel)) continue;
        const inputHash = contentHash({
          productHash: product.productHash, brand: campaign.brand, cta: campaign.cta, locale: campaign.locale,
          renderer: campaign.renderer.kind, template: `${template.id}@${template.version}`, channel: `${channel.id}@${channel.version}`, planner: PLANNER_VERSION,
        });
        const ad = await deps.tracker.getAd({ campaignId: campaign.id, sku: product.sku, templateId: template.id, channel: channel.id });
        // Stale: new, not published, inputs changed (content, template or channel-spec version), or older than the campaign's max age.
        const staleness = adStaleness(ad, inputHash, deps.now(), campaign.refresh?.maxAgeDays);
        if (!staleness.stale) unchanged += 1;
        else variants.push({ templateId: template.id, channel: channel.id, inputHash, ...(staleness.generation > 0 ? { generation: staleness.generation } : {}) });
      }
    }
    if (variants.length > 0) {
      products.push({ runId: input.runId, campaignKey: input.campaignKey, sku: product.sku, productKey, productHash: product.productHash, variants });
    }
  }

  await writeReport(deps, input.catalogKey, parsed.items.length - rejected.length + parsed.rejected.length, rejected, notices);
  const sourceKey = campaignSourceKey(campaign.id, input.catalogKey);
  if (sourceKey) await saveDocument(deps.store, sourceKey, { schemaVersion: 1, campaignId: campaign.id, name: sourceKey.slice(sourceKey.lastIndexOf('/') + 1, -5), catalogKey: input.catalogKey, recordedAt: deps.now().toISOString() });
  await deps.tracker.putRun({
    schemaVersion: 1, runId: input.runId, campaignId: campaign.id, startedAt: deps.now().toISOString(), unchanged,
    rejected: rejected.map((r) => ({ row: r.row, sku: r.sku, reason: r.reason })),
    ...(notices.length > 0 ? { textNotices: notices } : {}),
  });
  return { products, unchanged, rejected: rejected.length };
}

/** The validation report beside the catalog (JSON, and CSV safe for spreadsheets): row, field, reason. */
async function writeReport(deps: Deps, catalogKey: string, accepted: number, rows: RejectedRow[], notices: TextNotice[]): Promise<void> {
  const keys = reportKeys(catalogKey);
  await deps.store.putBytes(keys.json, reportJson(catalogKey, accepted, rows, deps.now().toISOString(), notices), 'application/json');
  await deps.store.putBytes(keys.csv, reportCsv(rows, notices), 'text/csv; charset=utf-8');
}

function sourceOf(catalogKey: string, format: string): Product['source'] {
  return catalogKey.startsWith('shopify/') ? 'shopify' : format === 'csv' ? 'csv' : 'json';
}

function fits(template: Template, product: Product): boolean {
  return templateFits(template, product);
}

function fail(message: string): never {
  throw new RunSetupError(message);
}
