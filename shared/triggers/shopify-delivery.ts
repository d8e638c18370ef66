import { JsonSyntaxError, parseJsonLossless } from '#domain/catalog/lossless-json';
import {
  clampToNow,
  decideUpdate,
  DELIVERY_TTL_SECONDS,
  shopifyCatalogKey,
  shopifySourceId,
  type DeliveryRef,
  type ProductWatermark,
} from '#domain/model/product-watermark';
import { verifyShopifyHmac } from '#triggers/shopify-hmac';
import {
  lowerCaseHeaders,
  normalizeShopifyProduct,
  productGid,
  SHOPIFY_TOPICS,
  ShopifyDeletePayload,
  ShopifyDeliveryMeta,
  ShopifyEventBridgeEvent,
  ShopifyProductPayload,
  type ShopifyTopic,
} from '#domain/catalog/shopify-product';
import { describeIssues } from '#domain/model/json-document';
import type { StartedRun } from '#ports/run-starter';
import { loadCampaign, saveDocument } from '#usecases/load-documents';
import { updateAd } from '#usecases/record-ad';
import { withProductLease } from '#usecases/product-lease';
import { recordRefusedDelivery } from './delivery-record.ts';
import { retireProduct } from './retire-product.ts';
import type { TriggerDeps } from '#ports/trigger-deps';

export interface ShopifyConfig {
  /** The app's client secrets; two during a rotation. */
  secrets: string[];
  /** The campaigns a product change renders for (asset-store keys of campaign files). */
  campaignKeys: string[];
  /** The shop's currency (product bodies carry amounts only). */
  currency: string;
  /**
   * The shops whose deliveries are accepted (`*.myshopify.com`; ADLINE_SHOPIFY_SHOP locally, a stack prop
   * in AWS). The shop header is not covered by the HMAC. Absent: any shop (serve warns).
   */
  shops?: string[];
}

export type DeliveryOutcome =
  | { outcome: 'started'; runs: Array<StartedRun & { runId: string }> }
  | { outcome: 'duplicate' | 'stale' | 'unchanged' | 'ignored-topic' | 'unknown-product' }
  | { outcome: 'retired'; ads: number }
  | { outcome: 'invalid'; reason: string }
  | { outcome: 'refused'; reason: string; record: string };

export interface WebhookResponse {
  status: number;
  body: DeliveryOutcome | { error: string };
}

/**
 * The HTTPS webhook: verify the HMAC of the raw body (any live secret), then handle the delivery.
 * Fast by design (Shopify waits 5 s): it writes one small catalog and starts a run; the render is async.
 */
export async function receiveShopifyWebhook(
  deps: TriggerDeps,
  config: ShopifyConfig,
  request: { rawBody: Buffer; headers: Record<string, string | string[] | undefined> },
): Promise<WebhookResponse> {
  const headers = lowerCaseHeaders(request.headers);
  if (!verifyShopifyHmac(request.rawBody, headers['x-shopify-hmac-sha256'], config.secrets)) {
    return { status: 401, body: { error: 'invalid or missing X-Shopify-Hmac-Sha256: the body must be signed with the app secret' } };
  }
  const meta = ShopifyDeliveryMeta.safeParse(headers);
  if (!meta.success) return { status: 400, body: { error: `bad delivery headers: ${describeIssues(meta.error.issues)}` } };
  let payload: unknown;
  try {
    payload = parseJsonLossless(request.rawBody.toString('utf8'));
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { status: 400, body: { error: error.message } };
    throw error;
  }
  const outcome = await handleShopifyDelivery(deps, config, meta.data, payload);
  // A shop outside the allow-list gets 403 (Shopify's dashboard shows it); everything else is acknowledged.
  return { status: outcome.outcome === 'refused' && !shopAllowed(config, meta.data['x-shopify-shop-domain']) ? 403 : 200, body: outcome };
}

/**
 * An Amazon EventBridge delivery (`detail.payload` + `detail.metadata`), given as the event's raw JSON
 * text (through SQS), so 64-bit ids are parsed losslessly. No HMAC: trust comes from the partner source.
 */
export async function receiveShopifyEvent(deps: TriggerDeps, config: ShopifyConfig, eventText: string): Promise<DeliveryOutcome> {
  const event = ShopifyEventBridgeEvent.safeParse(parseJsonLossless(eventText));
  if (!event.success) return { outcome: 'invalid', reason: `not a Shopify EventBridge event: ${describeIssues(event.error.issues)}` };
  const meta = ShopifyDeliveryMeta.safeParse(lowerCaseHeaders(event.data.detail.metadata));
  if (!meta.success) return { outcome: 'invalid', reason: `bad event metadata: ${describeIssues(meta.error.issues)}` };
  return handleShopifyDelivery(deps, config, meta.data, event.data.detail.payload);
}

