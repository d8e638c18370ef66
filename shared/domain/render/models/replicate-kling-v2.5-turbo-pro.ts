import type { ModelProfileInput } from '#domain/render/model-profile';

/** Kling 2.5 turbo pro on Replicate. */
export const profile: ModelProfileInput = {
  id: 'replicate-kling-v2.5-turbo-pro',
  name: 'Kling 2.5 turbo pro on Replicate',
  provider: 'replicate',
  model: 'kwaivgi/kling-v2.5-turbo-pro',
  request: {
    fields: { prompt: 'prompt', image: 'start_image', length: 'duration', negativePrompt: 'negative_prompt' },
    length: { kind: 'durations', seconds: [5, 10], as: 'number' },
    promptMaxChars: 2500,
    constants: {},
  },
  image: { fit: 'aspect', maxSide: 1920, format: 'jpeg', maxBytes: 10_000_000, transport: 'data-url' },
  output: { size: { kind: 'follow-image', shortSide: { '': 1080 } }, fps: 24 },
  price: { unit: 'video-second', usdPerSecond: { default: 0.07 } },
  latencySeconds: 120,
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
    { figure: 'fields (prompt, image, duration 5|10, negative_prompt)', url: 'https://replicate.com/kwaivgi/kling-v2.5-turbo-pro' },
    { figure: '1080p output at 24 fps, aspect follows the input image', url: 'https://replicate.com/kwaivgi/kling-v2.5-turbo-pro' },
    {
      figure: 'price: $0.07 per second of video — per-output price read from the model page, not confirmed here',
      url: 'https://replicate.com/kwaivgi/kling-v2.5-turbo-pro',
    },
  ],
};
