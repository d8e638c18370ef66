import { JsonSyntaxError, parseJsonLossless } from '#domain/lossless-json';
import { DELIVERY_TTL_SECONDS, type ProductWatermark } from '#domain/product-watermark';
import { verifyShopifyHmac } from '#domain/shopify-hmac';
import {
  lowerCaseHeaders, normalizeShopifyProduct, productGid, SHOPIFY_TOPICS, ShopifyDeletePayload, ShopifyDeliveryMeta,
  ShopifyEventBridgeEvent, ShopifyProductPayload, type ShopifyTopic,
} from '#domain/shopify-product';
import { describeIssues } from '#domain/template-catalog';
import type { StartedRun } from '#ports/run-starter';
import { loadCampaign, saveDocument } from '#usecases/load-documents';
import { retireProduct } from './retire-product.ts';
import type { TriggerDeps } from './trigger-deps.ts';

export interface ShopifyConfig {
  /** The app's client secrets; two during a rotation. */
  secrets: string[];
  /** The campaigns a product change renders for (asset-store keys of campaign files). */
  campaignKeys: string[];
  /** The shop's currency (product bodies carry amounts only). */
  currency: string;
}

export type DeliveryOutcome =
  | { outcome: 'started'; runs: Array<StartedRun & { runId: string }> }
  | { outcome: 'duplicate' | 'stale' | 'unchanged' | 'ignored-topic' | 'unknown-product' }
  | { outcome: 'retired'; ads: number }
  | { outcome: 'invalid'; reason: string };

export interface WebhookResponse {
  status: number;
  body: DeliveryOutcome | { error: string };
}

/**
 * The HTTPS webhook: verify the HMAC of the raw body (any live secret), then handle the delivery.
 * Fast by design (Shopify waits 5 s): it writes one small catalog and starts a run; the render is async.
 */