/**
 * One delivery, whatever its transport: dedupe on the webhook id (conditional write, 48 h), then act.
 * Only what the HMAC covers decides anything: the shop must be allow-listed, the body must match its
 * topic, and ordering comes from the body's `updated_at` (clamped to now), never from X-Shopify-Triggered-At.
 * If the work fails the claim is released, so Shopify's retry is processed instead of dropped.
 */
export async function handleShopifyDelivery(deps: TriggerDeps, config: ShopifyConfig, meta: ShopifyDeliveryMeta, payload: unknown): Promise<DeliveryOutcome> {
  const topic = meta['x-shopify-topic'];
  if (!(SHOPIFY_TOPICS as readonly string[]).includes(topic)) return { outcome: 'ignored-topic' };
  const shop = meta['x-shopify-shop-domain'];
  if (!shopAllowed(config, shop)) return refuse(deps, meta, `shop ${shop} is not in the allow-list (ADLINE_SHOPIFY_SHOP: ${config.shops?.join(', ')})`);
  const now = deps.now();
  const change = parseChange(topic as ShopifyTopic, payload, shop, config, now);
  if (change.kind === 'invalid') return { outcome: 'invalid', reason: change.reason };
  if (change.kind === 'refused') return refuse(deps, meta, change.reason);
  const deliveryId = `shopify#${shop}#${meta['x-shopify-webhook-id']}`;
  const sourceId = shopifySourceId(shop, change.gid);
  const delivery: DeliveryRef = { webhookId: meta['x-shopify-webhook-id'], topic, shop, at: now.toISOString() };
  // A catalog written for a delivery that turns out duplicate or unchanged is harmless: its key is its content hash.
  const [claimed] = await Promise.all([
    deps.tracker.claimDelivery(deliveryId, new Date(now.getTime() + DELIVERY_TTL_SECONDS * 1000), now),
    change.kind === 'product' && change.product.status === 'active' ? saveDocument(deps.store, change.catalogKey, [change.product.item]) : undefined,
  ]);
  if (!claimed) return { outcome: 'duplicate' };
  try {
    return change.kind === 'delete' ? await deleted(deps, config, sourceId, delivery) : await changed(deps, config, change, sourceId, delivery);
  } catch (error) {
    await deps.tracker.releaseDelivery(deliveryId);
    throw error;
  }
}

const shopAllowed = (config: ShopifyConfig, shop: string) => !config.shops || config.shops.length === 0 || config.shops.includes(shop.toLowerCase());

async function refuse(deps: TriggerDeps, meta: ShopifyDeliveryMeta, reason: string): Promise<DeliveryOutcome> {
  return { outcome: 'refused', reason, record: await recordRefusedDelivery(deps, meta, reason) };
}

type Change =
  | { kind: 'invalid'; reason: string }
  | { kind: 'refused'; reason: string }
  | { kind: 'delete'; gid: string }
  | { kind: 'product'; gid: string; product: Extract<ReturnType<typeof normalizeShopifyProduct>, { kind: 'product' }>; catalogKey: string; numericId: string };

/** The body, checked against its topic: a delete carries only the id, a create/update a full product. */
function parseChange(topic: ShopifyTopic, payload: unknown, shop: string, config: ShopifyConfig, now: Date): Change {
  const asDelete = ShopifyDeletePayload.strict().safeParse(payload);
  if (topic === 'products/delete') {
    if (asDelete.success) return { kind: 'delete', gid: productGid(asDelete.data.id) };
    const loose = ShopifyDeletePayload.safeParse(payload);
    return loose.success
      ? { kind: 'refused', reason: 'a products/delete delivery carries only {"id"}, this one a product body: the topic header does not match the signed body' }
      : { kind: 'invalid', reason: describeIssues(loose.error.issues) };
  }
  if (asDelete.success)
    return { kind: 'refused', reason: `a ${topic} delivery with a delete body ({"id"} only): the topic header does not match the signed body` };
  const body = ShopifyProductPayload.safeParse(payload);
  if (!body.success) return { kind: 'invalid', reason: describeIssues(body.error.issues) };
  const product = normalizeShopifyProduct(body.data, { shop, currency: config.currency });
  if (product.kind === 'invalid') return { kind: 'invalid', reason: product.reason };
  const numericId = product.gid.slice(product.gid.lastIndexOf('/') + 1);
  const clamped = { ...product, updatedAt: clampToNow(product.updatedAt, now) };
  return { kind: 'product', gid: product.gid, product: clamped, numericId, catalogKey: shopifyCatalogKey(shop, numericId, product.contentHash) };
}

