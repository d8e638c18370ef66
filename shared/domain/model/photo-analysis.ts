import { z } from 'zod';

/*
 * What adline knows about a product photo, measured once at ingest and cached by the image's hash:
 * its class (which decides how the product can be separated from its photo and which layouts fit),
 * where the product is, what the eye goes to, and its colours. The measuring is in #media/photo-analysis;
 * the decisions from the measured figures are here, pure.
 */

/** Bumped whenever the analysis gives another answer for the same photo: cached analyses are then redone. */
export const ANALYZER_VERSION = 'photo-analysis@1';

/**
 * `alpha`: the photo has its own transparency (a cut-out). `plain`: a flat backdrop of one colour.
 * `sweep`: a studio sweep or gradient backdrop, with a vignette and a soft floor shadow. `busy`: a
 * scene (a table, a room, a street) that keying cannot separate.
 */
export const PhotoClass = z.enum(['alpha', 'plain', 'sweep', 'busy']);
export type PhotoClass = z.infer<typeof PhotoClass>;

/** A rectangle as fractions of the photo's width and height. */
export const UnitBox = z.object({ x: z.number().min(0).max(1), y: z.number().min(0).max(1), w: z.number().positive().max(1), h: z.number().positive().max(1) });
export type UnitBox = z.infer<typeof UnitBox>;

const Hex = z.string().regex(/^#[0-9a-f]{6}$/);

export const PhotoAnalysis = z.object({
  schemaVersion: z.literal(1),
  analyzer: z.string(),
  /** sha256 of the photo's bytes. */
  imageHash: z.string(),
  /** Upright size of the photo in pixels (after EXIF rotation, before any scaling). */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  photoClass: PhotoClass,
  /** The product: its opaque pixels (alpha, plain, sweep) or, in a busy scene, the salient region. */
  productBox: UnitBox,
  /** Where the eye goes (sharp's attention strategy over the product): detail shots crop here. */
  salient: UnitBox,
  /** Dominant colours of the product, most common first. */
  colors: z.array(Hex).min(1).max(4),
  /** The backdrop's mean colour, for plain and sweep photos. */
  backdrop: Hex.optional(),
  /** The measured figures the class was decided from (kept so a wrong call can be explained). */
  figures: z.record(z.string(), z.number()),
});
export type PhotoAnalysis = z.infer<typeof PhotoAnalysis>;

/** Store key of a photo's analysis, beside the photo and named by the same content hash. */
export function analysisKey(imageKey: string): string {
  const name = imageKey.slice(imageKey.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '');
  return `analysis/${name}.json`;
}

/** The figures a class is decided from. */
export interface PhotoFigures {
  /** Share of pixels that are not opaque. */
  transparentShare: number;
  /** Luma spread (std dev, 0–255) of the border ring around the fitted smooth backdrop. */
  ringResidual: number;
  /** Luma range (max − min) of the fitted backdrop over the photo: 0 for a flat one, large for a vignette or gradient. */
  backdropRange: number;
  /** Share of the photo left opaque after keying the backdrop (the product and what is attached to it). */
  keptShare: number;
}

/** A cut-out needs at least this share of transparent pixels to count as one (a stray pixel does not). */
const ALPHA_SHARE = 0.01;
/** The ring around a studio shot is smooth: sensor noise and JPEG leave a few levels of spread. */
const SMOOTH_RING = 7;
/** Above this range the backdrop is a sweep or gradient, not flat. */
const FLAT_RANGE = 10;

/** Decides a photo's class from its measured figures (see PhotoClass). */
export function classifyPhoto(f: PhotoFigures): PhotoClass {
  if (f.transparentShare > ALPHA_SHARE) return 'alpha';
  // Keying that leaves (almost) nothing or (almost) everything found no product on a backdrop.
  const keyed = f.keptShare > 0.02 && f.keptShare < 0.8;
  if (f.ringResidual <= SMOOTH_RING && keyed) return f.backdropRange <= FLAT_RANGE ? 'plain' : 'sweep';
  return 'busy';
}

/** Whether the product can be lifted off its photo without a cut-out service. */
export function isIsolated(photoClass: PhotoClass): boolean {
  return photoClass !== 'busy';
}
