import type { ChannelSpec } from '#domain/model/channel-spec';
import { relayout, safeLayout } from '#domain/planning/creative-qc';
import type { CreativeReport, ShotPicture } from '#domain/planning/creative-qc';
import type { Storyboard } from '#domain/model/storyboard';
import type { Deps } from '#ports/deps';
import type { Tracker } from '#ports/tracker';
import type { CreativeSummary } from '#ports/workflow-payloads';
import { saveDocument } from './load-documents.ts';

/** The creative QC failed: the ad is not one a brand would run, so it is never published. */
export class CreativeQcError extends Error {
  override readonly name = 'CreativeQcError';
  readonly code = 'CREATIVE_QC';
}

/** What the creative QC needs: the store for its report, the render records for the plates' layout facts. */
export type QcDeps = Pick<Deps, 'store' | 'media'> & { tracker: Pick<Tracker, 'getRender'> };

/** The layout facts of every shot's plate, from the render records (none for clips and typographic shots). */
async function picturesOf(deps: QcDeps, storyboard: Storyboard): Promise<ShotPicture[]> {
  return Promise.all(
    storyboard.shots.map(async (shot) => {
      const render = await deps.tracker.getRender(shot.renderHash);
      const frame = render?.output?.kind === 'plate' ? render.output.frame : undefined;
      return { index: shot.index, ...(frame ? { frame } : {}) };
    }),
  );
}

/**
 * Encodes a video variant and runs the creative QC on the output, gating like the render QC: a failing
 * ad is laid out again (text moved inside the safe area and off the product, faint text boxed) and
 * re-encoded, then given the safe layout; if that fails too, CreativeQcError names every failure and the
 * ad is never published. The last report is stored under creative/<variantHash>.json.
 */
export async function encodeWithCreativeQc<T>(
  deps: QcDeps,
  opts: {
    variantHash: string;
    storyboard: Storyboard;
    channel: ChannelSpec;
    videoPath: string;
    label: string;
    encode: (storyboard: Storyboard) => Promise<T>;
  },
): Promise<{ encoded: T; creative: CreativeSummary }> {
  const { channel, videoPath } = opts;
  const pictures = await picturesOf(deps, opts.storyboard);
  const reportKey = `creative/${opts.variantHash}.json`;
  let storyboard = opts.storyboard;
  let encoded = await opts.encode(storyboard);
  let report = await deps.media.checkCreative({ videoPath, storyboard, channel, pictures });
  const tries: string[] = [];
  for (const next of [() => relayout(storyboard, channel, report), () => safeLayout(opts.storyboard, channel)]) {
    if (report.ok) break;
    const layout = next();
    if (!layout) continue;
    tries.push(report.failures.join('; '));
    storyboard = layout;
    encoded = await opts.encode(storyboard);
    report = await deps.media.checkCreative({ videoPath, storyboard, channel, pictures });
  }
  await saveDocument(deps.store, reportKey, { ...report, relayouts: tries.length, earlierFailures: tries });
  if (!report.ok) {
    throw new CreativeQcError(
      `The ${opts.label} fails the creative QC (${report.failures.join('; ')}), also after ${tries.length} re-layout(s); ` +
        `the report is at ${reportKey}. Use a photo with the product clear of its edges, or a template with fewer text slots.`,
    );
  }
  return { encoded, creative: { ...summarize(report, reportKey), ...(tries.length ? { relayouts: tries.length } : {}) } };
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
