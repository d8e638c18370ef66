import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoTracker } from '#adapters/aws/dynamo-tracker';
import { makeS3Client, S3AssetStore } from '#adapters/aws/s3-asset-store';
import { SfnRunStarter } from '#adapters/aws/sfn-run-starter';
import { parseSecrets } from '#triggers/shopify-hmac';
import { parseShopAllowList } from '#domain/catalog/shopify-product';
import type { ShopifyConfig } from '#triggers/shopify-delivery';
import type { TriggerDeps } from '#ports/trigger-deps';
import { loadTriggerConfig, type TriggerConfig } from './trigger-config.ts';

/** The triggers' ports in Lambda: S3, DynamoDB, and Step Functions starters (the workflow, and the fan-out map if set). */
export function awsTriggerDeps(config: TriggerConfig = loadTriggerConfig()): TriggerDeps {
  const sfn = new SFNClient({ region: config.AWS_REGION });
  return {
    store: new S3AssetStore({ client: makeS3Client({ region: config.AWS_REGION }), bucket: config.ASSETS_BUCKET, cacheDir: '/tmp/adline-cache' }),
    tracker: new DynamoTracker(new DynamoDBClient({ region: config.AWS_REGION }), config.TABLE_NAME),
    starter: new SfnRunStarter({ client: sfn, stateMachineArn: config.STATE_MACHINE_ARN }),
    fanOut: config.FANOUT_STATE_MACHINE_ARN ? new SfnRunStarter({ client: sfn, stateMachineArn: config.FANOUT_STATE_MACHINE_ARN }) : undefined,
    now: () => new Date(),
  };
}

/** The Shopify settings in Lambda: the app secret(s) from Secrets Manager, read once at cold start. */
export async function awsShopifyConfig(config: TriggerConfig = loadTriggerConfig()): Promise<ShopifyConfig> {
  if (!config.SHOPIFY_SECRET_ARN) throw new Error('SHOPIFY_SECRET_ARN is not set: the webhook cannot verify signatures.');
  const secret = await new SecretsManagerClient({ region: config.AWS_REGION }).send(new GetSecretValueCommand({ SecretId: config.SHOPIFY_SECRET_ARN }));
  return {
    secrets: parseSecrets(secret.SecretString),
    campaignKeys: parseSecrets(config.CAMPAIGN_KEYS),
    currency: config.SHOP_CURRENCY,
    shops: parseShopAllowList(config.SHOPIFY_SHOPS),
  };
}
