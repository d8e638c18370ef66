import type { QcFigures } from '#domain/model/render-job';
import { checkShot } from '#media/quality-check';

export interface ShotQcInput {
  clipPath: string;
  expected: { width: number; height: number; duration: number };
  /** The real product photo the shot must show (product fidelity). */
  reference?: Buffer;
  /** A static camera may legitimately hold still: no frozen-frame failure then. */
  expectMotion: boolean;
  /** Judge the clip as conformable to the shot (generative clips in a model's own shape) instead of exact size/length. */
  conform?: { shotSeconds: number };
}

/** The render gate: checkShot (blank, black/flash, frozen/flicker, size/duration, fidelity) on a returned clip, as the figures a render record keeps. */
export async function checkShotFigures(input: ShotQcInput): Promise<QcFigures> {
  const report = await checkShot({
    clipPath: input.clipPath,
    expected: input.expected,
    reference: input.reference,
    expectMotion: input.expectMotion,
    conform: input.conform,
  });
  const metrics = Object.fromEntries(Object.entries(report.metrics).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
  return { ok: report.ok, failures: report.failures, metrics };
}
