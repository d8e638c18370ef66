import { contentHash } from '#domain/hash';
import { catalogFormatOf, parseCatalog, type RejectedRow } from '#domain/catalog/catalog-parser';
import { productFileKey } from '#domain/model/asset-keys';
import { REFRESH_PREFIX } from '#domain/model/campaign-sources';
import { unretireProducts } from './retired-products.ts';
import { PLANNER_VERSION, templateFits } from '#domain/planning/planner';
import { productVariants } from '#domain/planning/product-plan';
import { adStaleness } from '#domain/planning/staleness';
import { reportKeys } from '#domain/catalog/validation-report';
import { REJECTED_IN_RECORD } from '#domain/model/ad-record';
import { textNotices, type TextNotice } from '#domain/model/text-notices';
import type { Product } from '#domain/model/product';
import type { Deps } from '#ports/deps';
import type { RunInput } from '#ports/workflow-payloads';
import type { Prepared, ProductItem } from '#ports/workflow-payloads';
import { recordCampaignSource } from './campaign-sources.ts';
import { ingestProduct } from './ingest-product.ts';
import { prefetchImages } from './prefetch-images.ts';
import { loadCampaign, saveDocument } from './load-documents.ts';
import { verifyPublished } from './published-files.ts';
import { recordIngestFailure } from './record-ingest-failure.ts';
import { toolchainOf } from './toolchain.ts';
import { writeValidationReport } from './write-validation-report.ts';
import { decodeUtf8 } from '#domain/catalog/utf8';
import { sourceOfCatalogKey } from '#domain/model/product-watermark';
import { recordSuperseded, supersededReason } from './publish-guard.ts';
import { overridesHash } from '#domain/model/ad-overrides';
import { loadOverrides } from './plan-product.ts';

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
  const templates = campaign.templates.map(
    (id) =>
      deps.templates.get(id) ??
      fail(`Campaign ${campaign.id} names template "${id}", which is not in templates/. Known: ${[...deps.templates.keys()].join(', ')}.`),
  );

  // Invalid bytes are refused (TextEncodingError), never turned into U+FFFD on a published title.
  const text = decodeUtf8(await deps.store.getBytes(input.catalogKey), `Catalog ${input.catalogKey}`);
  const format = catalogFormatOf(input.catalogKey);
  const parsed = parseCatalog(text, format);
  const rejected: RejectedRow[] = [...parsed.rejected];
  const products: ProductItem[] = [];
  const notices: TextNotice[] = [];
  let unchanged = 0;
  // An ffmpeg or sharp upgrade changes the pixels: part of every inputHash, and passed on to Plan's render hashes.
  const toolchain = await toolchainOf(deps);

  const source = sourceOfCatalogKey(input.catalogKey);
  // Photos fetched a few at a time ahead of ingestion, within one time budget (prefetch-images.ts).
  const images = prefetchImages(
    deps.images,
    parsed.items.flatMap(({ item }) => item.images),
  );
  let superseded = false;
  for (const { row, item } of parsed.items) {
    // A newer delivery of the same Shopify product already arrived: end here, recorded, without rendering.
    const overtaken = source && (await supersededReason(deps, source));
    if (source && overtaken) {
      await recordSuperseded(deps, input.runId, item.sku, source, overtaken);
      superseded = true;
      continue;
    }
    let product: Product;
    let productKey: string;
    try {
      product = await ingestProduct({ ...deps, images }, item, input.catalogKey, sourceOf(input.catalogKey, format));
      productKey = productFileKey(product.sku, product.productHash);
      // Inside the try: a key the store refuses rejects this row only, never the run.
      await saveDocument(deps.store, productKey, product);
    } catch (error) {
      rejected.push({ row, sku: item.sku, reason: (error as Error).message.slice(0, 1000) });
      // A webhook's product has no one reading the run's rejections: its ads show as failed, with the reason.
      if (sourceOf(input.catalogKey, format) === 'shopify')
        await recordIngestFailure(deps, { campaign, item, templates, channels, runId: input.runId, reason: (error as Error).message });
      continue;
    }
    notices.push(...textNotices(product, campaign));
    const variants: Array<ProductItem['variants'][number] & { generation?: number }> = [];
    // A reviewer's copy edit or reseed is part of the ad's inputs (absent: the hash is as it always was).
    const overrides = await loadOverrides(deps.store, campaign.id, product.sku);
    if (!templates.some((t) => templateFits(t, product))) {
      rejected.push({
        row,
        sku: product.sku,
        reason:
          `no template of campaign ${campaign.id} fits this product (` +
          `${templates.map((t) => `${t.id} needs ${t.conditions.minImages}+ images${t.conditions.requiresDiscount ? ' and a discount' : ''}`).join('; ')})`,
      });
      continue;
    }
    // Templates made for some channels only (hook-first: TikTok and Shorts) skip the others.
    for (const { template, channel } of productVariants(product, templates, channels)) {
      const inputHash = contentHash({
        productHash: product.productHash,
        brand: campaign.brand,
        cta: campaign.cta,
        locale: campaign.locale,
        renderer: campaign.renderer.kind,
        template: `${template.id}@${template.version}`,
        channel: `${channel.id}@${channel.version}`,
        planner: PLANNER_VERSION,
        toolchain,
        ...(overridesHash(overrides, template.id) ? { review: overridesHash(overrides, template.id) } : {}),
      });
      const ad = await deps.tracker.getAd({ campaignId: campaign.id, sku: product.sku, templateId: template.id, channel: channel.id });
      // Stale: new, not published, inputs changed (content, template or channel-spec version), or older than the campaign's max age.
      let staleness = adStaleness(ad, inputHash, deps.now(), campaign.refresh?.maxAgeDays);
      // "Published" only while the files are there: a missing one is made again, not counted unchanged.
      if (!staleness.stale && ad) staleness = await verifyPublished(deps, ad);
      if (!staleness.stale) unchanged += 1;
      else
        variants.push({ templateId: template.id, channel: channel.id, inputHash, ...(staleness.generation > 0 ? { generation: staleness.generation } : {}) });
    }
    if (variants.length > 0) {
      products.push({
        runId: input.runId,
        campaignKey: input.campaignKey,
        sku: product.sku,
        productKey,
        productHash: product.productHash,
        variants,
        toolchain,
        ...(source ? { source } : {}),
      });
    }
  }

  // An explicit catalog (an upload, a product active again in Shopify) brings a retired product back; a refresh never does.
  if (!input.catalogKey.startsWith(REFRESH_PREFIX))
    await unretireProducts(
      deps.store,
      campaign.id,
      parsed.items.map(({ item }) => item.sku),
    );
  // The validation report beside the catalog (JSON, and CSV safe for spreadsheets): row, field, reason.
  await writeValidationReport(deps.store, input.catalogKey, {
    accepted: parsed.items.length - rejected.length + parsed.rejected.length,
    rows: rejected,
    createdAt: deps.now().toISOString(),
    notices,
  });
  // An overtaken input must not become the source a refresh re-reads.
  if (!superseded) await recordCampaignSource(deps.store, campaign.id, input.catalogKey, deps.now().toISOString());
  await deps.tracker.putRun({
    schemaVersion: 1,
    runId: input.runId,
    campaignId: campaign.id,
    startedAt: deps.now().toISOString(),
    unchanged,
    // Counts and the first rows only: the report in the store lists every rejected row.
    rejected: [...rejected]
      .sort((a, b) => a.row - b.row)
      .slice(0, REJECTED_IN_RECORD)
      .map((r) => ({ row: r.row, sku: r.sku, reason: r.reason.slice(0, 300) })),
    rejectedCount: rejected.length,
    report: reportKeys(input.catalogKey).json,
    ...(notices.length > 0 ? { textNotices: notices } : {}),
  });
  return { products, unchanged, rejected: rejected.length };
}

function sourceOf(catalogKey: string, format: string): Product['source'] {
  return catalogKey.startsWith('shopify/') ? 'shopify' : format === 'csv' ? 'csv' : 'json';
}

function fail(message: string): never {
  throw new RunSetupError(message);
}
