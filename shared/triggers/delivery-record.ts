import { sha256 } from '#domain/hash';
import type { ShopifyDeliveryMeta } from '#domain/catalog/shopify-product';
import { saveDocument } from '#usecases/load-documents';
import type { TriggerDeps } from '#ports/trigger-deps';

/** Where refused deliveries are recorded: one JSON document each, by day, in the asset store. */
export const REFUSED_PREFIX = 'shopify-refused/';

/**
 * Records a signed delivery adline refused (a shop outside the allow-list, a body that does not match
 * its topic), with its headers and reason, so a misconfiguration or an attack leaves a trace a person
 * can read. The key is a hash of the delivery id: header values never become paths.
 */
export async function recordRefusedDelivery(deps: TriggerDeps, meta: ShopifyDeliveryMeta, reason: string): Promise<string> {
  const at = deps.now().toISOString();
  const key = `${REFUSED_PREFIX}${at.slice(0, 10)}/${sha256(`${meta['x-shopify-shop-domain']}#${meta['x-shopify-webhook-id']}`).slice(0, 24)}.json`;
  await saveDocument(deps.store, key, {
    schemaVersion: 1,
    outcome: 'refused',
    reason,
    at,
    topic: meta['x-shopify-topic'],
    shop: meta['x-shopify-shop-domain'],
    webhookId: meta['x-shopify-webhook-id'],
    triggeredAt: meta['x-shopify-triggered-at'],
    eventId: meta['x-shopify-event-id'],
  });
  return key;
}
