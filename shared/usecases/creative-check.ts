import type { ChannelSpec } from '#domain/channel-spec';
import type { CreativeReport, ShotPicture } from '#domain/creative-qc';
import type { Deps } from '#ports/deps';
import { checkCreative } from '#media/creative-qc';
import type { AssembledVariant, CreativeSummary } from './contracts.ts';
import { loadStoryboard, saveDocument } from './load-documents.ts';

/** The creative QC failed: the ad is not one a brand would run, so it is never published. */
export class CreativeQcError extends Error {
  override readonly name = 'CreativeQcError';
  readonly code = 'CREATIVE_QC';
}

/**
 * Runs the creative QC on an assembled video variant (layout facts from its plates, frames from the
 * output), stores the full report under creative/<variantHash>.json and returns its summary; throws
 * CreativeQcError, naming every failure, when a threshold fails.
 */
export async function creativeCheck(deps: Deps, variant: AssembledVariant, channel: ChannelSpec): Promise<CreativeSummary> {
  const storyboard = await loadStoryboard(deps.store, variant.storyboardKey);
  const pictures: ShotPicture[] = await Promise.all(storyboard.shots.map(async (shot) => {
    const render = await deps.tracker.getRender(shot.renderHash);
    const frame = render?.output?.kind === 'plate' ? render.output.frame : undefined;
    return { index: shot.index, ...(frame ? { frame } : {}) };
  }));
  const report = await checkCreative({ videoPath: await deps.store.localPath(variant.stagedVideo), storyboard, channel, pictures });
  const reportKey = `creative/${variant.variantHash}.json`;
  await saveDocument(deps.store, reportKey, report);
  const summary = summarize(report, reportKey);
  if (!report.ok) {
    throw new CreativeQcError(`The ${variant.channel} variant of ${variant.templateId} fails the creative QC (${report.failures.join('; ')}); the report is at ${reportKey}. Use a photo with the product clear of its edges, or a template with fewer text slots.`);
  }
  return summary;
}

function summarize(report: CreativeReport, reportKey: string): CreativeSummary {
  const figures: Record<string, number> = {};
  const shares = report.shots.map((s) => s.productShare).filter((v): v is number => v !== undefined);
  const flat = report.shots.map((s) => s.flatShare).filter((v): v is number => v !== undefined);
  const contrast = report.texts.map((t) => t.contrast).filter((v): v is number => v !== undefined);
  if (shares.length) figures.minProductShare = Math.min(...shares);
  if (flat.length) figures.maxFlatShare = Math.max(...flat);
  if (contrast.length) figures.minContrast = Math.min(...contrast);
  figures.maxTextOverProduct = Math.max(0, ...report.texts.map((t) => t.overProduct));
  return { ok: report.ok, reportKey, failures: report.failures.slice(0, 5), figures };
}
