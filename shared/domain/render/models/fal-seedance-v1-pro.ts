import type { ModelProfileInput } from '#domain/render/model-profile';

/** Seedance 1.0 Pro image-to-video on fal: priced per video token. */
export const profile: ModelProfileInput = {
  id: 'fal-seedance-v1-pro',
  name: 'Seedance 1.0 Pro image-to-video on fal',
  provider: 'fal',
  model: 'fal-ai/bytedance/seedance/v1/pro/image-to-video',
  request: {
    fields: { prompt: 'prompt', image: 'image_url', length: 'duration', resolution: 'resolution', aspectRatio: 'aspect_ratio', seed: 'seed' },
    length: { kind: 'durations', seconds: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12], as: 'string' },
    resolutions: ['480p', '720p', '1080p'],
    defaultResolution: '720p',
    aspectRatios: ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16', 'auto'],
    promptMaxChars: 2000,
    seedMax: 2_147_483_646,
    constants: { camera_fixed: false },
  },
  image: { fit: 'aspect', maxSide: 1920, format: 'jpeg', maxBytes: 10_000_000, transport: 'data-url' },
  output: { size: { kind: 'follow-image', shortSide: { '480p': 480, '720p': 720, '1080p': 1080 } }, fps: 24 },
  price: { unit: 'video-token', usdPerMillionTokens: 2.5 },
  latencySeconds: 90,
  sources: [
    {
      figure: 'prompt, image_url, aspect_ratio (21:9…9:16, auto), resolution 480p/720p/1080p, duration, seed, camera_fixed',
      url: 'https://fal.ai/models/fal-ai/bytedance/seedance/v1/pro/image-to-video/llms.txt',
    },
    {
      figure: 'price: $2.5 per million video tokens, tokens = width × height × fps × seconds / 1024 (≈ $0.62 per 1080p 5 s)',
      url: 'https://fal.ai/models/fal-ai/bytedance/seedance/v1/pro/image-to-video/llms.txt',
    },
    {
      figure: 'durations 3–12 s at 24 fps (the 2–12 s range of Seedance 1.0 Pro clips); not confirmed on the fal page',
      url: 'https://vercel.com/ai-gateway/models/seedance-v1.0-pro/api',
    },
  ],
};
