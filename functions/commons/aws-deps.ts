import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3AssetStore, makeS3Client } from '#adapters/s3-asset-store';
import { DynamoTracker } from '#adapters/dynamo-tracker';
import { loadTemplateDir } from '#adapters/template-dir';
import { channelRegistry } from '#domain/channels';
import type { Deps } from '#ports/deps';
import { loadAwsConfig } from './config.ts';

/** Builds the handlers' dependencies in Lambda: S3 asset store, DynamoDB tracker, templates bundled beside the code. */
export async function awsDeps(): Promise<Deps> {
  const config = loadAwsConfig();
  return {
    store: new S3AssetStore({ client: makeS3Client({ region: config.AWS_REGION }), bucket: config.ASSETS_BUCKET, cacheDir: '/tmp/adline-cache' }),
    tracker: new DynamoTracker(new DynamoDBClient({ region: config.AWS_REGION }), config.TABLE_NAME),
    channels: channelRegistry(),
    templates: await loadTemplateDir(config.TEMPLATES_DIR),
    workDir: '/tmp/adline-work',
    now: () => new Date(),
  };
}
