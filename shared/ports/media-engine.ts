/**
 * The media toolchain as the use cases see it: every encode, render, probe and image analysis they need,
 * so shared/usecases stays free of ffmpeg and sharp (the purity test checks it). One implementation,
 * shared/media/media-engine.ts, serves both hosts; tests may wrap it to count or fail calls.
 */
export interface MediaEngine {
  assembleVideo: typeof import('#media/assembly/assembler').assembleVideo;
  renderBanner: typeof import('#media/banner').renderBanner;
  validateBanner: typeof import('#media/banner').validateBanner;
  validateVideo: typeof import('#media/validate-output').validateVideo;
  renderPlate: typeof import('#media/procedural-plate').renderPlate;
  inspectImage: typeof import('#media/inspect-image').inspectImage;
  analyzePhoto: typeof import('#media/photo-analysis').analyzePhoto;
  prepareInputImage: typeof import('#media/input-image').prepareInputImage;
  loadBrandFont: typeof import('#media/brand-font').loadBrandFont;
  checkCreative: typeof import('#media/creative-qc').checkCreative;
  /** The render quality gate on one returned clip: checkShot's verdict as the figures a render record keeps. */
  checkShotFigures: typeof import('#media/shot-qc').checkShotFigures;
  /** The ffmpeg and sharp versions as one content hash (part of render and variant hashes). */
  toolchainId: () => Promise<string>;
}
