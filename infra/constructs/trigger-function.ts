import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { REPO_ROOT } from './adline-function.ts';

/** The trigger functions, each `functions/<name>/index.ts`; none needs the media layer. */
export const TRIGGER_NAMES = ['shopify-webhook', 'shopify-events', 'upload-ingest', 'refresh'] as const;
export type TriggerName = (typeof TRIGGER_NAMES)[number];

/** The CDK tag naming the trigger a function serves. */
export const TRIGGER_TAG = 'adline:trigger';

/** Lets a bundle written as ESM load the CommonJS packages esbuild leaves as `require` calls. */
const ESM_REQUIRE_BANNER = "import { createRequire as __adlineCreateRequire } from 'node:module'; const require = __adlineCreateRequire(import.meta.url);";

export interface TriggerFunctionProps {
  readonly trigger: TriggerName;
  readonly timeout?: Duration;
  readonly memorySize?: number;
  readonly logRetention?: logs.RetentionDays;
  readonly environment?: Record<string, string>;
}

/** A trigger function with adline's Lambda defaults (Node.js 22, ESM bundle with source maps, own log group, X-Ray). */
export class TriggerFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: TriggerFunctionProps) {
    super(scope, id, {
      entry: fileURLToPath(new URL(`../../functions/${props.trigger}/index.ts`, import.meta.url)),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: fileURLToPath(new URL('../../package-lock.json', import.meta.url)),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.X86_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup: new logs.LogGroup(scope, `${id}Logs`, { retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        keepNames: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        // Bundle the AWS SDK as the task functions do (CDK's default leaves @aws-sdk/* to the runtime's copy,
        // an untested version; the parity run found the trigger bundles importing packages they did not carry).
        externalModules: [],
      },
    });
    this.node.addMetadata(TRIGGER_TAG, props.trigger);
  }
}
