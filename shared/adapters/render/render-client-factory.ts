import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { rendererProfile, type RendererSettings } from '#domain/model/campaign';
import { BedrockRenderClient } from './bedrock-render-client.ts';
import { FalRenderClient } from './fal-render-client.ts';
import { HttpRenderClient } from './http-render-client.ts';
import { RenderConfigError } from '#ports/render-errors';
import type { RenderClientFactory } from '#ports/render-client';
import { ReplicateRenderClient } from './replicate-render-client.ts';
import { S3ObjectIo } from '#adapters/aws/s3-object-io';
import { SageMakerRenderClient } from './sagemaker-render-client.ts';

/** A request to an endpoint may take at most this long (a hung request is then retried): the poll interval, within 2-30 s. */
export const requestTimeoutMs = (settings: RendererSettings) => Math.min(30_000, Math.max(2_000, settings.pollSeconds * 1000));

/**
 * The default factory. Reads REPLICATE_API_TOKEN, FAL_KEY, ADLINE_RENDER_TOKEN and, for the AWS kinds,
 * ADLINE_RENDER_S3_PREFIX (s3://bucket/prefix for provider inputs and outputs) and AWS_REGION.
 */
export function renderClientFactory(env: Record<string, string | undefined>): RenderClientFactory {
  const need = (name: string, kind: string): string => {
    const value = env[name];
    if (!value) throw new RenderConfigError(`The ${kind} renderer needs ${name} in the environment.`);
    return value;
  };
  return (settings) => {
    const timeoutMs = requestTimeoutMs(settings);
    const profile = rendererProfile(settings);
    if (!profile && settings.kind !== 'procedural')
      throw new RenderConfigError(`The campaign's renderer.profile "${settings.profile}" is unknown: see docs/render-models.md.`);
    // renderer.model overrides the profile's provider model id (a Replicate version, a SageMaker endpoint name).
    const model = () => settings.model ?? profile!.model;
    switch (settings.kind) {
      case 'http':
        return new HttpRenderClient({ endpoint: settings.endpoint!, model: settings.model, token: env.ADLINE_RENDER_TOKEN, timeoutMs });
      case 'replicate':
        return new ReplicateRenderClient({
          endpoint: settings.endpoint!,
          model: model(),
          token: need('REPLICATE_API_TOKEN', 'replicate'),
          timeoutMs,
          deadlineSeconds: settings.timeoutSeconds,
          profile: profile!,
        });
      case 'fal':
        return new FalRenderClient({ endpoint: settings.endpoint!, model: model(), key: need('FAL_KEY', 'fal'), timeoutMs, profile: profile! });
      case 'bedrock':
      case 'sagemaker': {
        const prefix = need('ADLINE_RENDER_S3_PREFIX', settings.kind);
        const aws = { region: env.AWS_REGION, endpoint: settings.endpoint, maxAttempts: 1 };
        const objects = new S3ObjectIo(
          new S3Client({ region: env.AWS_REGION, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }),
        );
        return settings.kind === 'bedrock'
          ? new BedrockRenderClient({ client: new BedrockRuntimeClient(aws), model: model(), outputPrefix: `${prefix}/bedrock`, objects, profile: profile! })
          : new SageMakerRenderClient({
              client: new SageMakerRuntimeClient(aws),
              endpointName: model(),
              inputPrefix: `${prefix}/sagemaker-input`,
              objects,
              timeoutSeconds: settings.timeoutSeconds,
              profile: profile!,
            });
      }
      case 'procedural':
        throw new RenderConfigError('The procedural renderer runs in-process and has no RenderClient.');
    }
  };
}
