import type { ModelProfileInput } from '#domain/render/model-profile';

/** Kling 2.1 pro image-to-video on fal. */
export const profile: ModelProfileInput = {
  id: 'fal-kling-v2.1-pro',
  name: 'Kling 2.1 pro image-to-video on fal',
  provider: 'fal',
  model: 'fal-ai/kling-video/v2.1/pro/image-to-video',
  request: {
    fields: { prompt: 'prompt', image: 'image_url', length: 'duration', negativePrompt: 'negative_prompt' },
    length: { kind: 'durations', seconds: [5, 10], as: 'string' },
    promptMaxChars: 2500,
    constants: {},
  },
  image: { fit: 'aspect', maxSide: 1920, format: 'jpeg', maxBytes: 10_000_000, transport: 'data-url' },
  output: { size: { kind: 'follow-image', shortSide: { '': 1080 } }, fps: 24 },
  price: { unit: 'clip', baseUsd: 0.49, baseSeconds: 5, perExtraSecondUsd: 0.098 },
  latencySeconds: 300,
  cameraWords: {
    'push-in': 'slow dolly-in toward the product',
    'pull-out': 'slow dolly-out revealing the product',
    'pan-left': 'smooth camera pan to the left',
    'pan-right': 'smooth camera pan to the right',
    'tilt-up': 'slow camera tilt up',
    'tilt-down': 'slow camera tilt down',
    parallax: 'gentle parallax camera move',
    static: 'locked-off static camera',
  },
  sources: [
    { figure: 'fields (prompt, image, duration 5|10, negative_prompt)', url: 'https://fal.ai/models/fal-ai/kling-video/v2.1/pro/image-to-video' },
    { figure: '1080p output at 24 fps, aspect follows the input image', url: 'https://fal.ai/models/fal-ai/kling-video/v2.1/pro/image-to-video' },
    {
      figure: 'price: $0.49 per 5 s, +$0.098 per extra second; about 5 min per request',
      url: 'https://fal.ai/models/fal-ai/kling-video/v2.1/pro/image-to-video',
    },
  ],
};
