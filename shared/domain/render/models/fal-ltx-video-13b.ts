import type { ModelProfileInput } from '#domain/render/model-profile';

/** LTX-Video 0.9.x (13B distilled) image-to-video on fal: 8n+1 frames at 30 fps, 1216×704 class sizes. */
export const profile: ModelProfileInput = {
  id: 'fal-ltx-video-13b',
  name: 'LTX-Video 13B distilled image-to-video on fal',
  provider: 'fal',
  model: 'fal-ai/ltx-video-13b-distilled/image-to-video',
  request: {
    fields: {
      prompt: 'prompt',
      image: 'image_url',
      length: 'num_frames',
      fps: 'frame_rate',
      resolution: 'resolution',
      aspectRatio: 'aspect_ratio',
      negativePrompt: 'negative_prompt',
      seed: 'seed',
    },
    length: { kind: 'frames', min: 9, max: 161, step: 8, offset: 1, fps: { min: 24, max: 30, default: 30 } },
    resolutions: ['480p', '720p'],
    defaultResolution: '720p',
    aspectRatios: ['9:16', '1:1', '16:9', 'auto'],
    promptMaxChars: 2000,
  },
  image: { fit: 'aspect', maxSide: 1216, format: 'jpeg', maxBytes: 10_000_000, transport: 'data-url' },
  output: {
    size: {
      kind: 'table',
      sizes: {
        '720p/9:16': [704, 1216],
        '720p/16:9': [1216, 704],
        '720p/1:1': [960, 960],
        '480p/9:16': [480, 832],
        '480p/16:9': [832, 480],
        '480p/1:1': [640, 640],
      },
    },
  },
  price: { unit: 'video-second', usdPerSecond: { default: 0.04 } },
  latencySeconds: 30,
  sources: [
    { figure: '30 fps at 1216×704; frame counts 8n+1; width/height multiples of 32', url: 'https://huggingface.co/Lightricks/LTX-Video' },
    {
      figure: 'fal request fields (num_frames, frame_rate, resolution, aspect_ratio, negative_prompt, seed)',
      url: 'https://docs.rs/crate/fal/latest/source/src/endpoints/fal_ai/ltx_video/mod.rs',
    },
    {
      figure: 'price: about $0.04 per video second; assumption from fal LTX pricing, not confirmed for this endpoint',
      url: 'https://fal.ai/learn/devs/ltx-video-2-pro-image-to-video-developer-guide',
    },
  ],
};
