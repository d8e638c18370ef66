import { CutoutError } from '#ports/cutout';
import type { CutoutProvider, CutoutResult } from '#ports/cutout';
import { MIME } from '#domain/model/content-types';

/** The package's name, kept in a variable so no bundler or type check ever resolves it: it is never a dependency. */
const PACKAGE = '@imgly/background-removal-node';

interface ImglyModule {
  removeBackground(input: Blob, config?: Record<string, unknown>): Promise<Blob>;
}

/**
 * Opt-in local cut-out with @imgly/background-removal-node (AGPL-3.0: adline never depends on it; it is
 * loaded only when the user installed it and set ADLINE_CUTOUT=imgly). About 10–16 s per 1024² photo on 2 cores.
 */
export class ImglyCutout implements CutoutProvider {
  readonly kind = 'imgly';
  private module?: Promise<ImglyModule>;

  constructor(private readonly load: (name: string) => Promise<unknown> = (name) => import(name)) {}

  /** Removes the background on this machine (the model runs in onnxruntime-node). */
  async cutout(photo: { bytes: Buffer; contentType: string }): Promise<CutoutResult> {
    this.module ??= this.load(PACKAGE)
      .then((m) => m as ImglyModule)
      .catch((error: unknown) => {
        throw new CutoutError(
          `ADLINE_CUTOUT=imgly needs ${PACKAGE}, which is not installed (it is AGPL-3.0, so adline does not ship it): ` +
            `see "Cut-out" in the README for the install recipe, or unset ADLINE_CUTOUT.`,
          { cause: error },
        );
      });
    const lib = await this.module;
    const blob = await lib.removeBackground(new Blob([new Uint8Array(photo.bytes)], { type: photo.contentType }), { output: { format: MIME.png } });
    return { png: Buffer.from(await blob.arrayBuffer()), model: PACKAGE, costUsd: 0 };
  }
}
