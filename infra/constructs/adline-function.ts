import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Size, Tags } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { TaskName } from '../workflow.ts';
import { MEDIA_EXTERNALS } from './media-layer.ts';
import type { RenderProviderAccess } from './render-providers.ts';

/** The repository root: the esbuild project root, and where functions/ and templates/ live. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The CDK tag that names the workflow task a function serves. */
export const TASK_TAG = 'adline:task';

/** The CDK tag naming the trigger a function serves. */
export const TRIGGER_TAG = 'adline:trigger';

/** The trigger functions, each `functions/<name>/index.ts`; none needs the media layer. */
export const TRIGGER_NAMES = ['shopify-webhook', 'shopify-events', 'upload-ingest', 'refresh'] as const;
export type TriggerName = (typeof TRIGGER_NAMES)[number];

/** Lets a bundle written as ESM load the CommonJS packages esbuild leaves as `require` calls. */
const ESM_REQUIRE_BANNER = "import { createRequire as __adlineCreateRequire } from 'node:module'; const require = __adlineCreateRequire(import.meta.url);";

/** Sizing per task: render, assemble and validate decode, encode and probe video; the rest move small JSON. */
export interface TaskProfile {
  readonly memorySize: number;
  readonly timeout: Duration;
  /** /tmp size in MiB: shots and encodes are written there. */
  readonly ephemeralStorageMiB: number;
  /**
   * Loads sharp, ffmpeg/ffprobe or the fonts at run time, so gets the media layer and leaves those
   * packages out of its bundle. test/infra/bundle.test.ts fails when a bundle disagrees with this flag.
   */
  readonly mediaLayer: boolean;
}

const LIGHT: TaskProfile = { memorySize: 512, timeout: Duration.minutes(1), ephemeralStorageMiB: 512, mediaLayer: false };

/** Profiles for every task; a new task in TASK_NAMES fails to type-check until it gets one. */
export const TASK_PROFILES: Record<TaskName, TaskProfile> = {
  // Ingest checks product images with sharp (metadata only), so prepare is light but needs the layer. Its photo
  // fetches share a 40 s budget (shared/usecases/prefetch-images.ts); 2 minutes leave room for the rest.
  prepare: { ...LIGHT, timeout: Duration.minutes(2), mediaLayer: true },
  plan: LIGHT,
  // Submit renders procedural plates inline (sharp); poll downloads, probes and checks clips (ffmpeg); fallback renders plates.
  'render-submit': { memorySize: 2048, timeout: Duration.minutes(10), ephemeralStorageMiB: 2048, mediaLayer: true },
  'render-poll': { memorySize: 2048, timeout: Duration.minutes(10), ephemeralStorageMiB: 2048, mediaLayer: true },
  'render-fallback': { memorySize: 2048, timeout: Duration.minutes(10), ephemeralStorageMiB: 2048, mediaLayer: true },
  assemble: { memorySize: 3008, timeout: Duration.minutes(15), ephemeralStorageMiB: 4096, mediaLayer: true },
  validate: { memorySize: 2048, timeout: Duration.minutes(5), ephemeralStorageMiB: 2048, mediaLayer: true },
  publish: LIGHT,
  'record-failure': LIGHT,
  summarize: LIGHT,
};

export type Access = 'read' | 'readWrite';

export interface AdlineFunctionProps {
  /** The folder under functions/ whose index.ts exports `handler` (a task, a trigger, review-api). */
  readonly entry: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  /** /tmp size in MiB. Default: Lambda's own (512), left out of the template. */
  readonly ephemeralStorageMiB?: number;
  /** The media layer (sharp, ffmpeg/ffprobe, fonts): attached, and its packages left out of the bundle. */
  readonly mediaLayer?: lambda.ILayerVersion;
  /**
   * Bundle @aws-sdk/* so the deployed version is the tested one. False leaves it to the runtime's copy
   * (CDK's default), an untested version: the parity run found bundles importing packages they did not carry.
   */
  readonly bundleAwsSdk: boolean;
  /** Log retention of the function's own log group. Default: one month. */
  readonly logRetention?: logs.RetentionDays;
  /** The CDK tag naming what the function serves (TASK_TAG or TRIGGER_TAG and its name); the parity harness finds functions by it. */
  readonly tag?: { readonly key: string; readonly value: string };
}

/**
 * adline's Lambda defaults in one place: Node.js 22 on x86_64 (the media binaries are linux-x64), an
 * ESM bundle with source maps (templates are read from the assets bucket), its own log group, X-Ray on.
 * Access is added with the `bind*` helpers, which grant and set the environment variable together,
 * so a function never has a name without the permission or the reverse.
 */
