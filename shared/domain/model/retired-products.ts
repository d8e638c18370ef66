/*
 * A product retired from a campaign (deleted, drafted or archived in Shopify) is recorded as one small
 * document per product, so a refresh, which re-reads every source that ever fed the campaign, leaves it
 * out instead of bringing it back. Only a new, explicit catalog (an upload, an active Shopify product) lifts it.
 */

/** The folder of a campaign's retired-product records. */
export const retiredPrefix = (campaignId: string) => `retired/${campaignId}/`;

/** The record of one retired product. */
export const retiredKey = (campaignId: string, sku: string) => `${retiredPrefix(campaignId)}${sku}.json`;

/** The sku a retired record names, from its key. */
export function skuOfRetiredKey(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1).replace(/\.json$/, '');
}
