import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { z } from 'zod';

/**
 * The generative render providers a stack may call, off by default (every campaign then renders
 * procedurally or through an http endpoint without a token). Set as the `renderProviders` stack prop,
 * or on the command line: `cdk deploy -c adline:renderProviders='{"fal":true,"bedrockModels":["amazon.nova-reel-v1:1"]}'`.
 */
export const RenderProviders = z
  .object({
    /** fal.ai: the stack creates a secret for FAL_KEY. */
    fal: z.boolean().optional(),
    /** Replicate: the stack creates a secret for REPLICATE_API_TOKEN. */
    replicate: z.boolean().optional(),
    /** adline's http protocol with a bearer token: the stack creates a secret for ADLINE_RENDER_TOKEN. */
    http: z.boolean().optional(),
    /** Bedrock model ids the render functions may start async invocations of (e.g. amazon.nova-reel-v1:1). */
    bedrockModels: z.array(z.string().regex(/^[a-z0-9.:-]+$/)).optional(),
    /** SageMaker async inference endpoint names the render functions may invoke. */
    sagemakerEndpoints: z.array(z.string().regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/)).optional(),
  })
  .strict();
export type RenderProviders = z.infer<typeof RenderProviders>;

/** The provider key each keyed provider reads (names from shared/adapters/render/render-client-factory.ts). */
export const PROVIDER_KEY_VARIABLES = { fal: 'FAL_KEY', replicate: 'REPLICATE_API_TOKEN', http: 'ADLINE_RENDER_TOKEN' } as const;

/** Where Bedrock and SageMaker async exchange inputs and outputs, under the assets bucket. */
export const RENDER_IO_PREFIX = 'render-io';

/** Reads `adline:renderProviders` from CDK context (a JSON string or object); absent: none. */
export function renderProvidersFromContext(value: unknown): RenderProviders {
  if (value === undefined || value === null || value === '') return {};
  const json: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  const parsed = RenderProviders.safeParse(json);
  if (!parsed.success)
    throw new Error(
      `adline:renderProviders is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}. ` +
        `Example: {"fal":true,"bedrockModels":["amazon.nova-reel-v1:1"]}`,
    );
  return parsed.data;
}

export interface RenderProviderAccessProps {
  readonly providers: RenderProviders;
  readonly bucket: s3.IBucket;
}

/**
 * What the enabled providers need, least privilege, for `AdlineFunction.bindRenderer` to give the render
 * functions (submit, poll, fallback: they call, poll and cancel provider jobs): one secret per keyed provider
 * (its ARN in `<KEY>_SECRET_ARN`, read once per container by functions/commons/render-secrets.ts), Bedrock
 * async invocation of the named models only, SageMaker InvokeEndpointAsync on the named endpoints only,
 * and ADLINE_RENDER_S3_PREFIX (s3://<assets>/render-io) for their inputs and outputs.
 */
export class RenderProviderAccess extends Construct {
  readonly secrets: Partial<Record<keyof typeof PROVIDER_KEY_VARIABLES, secretsmanager.Secret>> = {};
  /** The secret of each enabled keyed provider with the variable its key goes in, in PROVIDER_KEY_VARIABLES order. */
  readonly keySecrets: ReadonlyArray<{ readonly variable: string; readonly secret: secretsmanager.ISecret }> = [];
  /** s3://<assets>/render-io when Bedrock or SageMaker is enabled (they exchange inputs and outputs there). */
  readonly ioPrefix?: string;
  /** The Bedrock and SageMaker statements for each render function's role. */
  readonly statements: readonly iam.PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: RenderProviderAccessProps) {
    super(scope, id);
    const { providers, bucket } = props;
    const stack = Stack.of(this);
    const keySecrets: Array<{ variable: string; secret: secretsmanager.ISecret }> = [];
    for (const provider of Object.keys(PROVIDER_KEY_VARIABLES) as Array<keyof typeof PROVIDER_KEY_VARIABLES>) {
      if (!providers[provider]) continue;
      const variable = PROVIDER_KEY_VARIABLES[provider];
      const secret = new secretsmanager.Secret(this, `${provider}-key`, {
        description:
          `adline: the ${provider} API key (${variable}). ` + `Put it with: aws secretsmanager put-secret-value --secret-id <this ARN> --secret-string <key>.`,
      });
      this.secrets[provider] = secret;
      keySecrets.push({ variable, secret });
    }
    this.keySecrets = keySecrets;
    const bedrock = providers.bedrockModels ?? [];
    const sagemaker = providers.sagemakerEndpoints ?? [];
    if (bedrock.length === 0 && sagemaker.length === 0) return;
    this.ioPrefix = `s3://${bucket.bucketName}/${RENDER_IO_PREFIX}`;
    const statements: iam.PolicyStatement[] = [];
    if (bedrock.length > 0) {
      statements.push(
        new iam.PolicyStatement({
          actions: ['bedrock:StartAsyncInvoke', 'bedrock:InvokeModel'],
          resources: bedrock.map((model) =>
            Arn.format({ service: 'bedrock', account: '', resource: 'foundation-model', resourceName: model, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, stack),
          ),
        }),
      );
      // Invocation ARNs are made by Bedrock at StartAsyncInvoke; scoped to this account and region.
      statements.push(
        new iam.PolicyStatement({
          actions: ['bedrock:GetAsyncInvoke'],
          resources: [Arn.format({ service: 'bedrock', resource: 'async-invoke', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, stack)],
        }),
      );
    }
    if (sagemaker.length > 0) {
      statements.push(
        new iam.PolicyStatement({
          actions: ['sagemaker:InvokeEndpointAsync'],
          // SageMaker stores endpoint names lower-case in ARNs.
          resources: sagemaker.map((name) =>
            Arn.format({ service: 'sagemaker', resource: 'endpoint', resourceName: name.toLowerCase(), arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, stack),
          ),
        }),
      );
    }
    this.statements = statements;
  }
}