export async function receiveShopifyWebhook(deps: TriggerDeps, config: ShopifyConfig, request: { rawBody: Buffer; headers: Record<string, string | string[] | undefined> }): Promise<WebhookResponse> {
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
  return { status: 200, body: await handleShopifyDelivery(deps, config, meta.data, payload) };
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
 * The payload is parsed first (pure); the claim, the watermark read and the catalog write then go to
 * the tracker and the store at once, which keeps the acknowledgement short. If the work fails the claim
 * is released, so Shopify's retry is processed instead of dropped.
 */
export async function handleShopifyDelivery(deps: TriggerDeps, config: ShopifyConfig, meta: ShopifyDeliveryMeta, payload: unknown): Promise<DeliveryOutcome> {
  const topic = meta['x-shopify-topic'];
  if (!(SHOPIFY_TOPICS as readonly string[]).includes(topic)) return { outcome: 'ignored-topic' };
  const shop = meta['x-shopify-shop-domain'];
  const change = parseChange(topic as ShopifyTopic, payload, shop, config);
  if (change.kind === 'invalid') return { outcome: 'invalid', reason: change.reason };
  const now = deps.now();
  const deliveryId = `shopify#${shop}#${meta['x-shopify-webhook-id']}`;
  const sourceId = `shopify#${shop}#${change.gid}`;
  // A catalog written for a delivery that turns out duplicate or unchanged is harmless: its key is its content hash.
  const [claimed, known] = await Promise.all([
    deps.tracker.claimDelivery(deliveryId, new Date(now.getTime() + DELIVERY_TTL_SECONDS * 1000), now),
    deps.tracker.getWatermark(sourceId),
    change.kind === 'product' && change.product.status === 'active' ? saveDocument(deps.store, change.catalogKey, [change.product.item]) : undefined,
  ]);
  if (!claimed) return { outcome: 'duplicate' };
  try {
    return change.kind === 'delete' ? await deleted(deps, config, meta, known) : await changed(deps, config, change, sourceId, known);
  } catch (error) {
    await deps.tracker.releaseDelivery(deliveryId);
    throw error;
  }
}

type Change =
  | { kind: 'invalid'; reason: string }
  | { kind: 'delete'; gid: string }
  | { kind: 'product'; gid: string; product: Extract<ReturnType<typeof normalizeShopifyProduct>, { kind: 'product' }>; catalogKey: string; numericId: string };

function parseChange(topic: ShopifyTopic, payload: unknown, shop: string, config: ShopifyConfig): Change {
  if (topic === 'products/delete') {
    const body = ShopifyDeletePayload.safeParse(payload);
    return body.success ? { kind: 'delete', gid: productGid(body.data.id) } : { kind: 'invalid', reason: describeIssues(body.error.issues) };
  }
  const body = ShopifyProductPayload.safeParse(payload);
  if (!body.success) return { kind: 'invalid', reason: describeIssues(body.error.issues) };
  const product = normalizeShopifyProduct(body.data, { shop, currency: config.currency });
  if (product.kind === 'invalid') return { kind: 'invalid', reason: product.reason };
  const numericId = product.gid.slice(product.gid.lastIndexOf('/') + 1);
  return { kind: 'product', gid: product.gid, product, numericId, catalogKey: `shopify/${shop}/${numericId}/${product.contentHash}.json` };
}

async function deleted(deps: TriggerDeps, config: ShopifyConfig, meta: ShopifyDeliveryMeta, known: ProductWatermark | undefined): Promise<DeliveryOutcome> {
  if (!known) return { outcome: 'unknown-product' };
  const at = latest(known.updatedAt, meta['x-shopify-triggered-at'] ?? deps.now().toISOString());
  const ads = await retire(deps, config, known.sku, 'product deleted in Shopify');
  await deps.tracker.putWatermark({ ...known, updatedAt: at, deleted: true });
  return { outcome: 'retired', ads };
}

async function changed(deps: TriggerDeps, config: ShopifyConfig, change: Extract<Change, { kind: 'product' }>, sourceId: string, known: ProductWatermark | undefined): Promise<DeliveryOutcome> {
  const { product, numericId, catalogKey } = change;
  // Retries carry the payload from trigger time: anything older than what we hold is stale.
  if (known && Date.parse(known.updatedAt) > Date.parse(product.updatedAt)) return { outcome: 'stale' };
  const watermark: ProductWatermark = { schemaVersion: 1, sourceId, sku: product.item.sku, updatedAt: product.updatedAt, contentHash: product.contentHash, deleted: false };
  if (product.status !== 'active') {
    const ads = await retire(deps, config, product.item.sku, `product is ${product.status} in Shopify`);
    await deps.tracker.putWatermark({ ...watermark, deleted: true });
    return { outcome: 'retired', ads };
  }
  // Inventory and timestamp changes leave the content hash alone: nothing an ad shows has changed.
  if (known && !known.deleted && known.contentHash === product.contentHash) {
    await deps.tracker.putWatermark(watermark);
    return { outcome: 'unchanged' };
  }
  const runs = [];
  for (const campaignKey of config.campaignKeys) {
    // Same product content → same name: a retried or duplicated delivery can never start a second run.
    const runId = `shopify-${numericId}-${product.contentHash}${config.campaignKeys.length > 1 ? `-${config.campaignKeys.indexOf(campaignKey)}` : ''}`;
    runs.push({ ...(await deps.starter.start({ schemaVersion: 1, runId, campaignKey, catalogKey }, runId)), runId });
  }
  await deps.tracker.putWatermark(watermark);
  return { outcome: 'started', runs };
}

/** Retires the product in each configured campaign: ads, sources, current files and feeds (retire-product.ts). */
async function retire(deps: TriggerDeps, config: ShopifyConfig, sku: string, reason: string): Promise<number> {
  let count = 0;
  for (const campaignKey of config.campaignKeys) count += await retireProduct(deps, { campaignId: (await loadCampaign(deps.store, campaignKey)).id, sku, reason });
  return count;
}

const latest = (a: string, b: string) => (Date.parse(b) > Date.parse(a) ? new Date(b).toISOString() : a);
