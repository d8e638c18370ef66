import { BedrockRuntimeClient, GetAsyncInvokeCommand, StartAsyncInvokeCommand } from '@aws-sdk/client-bedrock-runtime';
import type { ModelProfile } from '#domain/render/model-profile';
import { buildModelInput } from '#domain/render/profile-request';
import { classifyAwsError, RenderProviderError } from '#ports/render-errors';
import type { JobStatus, RenderClient, SubmitRequest } from '#ports/render-client';
import type { ObjectIo } from '#adapters/aws/s3-object-io';

export interface BedrockOptions {
  client: BedrockRuntimeClient;
  /** e.g. amazon.nova-reel-v1:1 */
  model: string;
  /** s3://bucket/prefix where Bedrock writes the videos. */
  outputPrefix: string;
  objects: ObjectIo;
  /** The model profile (Nova Reel, Luma Ray 2) the modelInput is built from. */
  profile: ModelProfile;
}

/**
 * Amazon Bedrock async video (StartAsyncInvoke / GetAsyncInvoke), the modelInput built from the model profile.
 * Bedrock is the one provider here with a documented idempotency token (clientRequestToken).
 */
export class BedrockRenderClient implements RenderClient {
  readonly kind = 'bedrock';

  constructor(private readonly options: BedrockOptions) {}

  async submit(request: SubmitRequest): Promise<{ providerJobId: string }> {
    const { job, image } = request;
    // Built from the profile: Nova Reel's taskType/textToVideoParams/videoGenerationConfig, Luma's prompt/duration/resolution.
    const modelInput = buildModelInput(this.options.profile, job, request.seed, image);
    try {
      const out = await this.options.client.send(
        new StartAsyncInvokeCommand({
          modelId: this.options.model,
          clientRequestToken: request.idempotencyKey.slice(0, 256),
          modelInput: modelInput as never,
          outputDataConfig: { s3OutputDataConfig: { s3Uri: `${this.options.outputPrefix.replace(/\/+$/, '')}/${job.renderHash}` } },
        }),
      );
      if (!out.invocationArn) throw new RenderProviderError('Bedrock accepted the invocation without an invocationArn.');
      return { providerJobId: out.invocationArn };
    } catch (error) {
      throw classifyAwsError('bedrock', error);
    }
  }

  async status(providerJobId: string): Promise<JobStatus> {
    let out;
    try {
      out = await this.options.client.send(new GetAsyncInvokeCommand({ invocationArn: providerJobId }));
    } catch (error) {
      throw classifyAwsError('bedrock', error);
    }
    if (out.status === 'Failed') return { state: 'FAILED', error: out.failureMessage ?? 'Bedrock reported Failed' };
    if (out.status !== 'Completed') return { state: 'RUNNING' };
    const s3Uri = out.outputDataConfig?.s3OutputDataConfig?.s3Uri;
    if (!s3Uri) return { state: 'FAILED', error: 'Bedrock completed without an output location' };
    // Nova Reel writes <s3Uri>/<invocation id>/output.mp4 (the id is the ARN's last segment).
    return { state: 'SUCCEEDED', outputUrl: `${s3Uri.replace(/\/+$/, '')}/${providerJobId.split('/').pop()}/output.mp4` };
  }

  /** Bedrock has no cancel for async invocations; a timed-out one is abandoned (and still billed). */
  async cancel(): Promise<void> {}

  async fetchOutput(status: JobStatus): Promise<Buffer> {
    const bytes = status.outputUrl ? await this.options.objects.get(status.outputUrl) : undefined;
    if (!bytes) throw new RenderProviderError(`Bedrock reported Completed but ${status.outputUrl ?? 'no output'} does not exist.`);
    return bytes;
  }
}
