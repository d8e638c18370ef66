import { InvokeEndpointAsyncCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { z } from 'zod';
import type { ModelProfile } from '#domain/render/model-profile';
import { buildModelInput } from '#domain/render/profile-request';
import { classifyAwsError, RenderProviderError } from '#ports/render-errors';
import type { JobStatus, RenderClient, SubmitRequest } from '#ports/render-client';
import type { ObjectIo } from '#adapters/aws/s3-object-io';
import { MIME } from '#domain/model/content-types';

export interface SageMakerOptions {
  client: SageMakerRuntimeClient;
  /** The async endpoint's name. */
  endpointName: string;
  /** s3://bucket/prefix where adline writes request payloads (InputLocation). */
  inputPrefix: string;
  objects: ObjectIo;
  /** InvocationTimeoutSeconds (max 3600). */
  timeoutSeconds: number;
  /** The model profile of the container behind the endpoint (the request JSON is built from it). */
  profile: ModelProfile;
}

// SageMaker async has no status API: the job id carries where the output or the failure will appear.
const JobRef = z.object({ id: z.string(), out: z.string(), fail: z.string().optional() });

/** SageMaker asynchronous inference: InvokeEndpointAsync, then watch OutputLocation/FailureLocation in S3. */
export class SageMakerRenderClient implements RenderClient {
  readonly kind = 'sagemaker';

  constructor(private readonly options: SageMakerOptions) {}

  async submit(request: SubmitRequest): Promise<{ providerJobId: string }> {
    const { job, image } = request;
    const inputUri = `${this.options.inputPrefix.replace(/\/+$/, '')}/${request.idempotencyKey}.json`;
    await this.options.objects.put(inputUri, JSON.stringify(buildModelInput(this.options.profile, job, request.seed, image)), MIME.json);
    try {
      const out = await this.options.client.send(
        new InvokeEndpointAsyncCommand({
          EndpointName: this.options.endpointName,
          InputLocation: inputUri,
          ContentType: MIME.json,
          // Client-set InferenceId: a natural correlation id (SageMaker does not dedupe on it, the tracker does).
          InferenceId: request.idempotencyKey.slice(0, 64),
          InvocationTimeoutSeconds: Math.min(3600, this.options.timeoutSeconds),
        }),
      );
      if (!out.OutputLocation) throw new RenderProviderError('SageMaker accepted the request without an OutputLocation.');
      return { providerJobId: JSON.stringify({ id: out.InferenceId ?? request.idempotencyKey, out: out.OutputLocation, fail: out.FailureLocation }) };
    } catch (error) {
      throw classifyAwsError('sagemaker', error);
    }
  }

  async status(providerJobId: string): Promise<JobStatus> {
    const ref = JobRef.parse(JSON.parse(providerJobId));
    if (await this.options.objects.get(ref.out)) return { state: 'SUCCEEDED', outputUrl: ref.out };
    const failure = ref.fail ? await this.options.objects.get(ref.fail) : undefined;
    if (failure) return { state: 'FAILED', error: failure.toString('utf8').slice(0, 500) };
    return { state: 'RUNNING' };
  }

  /** Async inference has no cancel; InvocationTimeoutSeconds bounds a stuck request. */
  async cancel(): Promise<void> {}

  async fetchOutput(status: JobStatus): Promise<Buffer> {
    const bytes = status.outputUrl ? await this.options.objects.get(status.outputUrl) : undefined;
    if (!bytes) throw new RenderProviderError(`SageMaker output ${status.outputUrl ?? '(none)'} does not exist.`);
    return bytes;
  }
}
