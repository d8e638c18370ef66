import type { ModelProfileInput } from '#domain/render/model-profile';

/** Luma Ray 2 on Bedrock (async invoke to S3): "5s" or "9s", 540p or 720p, an aspect ratio from a list. */
export const profile: ModelProfileInput = {
  id: 'bedrock-luma-ray-2',
  name: 'Luma Ray 2 on Bedrock',
  provider: 'bedrock',
  model: 'luma.ray-v2:0',
  request: {
    fields: { prompt: 'prompt', image: 'keyframes.frame0', length: 'duration', resolution: 'resolution', aspectRatio: 'aspect_ratio' },
    length: { kind: 'durations', seconds: [5, 9], as: 'seconds-suffix' },
    resolutions: ['540p', '720p'],
    defaultResolution: '720p',
    aspectRatios: ['1:1', '16:9', '9:16', '4:3', '3:4', '21:9', '9:21'],
    promptMaxChars: 5000,
    constants: { loop: false },
  },
  image: { fit: 'aspect', maxSide: 1280, format: 'jpeg', maxBytes: 10_000_000, transport: 'luma-keyframe' },
  output: { size: { kind: 'follow-image', shortSide: { '540p': 540, '720p': 720 } }, fps: 24 },
  price: { unit: 'video-second', usdPerSecond: { '540p': 0.75, '720p': 1.5 } },
  latencySeconds: 120,
  sources: [
    {
      figure:
        'modelId luma.ray-v2:0; prompt 1–5000 characters; aspect_ratio 1:1/16:9/9:16/4:3/3:4/21:9/9:21; duration "5s"|"9s"; resolution "540p"|"720p"; loop',
      url: 'https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-luma.html',
    },
    {
      figure: 'first-frame keyframe {type: image, url}: Luma API shape; whether Bedrock takes a data: URL is not confirmed',
      url: 'https://docs.lumalabs.ai/docs/video-generation',
    },
    {
      figure: 'price: $0.75 / $1.50 per second at 540p / 720p; from the Bedrock pricing page, not confirmed here',
      url: 'https://aws.amazon.com/bedrock/pricing/',
    },
  ],
};
