import { loadTriggerConfig } from '../commons/trigger-config.ts';
import { awsTriggerDeps } from '../commons/aws-trigger-deps.ts';
import { parseSecrets } from '#triggers/shopify-hmac';
import { parseShopAllowList } from '#domain/catalog/shopify-product';
import { makeHandler } from './handler.ts';

const config = loadTriggerConfig();
/** Lambda entry point (SQS): EventBridge deliveries carry no HMAC, so no secret is read. */
export const handler = makeHandler(awsTriggerDeps(config), {
  secrets: [],
  campaignKeys: parseSecrets(config.CAMPAIGN_KEYS),
  currency: config.SHOP_CURRENCY,
  shops: parseShopAllowList(config.SHOPIFY_SHOPS),
});
