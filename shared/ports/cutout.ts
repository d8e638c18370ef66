/**
 * Background removal for photos the keyer cannot separate (busy scenes): a hosted model (fal BiRefNet)
 * or an opt-in local library. Absent: busy photos are laid out full-bleed or over a blurred fill.
 */
export interface CutoutProvider {
  /** `fal`, `imgly`, …: recorded with every cut-out. */
  readonly kind: string;
  /** The photo with its background transparent, as PNG bytes, and what it cost. */
  cutout(photo: { bytes: Buffer; contentType: string }): Promise<CutoutResult>;
}

export interface CutoutResult {
  png: Buffer;
  model: string;
  costUsd: number;
  /** The provider's request id, where it has one. */
  requestId?: string;
}

export class CutoutError extends Error {
  override readonly name = 'CutoutError';
  readonly code = 'CUTOUT_FAILED';
}
