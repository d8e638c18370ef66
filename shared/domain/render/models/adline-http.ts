import type { ModelProfileInput } from '#domain/render/model-profile';

/** adline's own render protocol (docs/render-protocol.md): the server renders the asked size, length and 30 fps. */
export const profile: ModelProfileInput = {
  id: 'adline-http',
  name: "adline's http render protocol",
  provider: 'http',
  model: 'adline-reference',
  request: {
    fields: { prompt: 'prompt', image: 'image', length: 'duration', fps: 'fps', negativePrompt: 'negativePrompt', seed: 'seed' },
    length: { kind: 'as-asked', maxSeconds: 30 },
    promptMaxChars: 4000,
  },
  image: { fit: 'aspect', maxSide: 1920, format: 'jpeg', maxBytes: 20_000_000, transport: 'base64' },
  output: { size: { kind: 'as-asked' }, fps: 30 },
  price: { unit: 'video-second', usdPerSecond: { default: 0.01 } },
  latencySeconds: 5,
  sources: [
    { figure: 'request and job shapes', url: 'docs/render-protocol.md' },
    { figure: 'price: nominal self-hosted rate, an assumption, not a provider price', url: 'docs/render-models.md' },
  ],
};
