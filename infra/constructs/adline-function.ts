import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Size, Tags } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { TaskName } from '../workflow.ts';
import { MEDIA_EXTERNALS } from './media-layer.ts';

/** The repository root: the esbuild project root, and where functions/ and templates/ live. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The CDK tag that names the workflow task a function serves. */
export const TASK_TAG = 'adline:task';

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
  /** The workflow task; the entry is `functions/<task>/index.ts`. */
  readonly task: TaskName;
  /** Layer with sharp/ffmpeg/ffprobe and fonts; required when the task's profile says `mediaLayer`. */
  readonly mediaLayer?: lambda.ILayerVersion;
  /** Log retention of the function's own log group. Default: one month. */
  readonly logRetention?: logs.RetentionDays;
  /** Overrides the task's profile (tests, load experiments). */
  readonly profile?: Partial<TaskProfile>;
}

/**
 * adline's Lambda defaults in one place: Node.js 22 on x86_64 (the media binaries are linux-x64), an
 * ESM bundle with source maps (templates are read from the assets bucket), its own log group, X-Ray on.
 * Access to the table and bucket is added with `bindTable`/`bindBucket`, which grant and set the
 * environment variable together, so a function never has a name without the permission or the reverse.
 */
export class AdlineFunction extends NodejsFunction {
  readonly task: TaskName;

  constructor(scope: Construct, id: string, props: AdlineFunctionProps) {
    const profile = { ...TASK_PROFILES[props.task], ...props.profile };
    if (profile.mediaLayer && props.mediaLayer === undefined) {
      throw new Error(`Task ${props.task} needs sharp, ffmpeg or the fonts at run time: pass the media layer (mediaLayer).`);
    }
    super(scope, id, {
      entry: fileURLToPath(new URL(`../../functions/${props.task}/index.ts`, import.meta.url)),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: fileURLToPath(new URL('../../package-lock.json', import.meta.url)),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.X86_64,
      memorySize: profile.memorySize,
      timeout: profile.timeout,
      ephemeralStorageSize: Size.mebibytes(profile.ephemeralStorageMiB),
      tracing: lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup: new logs.LogGroup(scope, `${id}Logs`, {
        retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
      layers: profile.mediaLayer && props.mediaLayer ? [props.mediaLayer] : [],
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
        // The AWS SDK is bundled, not taken from the runtime, so the deployed version is the tested one.
        externalModules: profile.mediaLayer ? MEDIA_EXTERNALS : [],
      },
    });
    this.task = props.task;
    Tags.of(this).add(TASK_TAG, props.task);
  }

  /** Grants access to the tracker table and sets TABLE_NAME. */
  bindTable(table: dynamodb.ITable, access: Access): this {
    if (access === 'read') table.grantReadData(this);
    else table.grantReadWriteData(this);
    this.addEnvironment('TABLE_NAME', table.tableName);
    return this;
  }

  /** Grants access to the assets bucket and sets ASSETS_BUCKET. */
  bindBucket(bucket: s3.IBucket, access: Access): this {
    if (access === 'read') bucket.grantRead(this);
    else bucket.grantReadWrite(this);
    this.addEnvironment('ASSETS_BUCKET', bucket.bucketName);
    return this;
  }
}
