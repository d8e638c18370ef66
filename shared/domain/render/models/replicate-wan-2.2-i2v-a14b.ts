import type { ModelProfileInput } from '#domain/render/model-profile';

/** Wan 2.2 A14B image-to-video on Replicate: 81–100 frames at 5–24 fps, 480p or 720p. */
export const profile: ModelProfileInput = {
  id: 'replicate-wan-2.2-i2v-a14b',
  name: 'Wan 2.2 A14B image-to-video on Replicate',
  provider: 'replicate',
  model: 'wan-video/wan-2.2-i2v-a14b',
  request: {
    fields: { prompt: 'prompt', image: 'image', length: 'num_frames', fps: 'frames_per_second', resolution: 'resolution', seed: 'seed' },
    length: { kind: 'frames', min: 81, max: 100, fps: { min: 5, max: 24, default: 16 } },
    resolutions: ['480p', '720p'],
    defaultResolution: '720p',
    promptMaxChars: 2000,
  },
  image: { fit: 'aspect', maxSide: 1280, format: 'jpeg', maxBytes: 10_000_000, transport: 'data-url' },
  output: { size: { kind: 'follow-image', shortSide: { '480p': 480, '720p': 720 } } },
  price: { unit: 'video-second', usdPerSecond: { '480p': 0.09, '720p': 0.25 }, countedAtFps: 16 },
  latencySeconds: 150,
  sources: [
    {
      figure:
        'image, prompt, num_frames 81–100 (81), resolution 480p (832×480 16:9, 480×832 9:16), frames_per_second 5–24 (16), seed; priced on duration at 16 fps',
      url: 'https://replicate.com/wan-video/wan-2.2-i2v-a14b/versions/9c49fe41d6b2a0e62199dc96bee4a9dd3565a4c563f9b80998358f14322c34f6/api',
    },
    { figure: 'price per second at 480p / 720p: read from the model page, not confirmed here', url: 'https://replicate.com/wan-video/wan-2.2-i2v-a14b' },
  ],
};