export class AdlineFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: AdlineFunctionProps) {
    if (props.mediaLayer && !props.bundleAwsSdk) {
      throw new Error(`Function ${id} has the media layer: bundle the AWS SDK with it (bundleAwsSdk: true), as every media task does.`);
    }
    super(scope, id, {
      entry: fileURLToPath(new URL(`../../functions/${props.entry}/index.ts`, import.meta.url)),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: fileURLToPath(new URL('../../package-lock.json', import.meta.url)),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.X86_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      ephemeralStorageSize: props.ephemeralStorageMiB === undefined ? undefined : Size.mebibytes(props.ephemeralStorageMiB),
      tracing: lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup: new logs.LogGroup(scope, `${id}Logs`, {
        retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
      layers: props.mediaLayer ? [props.mediaLayer] : undefined,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        // Errors are matched by name in Retry/Catch; keep class and function names intact.
        keepNames: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        // Bundle the AWS SDK (CDK's default leaves @aws-sdk/* to the runtime's copy, an untested version; the parity
        // run found the trigger bundles importing packages they did not carry), so `[]` unless the media layer carries some.
        externalModules: props.bundleAwsSdk ? (props.mediaLayer ? MEDIA_EXTERNALS : []) : undefined,
      },
    });
    if (props.tag) Tags.of(this).add(props.tag.key, props.tag.value);
  }

  /** Grants access to the tracker table and sets TABLE_NAME. */
  bindTable(table: dynamodb.ITable, access: Access): this {
    if (access === 'read') table.grantReadData(this);
    else table.grantReadWriteData(this);
    this.addEnvironment('TABLE_NAME', table.tableName);
    return this;
  }

  /** Grants access to a bucket and sets its name in `variable` (default ASSETS_BUCKET, the assets bucket). */
  bindBucket(bucket: s3.IBucket, access: Access, variable = 'ASSETS_BUCKET'): this {
    if (access === 'read') bucket.grantRead(this);
    else bucket.grantReadWrite(this);
    this.addEnvironment(variable, bucket.bucketName);
    return this;
  }

  /** Grants starting executions of a state machine and sets its ARN in `variable` (default STATE_MACHINE_ARN, the workflow). */
  bindStateMachine(stateMachine: sfn.IStateMachine, variable = 'STATE_MACHINE_ARN'): this {
    stateMachine.grantStartExecution(this);
    this.addEnvironment(variable, stateMachine.stateMachineArn);
    return this;
  }

  /** Grants reading a secret and sets its ARN in `variable` (the function reads the value at cold start, never from its configuration). */
  bindSecret(secret: secretsmanager.ISecret, variable: string): this {
    secret.grantRead(this);
    this.addEnvironment(variable, secret.secretArn);
    return this;
  }

  /** Wires the enabled render providers in: each key's secret as `<KEY>_SECRET_ARN`, the async S3 prefix, the Bedrock and SageMaker grants. */
  bindRenderer(renderer: RenderProviderAccess): this {
    for (const { variable, secret } of renderer.keySecrets) this.bindSecret(secret, `${variable}_SECRET_ARN`);
    if (renderer.ioPrefix !== undefined) this.addEnvironment('ADLINE_RENDER_S3_PREFIX', renderer.ioPrefix);
    for (const statement of renderer.statements) this.addToRolePolicy(statement);
    return this;
  }
}

/** The props of a workflow task's function: `functions/<task>/`, its profile's sizing, the media layer where the profile says so, its task tag. */
export function taskFunctionProps(
  task: TaskName,
  options: { mediaLayer?: lambda.ILayerVersion; logRetention?: logs.RetentionDays; profile?: Partial<TaskProfile> } = {},
): AdlineFunctionProps {
  const profile = { ...TASK_PROFILES[task], ...options.profile };
  if (profile.mediaLayer && options.mediaLayer === undefined) {
    throw new Error(`Task ${task} needs sharp, ffmpeg or the fonts at run time: pass the media layer (mediaLayer).`);
  }
  return {
    entry: task,
    memorySize: profile.memorySize,
    timeout: profile.timeout,
    ephemeralStorageMiB: profile.ephemeralStorageMiB,
    mediaLayer: profile.mediaLayer ? options.mediaLayer : undefined,
    // The AWS SDK is bundled, not taken from the runtime, so the deployed version is the tested one.
    bundleAwsSdk: true,
    logRetention: options.logRetention,
    tag: { key: TASK_TAG, value: task },
  };
}
