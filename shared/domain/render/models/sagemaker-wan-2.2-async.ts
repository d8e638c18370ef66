import type { ModelProfileInput } from '#domain/render/model-profile';

/**
 * A self-hosted Wan 2.2 container behind SageMaker asynchronous inference. The request is adline's JSON
 * (written to S3, InputLocation); the container answers an MP4 at OutputLocation. Billed as instance time.
 */
export const profile: ModelProfileInput = {
  id: 'sagemaker-wan-2.2-async',
  name: 'Self-hosted Wan 2.2 on SageMaker async inference',
  provider: 'sagemaker',
  model: 'adline-wan22-i2v',
  request: {
    fields: { prompt: 'prompt', image: 'image', length: 'num_frames', fps: 'fps', resolution: 'resolution', negativePrompt: 'negative_prompt', seed: 'seed' },
    length: { kind: 'frames', min: 17, max: 161, step: 4, offset: 1, fps: { min: 8, max: 24, default: 16 } },
    resolutions: ['480p', '720p'],
    defaultResolution: '720p',
    promptMaxChars: 2000,
  },
  image: { fit: 'aspect', maxSide: 1280, format: 'jpeg', maxBytes: 5_000_000, transport: 'base64' },
  output: { size: { kind: 'follow-image', shortSide: { '480p': 480, '720p': 720 } } },
  price: { unit: 'gpu-second', usdPerSecond: 0.000631, gpuSecondsPerVideoSecond: 60 },
  latencySeconds: 400,
  sources: [
    {
      figure: 'payload up to 1 GB via S3 InputLocation, processing up to 1 h, scale to zero; no per-request fee',
      url: 'https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference.html',
    },
    { figure: 'Wan 2.2 A14B: 81 frames at 16 fps for 5 s; frame counts 4n+1', url: 'https://huggingface.co/Wan-AI/Wan2.2-T2V-A14B-Diffusers/discussions/6' },
    {
      figure: 'price: ml.g6e.xlarge-class instance ≈ $2.27/h and 60 GPU-s per video-s: assumptions, set per deployment',
      url: 'https://aws.amazon.com/sagemaker/pricing/',
    },
  ],
};
