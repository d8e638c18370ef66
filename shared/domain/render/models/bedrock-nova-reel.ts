import type { ModelProfileInput } from '#domain/render/model-profile';

/** Amazon Nova Reel on Bedrock (async invoke to S3): 1280×720, 24 fps, 6 s steps, an exactly 1280×720 input image. */
export const profile: ModelProfileInput = {
  id: 'bedrock-nova-reel',
  name: 'Amazon Nova Reel 1.1 on Bedrock',
  provider: 'bedrock',
  model: 'amazon.nova-reel-v1:1',
  request: {
    fields: {
      prompt: 'textToVideoParams.text',
      image: 'textToVideoParams.images',
      length: 'videoGenerationConfig.durationSeconds',
      fps: 'videoGenerationConfig.fps',
      resolution: 'videoGenerationConfig.dimension',
      seed: 'videoGenerationConfig.seed',
    },
    length: { kind: 'durations', seconds: [6], as: 'number' },
    resolutions: ['1280x720'],
    defaultResolution: '1280x720',
    promptMaxChars: 512,
    seedMax: 2_147_483_646,
    constants: { taskType: 'TEXT_VIDEO' },
  },
  image: { fit: 'exact', width: 1280, height: 720, format: 'png', maxBytes: 10_000_000, transport: 'nova-images' },
  output: { size: { kind: 'fixed', width: 1280, height: 720 }, fps: 24 },
  price: { unit: 'video-second', usdPerSecond: { default: 0.08 } },
  latencySeconds: 90,
  sources: [
    {
      figure: '1280×720 at 24 fps, 6 s steps up to 2 min; text ≤ 512 characters for a single shot; image is the first key frame',
      url: 'https://docs.aws.amazon.com/nova/latest/userguide/video-generation.html',
    },
    {
      figure: 'about 90 s per 6 s video; output.mp4 under a folder per invocation id',
      url: 'https://docs.aws.amazon.com/nova/latest/userguide/video-gen-access.html',
    },
    { figure: 'price: $0.08 per second of 720p video; from the Bedrock pricing page, not confirmed here', url: 'https://aws.amazon.com/bedrock/pricing/' },
  ],
};
