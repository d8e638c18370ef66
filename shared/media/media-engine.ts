import type { MediaEngine } from '#ports/media-engine';
import { assembleVideo } from './assembly/assembler.ts';
import { renderBanner, validateBanner } from './banner.ts';
import { loadBrandFont } from './brand-font.ts';
import { checkCreative } from './creative-qc.ts';
import { checkShotFigures } from './shot-qc.ts';
import { inspectImage } from './inspect-image.ts';
import { prepareInputImage } from './input-image.ts';
import { analyzePhoto } from './photo-analysis.ts';
import { renderPlate } from './procedural-plate.ts';
import { toolchainId } from './toolchain-version.ts';
import { validateVideo } from './validate-output.ts';

/** The media engine both hosts give the use cases: the npm ffmpeg/ffprobe and sharp (binaries overridable by env). */
export const MEDIA_ENGINE: MediaEngine = {
  assembleVideo,
  renderBanner,
  validateBanner,
  validateVideo,
  renderPlate,
  inspectImage,
  analyzePhoto,
  prepareInputImage,
  loadBrandFont,
  checkCreative,
  checkShotFigures,
  toolchainId: () => toolchainId(),
};
