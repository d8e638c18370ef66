import type { ModelProfileInput } from '#domain/render/model-profile';

/** Wan 2.2 A14B image-to-video on fal: a frame count at a frame rate, no duration field. */
export const profile: ModelProfileInput = {
  id: 'fal-wan-v2.2-a14b',
  name: 'Wan 2.2 A14B image-to-video on fal',
  provider: 'fal',
  model: 'fal-ai/wan/v2.2-a14b/image-to-video',
  request: {
    fields: {
      prompt: 'prompt',
      image: 'image_url',
      length: 'num_frames',
      fps: 'frames_per_second',
      resolution: 'resolution',
      aspectRatio: 'aspect_ratio',
      negativePrompt: 'negative_prompt',
      seed: 'seed',
    },
    length: { kind: 'frames', min: 17, max: 161, fps: { min: 4, max: 60, default: 16 } },
    resolutions: ['480p', '580p', '720p'],
    defaultResolution: '720p',
    aspectRatios: ['auto', '16:9', '9:16', '1:1'],
    promptMaxChars: 2000,
  },
  image: { fit: 'aspect', maxSide: 1280, format: 'jpeg', maxBytes: 10_000_000, transport: 'data-url' },
  output: {
    size: {
      kind: 'table',
      sizes: {
        '720p/9:16': [720, 1280],
        '720p/16:9': [1280, 720],
        '720p/1:1': [960, 960],
        '580p/9:16': [580, 1024],
        '580p/16:9': [1024, 580],
        '580p/1:1': [768, 768],
        '480p/9:16': [480, 832],
        '480p/16:9': [832, 480],
        '480p/1:1': [640, 640],
      },
    },
  },
  price: { unit: 'video-second', usdPerSecond: { '720p': 0.08, '580p': 0.06, '480p': 0.04 }, countedAtFps: 16 },
  latencySeconds: 120,
  sources: [
    {
      figure: 'num_frames 17–161 (default 81), frames_per_second 4–60 (default 16), resolution 480p/580p/720p, aspect_ratio auto/16:9/9:16/1:1, seed',
      url: 'https://fal.ai/models/fal-ai/wan/v2.2-a14b/image-to-video/llms.txt',
    },
    {
      figure: 'price: $0.08 / $0.06 / $0.04 per video second at 720p / 580p / 480p, seconds counted at 16 fps',
      url: 'https://fal.ai/models/fal-ai/wan/v2.2-a14b/image-to-video/llms.txt',
    },
    {
      figure: 'output sizes per resolution (832×480 at 480p 16:9)',
      url: 'https://replicate.com/wan-video/wan-2.2-i2v-a14b/versions/9c49fe41d6b2a0e62199dc96bee4a9dd3565a4c563f9b80998358f14322c34f6/api',
    },
  ],
};
