import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GuardedImageFetcher } from '#adapters/http/image-fetcher';
import { S3AssetStore, makeS3Client } from '#adapters/aws/s3-asset-store';
import { DynamoTracker } from '#adapters/aws/dynamo-tracker';
import type { MediaEngine } from '#ports/media-engine';
import { NO_MEDIA } from './no-media.ts';
import { makeCutoutProvider } from '#adapters/cutout/cutout-factory';
import { loadStoreChannels } from '#usecases/store-channels';
import { loadStoreTemplates } from '#usecases/store-templates';
import { channelRegistry } from '#domain/planning/channels';
import { buildDeps, type Deps, type DepsTable } from '#ports/deps';
import { renderClientFactory } from '#adapters/render/render-client-factory';
import { loadAwsConfig, type AwsConfig } from './config.ts';
import { renderEnvironment } from './render-secrets.ts';

/** What the AWS builders share: the validated environment and the raw one (provider settings). */
export interface AwsContext {
  /** The media engine: MEDIA_ENGINE in functions with the media layer, NO_MEDIA in the others. */
  media: MediaEngine;
  config: AwsConfig;
  env: Record<string, string | undefined>;
}

/** Test-only switch (the parity harness): lets the image fetcher reach https on loopback. The stack never sets it. */
export const LOOPBACK_IMAGES_VARIABLE = 'ADLINE_TEST_LOOPBACK_IMAGES';

const stores = new WeakMap<AwsContext, S3AssetStore>();
const storeOf = (context: AwsContext) => {
  let store = stores.get(context);
  if (!store)
    stores.set(
      context,
      (store = new S3AssetStore({
        client: makeS3Client({ region: context.config.AWS_REGION }),
        bucket: context.config.ASSETS_BUCKET,
        cacheDir: '/tmp/adline-cache',
      })),
    );
  return store;
};

/** The Lambda host's ports, one builder each (the SDK clients honour AWS_ENDPOINT_URL_S3/_DYNAMODB/_SECRETS_MANAGER). */
export const AWS_DEPS: DepsTable<AwsContext> = {
  store: storeOf,
  tracker: ({ config }) => new DynamoTracker(new DynamoDBClient({ region: config.AWS_REGION }), config.TABLE_NAME),
  // The registry plus any channels/*.json the stack deployed (channelFiles).
  channels: async (context) => channelRegistry(await loadStoreChannels(storeOf(context))),
  // From the assets bucket (the stack deploys templates/ there), so a new template needs no redeploy.
  templates: (context) => loadStoreTemplates(storeOf(context)),
  workDir: () => '/tmp/adline-work',
  now: () => () => new Date(),
  // Provider keys from Secrets Manager, read once here at cold start.
  renderClients: async ({ config, env }) => renderClientFactory(await renderEnvironment(env, () => new SecretsManagerClient({ region: config.AWS_REGION }))),
  // The SSRF guard as in AWS: https only, public addresses only, pinned connections, size and time caps.
  images: ({ env }) => new GuardedImageFetcher({ allowLoopbackHttps: env[LOOPBACK_IMAGES_VARIABLE] === '1' }),
  // Background removal for busy photos when ADLINE_CUTOUT names one (null: full-bleed and blur-fill layouts).
  media: ({ media }) => media,
  cutout: ({ env }) => makeCutoutProvider(env) ?? null,
};

/** Builds the handlers' dependencies in Lambda from AWS_DEPS: S3, DynamoDB, bucket templates, provider keys, the guarded fetcher. */
export async function awsDeps(env: Record<string, string | undefined> = process.env, media: MediaEngine = NO_MEDIA): Promise<Deps> {
  return buildDeps(AWS_DEPS, { config: loadAwsConfig(env), env, media }, 'Lambda');
}
