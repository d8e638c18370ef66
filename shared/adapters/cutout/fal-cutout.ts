import { z } from 'zod';
import { dataUrl, httpBytes, httpJson, joinUrl } from '#adapters/render/http-json';
import { CutoutError } from '#ports/cutout';
import type { CutoutProvider, CutoutResult } from '#ports/cutout';

const Submitted = z.object({ request_id: z.string().min(1) }).loose();
const QueueStatus = z.object({ status: z.enum(['IN_QUEUE', 'IN_PROGRESS', 'COMPLETED']) }).loose();
const Result = z.object({ image: z.object({ url: z.string().min(1), content_type: z.string().optional() }).loose() }).loose();

export interface FalCutoutOptions {
  /** https://queue.fal.run, or a stand-in in tests. */
  endpoint: string;
  /** fal-ai/birefnet/v2 (the default) or fal-ai/birefnet. */
  model: string;
  key: string;
  timeoutMs: number;
  pollMs: number;
  /** What one cut-out costs, recorded with it (fal lists BiRefNet per compute second; set the figure you are billed). */
  priceUsd: number;
}

/**
 * fal's queue API for a BiRefNet background-removal model: submit {image_url, output_format: png,
 * refine_foreground}, poll the status, read {image: {url}} from the result and download the PNG.
 */
export class FalCutout implements CutoutProvider {
  readonly kind = 'fal';
  private readonly app: string;

  constructor(private readonly options: FalCutoutOptions) {
    const parts = options.model.split('/');
    if (parts.length < 2) throw new CutoutError(`fal model "${options.model}" is not "owner/app[/subpath]": set ADLINE_CUTOUT_MODEL, e.g. fal-ai/birefnet/v2.`);
    // Status and result paths leave out the model's subpath.
    this.app = parts.slice(0, 2).join('/');
  }

  /** Removes the background of one photo through fal's queue. */
  async cutout(photo: { bytes: Buffer; contentType: string }): Promise<CutoutResult> {
    const headers = { authorization: `Key ${this.options.key}` };
    const { timeoutMs } = this.options;
    const body = { image_url: dataUrl(photo), output_format: 'png', refine_foreground: true, operating_resolution: '1024x1024' };
    const submitted = Submitted.safeParse(
      (await httpJson('fal', { method: 'POST', url: joinUrl(this.options.endpoint, this.options.model), body, headers, timeoutMs })).json,
    );
    if (!submitted.success) throw new CutoutError('fal answered the cut-out submit without a request_id; check ADLINE_CUTOUT_MODEL.');
    const id = submitted.data.request_id;
    const base = joinUrl(this.options.endpoint, `${this.app}/requests/${encodeURIComponent(id)}`);
    const deadline = Date.now() + timeoutMs * 6;
    for (;;) {
      const status = QueueStatus.safeParse((await httpJson('fal', { method: 'GET', url: `${base}/status`, headers, timeoutMs })).json);
      if (!status.success) throw new CutoutError(`fal answered a cut-out status without a known status (request ${id}).`);
      if (status.data.status === 'COMPLETED') break;
      if (Date.now() > deadline) throw new CutoutError(`fal did not finish cut-out request ${id} in time; try again later or unset ADLINE_CUTOUT.`);
      await new Promise((r) => setTimeout(r, this.options.pollMs));
    }
    const result = Result.safeParse((await httpJson('fal', { method: 'GET', url: base, headers, timeoutMs })).json);
    if (!result.success) throw new CutoutError(`fal completed cut-out request ${id} without an image in the result.`);
    const png = await httpBytes('fal', result.data.image.url, timeoutMs * 2);
    return { png, model: this.options.model, costUsd: this.options.priceUsd, requestId: id };
  }
}