/** Compare-and-set attempts on one watermark before giving up (each loses only to a concurrent delivery). */
const CAS_ATTEMPTS = 20;

/**
 * products/delete: marks the watermark retired (compare-and-set, keeping its `updated_at`, so the next
 * genuine update, newer than anything seen, brings the product back), then retires its ads.
 */
async function deleted(deps: TriggerDeps, config: ShopifyConfig, sourceId: string, delivery: DeliveryRef): Promise<DeliveryOutcome> {
  for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
    const known = await deps.tracker.getWatermark(sourceId);
    if (!known) return { outcome: 'unknown-product' };
    if (known.deleted) return { outcome: 'retired', ads: 0 };
    if (!(await deps.tracker.putWatermark({ ...known, deleted: true, retiredBy: delivery }, known))) continue;
    return { outcome: 'retired', ads: await retire(deps, config, sourceId, known.sku, `product deleted in Shopify (delivery ${delivery.webhookId})`) };
  }
  throw new Error(`Watermark ${sourceId} kept changing under ${CAS_ATTEMPTS} concurrent deliveries; the delivery is released for Shopify's retry.`);
}

/**
 * products/create and products/update: ordered by the body's `updated_at` against the watermark, which
 * advances only by compare-and-set on the copy read. Losing the race means re-reading, so of any number
 * of concurrent deliveries only the newest can end as the watermark; runs started for older ones are
 * superseded at publish time.
 */
async function changed(
  deps: TriggerDeps,
  config: ShopifyConfig,
  change: Extract<Change, { kind: 'product' }>,
  sourceId: string,
  delivery: DeliveryRef,
): Promise<DeliveryOutcome> {
  const { product, numericId, catalogKey } = change;
  for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
    const known = await deps.tracker.getWatermark(sourceId);
    const decision = decideUpdate(known, product);
    // Retries carry the payload from trigger time: anything older than what we hold is stale.
    if (decision === 'stale') return { outcome: 'stale' };
    if (decision === 'unchanged' && known && known.updatedAt === product.updatedAt) return { outcome: 'unchanged' };
    const active = product.status === 'active';
    const watermark: ProductWatermark = {
      schemaVersion: 1,
      sourceId,
      sku: product.item.sku,
      updatedAt: product.updatedAt,
      contentHash: product.contentHash,
      deleted: !active,
      ...(active ? {} : { retiredBy: delivery }),
    };
    if (!(await deps.tracker.putWatermark(watermark, known ?? null))) continue;
    if (!active)
      return {
        outcome: 'retired',
        ads: await retire(deps, config, sourceId, product.item.sku, `product is ${product.status} in Shopify (delivery ${delivery.webhookId})`),
      };
    // Inventory and timestamp changes leave the content hash alone: nothing an ad shows has changed.
    if (decision === 'unchanged') return { outcome: 'unchanged' };
    return { outcome: 'started', runs: await startRuns(deps, config, numericId, product.contentHash, product.updatedAt, catalogKey) };
  }
  throw new Error(`Watermark ${sourceId} kept changing under ${CAS_ATTEMPTS} concurrent deliveries; the delivery is released for Shopify's retry.`);
}

async function startRuns(deps: TriggerDeps, config: ShopifyConfig, numericId: string, hash: string, updatedAt: string, catalogKey: string) {
  const runs = [];
  for (const campaignKey of config.campaignKeys) {
    // Same product version → same name: a duplicated delivery can never start a second run; a revert or a
    // revival (same content, later updated_at) gets a new one.
    const runId =
      `shopify-${numericId}-${hash}-${Date.parse(updatedAt).toString(36)}` +
      `${config.campaignKeys.length > 1 ? `-${config.campaignKeys.indexOf(campaignKey)}` : ''}`;
    runs.push({ ...(await deps.starter.start({ schemaVersion: 1, runId, campaignKey, catalogKey }, runId)), runId });
  }
  return runs;
}

/**
 * Retires the product in each configured campaign (retire-product.ts: ads, sources, current files, feeds),
 * under the product's lease and only while the watermark still says retired: a genuine update that
 * brought the product back in the meantime wins.
 */
async function retire(deps: TriggerDeps, config: ShopifyConfig, sourceId: string, sku: string, reason: string): Promise<number> {
  let count = 0;
  for (const campaignKey of config.campaignKeys) {
    const campaign = await loadCampaign(deps.store, campaignKey);
    count += await withProductLease(deps.tracker, campaignKey, sku, deps.now, async () => {
      if (!(await deps.tracker.getWatermark(sourceId))?.deleted) return 0;
      return retireProduct(deps, { campaignId: campaign.id, sku, reason });
    });
  }
  return count;
}
