import type { CameraMove } from '#domain/model/template';

/**
 * A plate is a still the assembler animates with its camera move; with `productPath` (an RGBA layer of
 * the product alone) a parallax move slides the product against the background plate.
 */
export type ShotSource =
  { kind: 'plate'; path: string; camera: CameraMove; productPath?: string } | { kind: 'clip'; path: string; media?: { duration: number; fps: number } };

export interface AssembleShot {
  index: number;
  source: ShotSource;
}
