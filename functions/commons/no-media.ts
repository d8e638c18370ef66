import type { MediaEngine } from '#ports/media-engine';

/** A media call in a function deployed without the media layer (sharp, ffmpeg, fonts). */
export class NoMediaLayerError extends Error {
  override readonly name = 'NoMediaLayerError';
  readonly code = 'NO_MEDIA_LAYER';
}

const refuse = (): Promise<never> =>
  Promise.reject(
    new NoMediaLayerError('This function has no media layer: give its task `mediaLayer: true` in TASK_PROFILES (infra/constructs/adline-function.ts).'),
  );

/**
 * The media port of functions without the layer (plan, publish, record-failure, summarize): their bundles
 * must not reference sharp or ffmpeg at all, so they get this engine, which refuses every call by name.
 */
export const NO_MEDIA: MediaEngine = {
  assembleVideo: refuse,
  renderBanner: refuse,
  validateBanner: refuse,
  validateVideo: refuse,
  renderPlate: refuse,
  inspectImage: refuse,
  analyzePhoto: refuse,
  prepareInputImage: refuse,
  loadBrandFont: refuse,
  checkCreative: refuse,
  checkShotFigures: refuse,
  toolchainId: refuse,
};
