import type { RendererSettings } from '#domain/model/campaign';
import { clipCost, type ModelProfile } from '#domain/render/model-profile';
import { findProfile } from '#domain/render/models/index';
import type { RenderJob } from '#domain/model/render-job';
import { attemptCost, billedVideoSeconds, PRICE_TABLE } from './price-table.ts';

export interface RenderQuote {
  renderer: string;
  jobs: number;
  /** Seconds of video the endpoint bills for one attempt per job (what the run records as videoSeconds). */
  renderSeconds: number;
  costUsd: number;
  /** The same figures if every shot needed all its attempts: the budget to plan for. */
  worstCaseUsd: number;
  budgetUsd?: number;
  source: string;
}

/** Expected render seconds and cost of a set of unique render jobs on a campaign's renderer, from the price table. */
export function quoteJobs(jobs: readonly RenderJob[], settings: RendererSettings): RenderQuote {
  const price = PRICE_TABLE[settings.kind];
  // Generative jobs carry their clip request: priced by their model profile's rule, as the run records them.
  const profile = (job: RenderJob) => (job.clip ? findProfile(job.clip.profile) : undefined);
  const renderSeconds = jobs.reduce((n, job) => n + (job.clip?.seconds ?? billedVideoSeconds(price, job.duration)), 0);
  const costUsd = jobs.reduce((n, job) => {
    const p = profile(job);
    return n + (p && job.clip ? clipCost(p, job.clip) : attemptCost(price, job.duration));
  }, 0);
  const first = jobs.map(profile).find(Boolean);
  return {
    renderer: first ? `${settings.kind} · ${first.id}` : settings.kind,
    jobs: jobs.length,
    renderSeconds: round(renderSeconds),
    costUsd: round(costUsd, 4),
    worstCaseUsd: round(costUsd * settings.maxAttempts, 4),
    budgetUsd: settings.budgetUsd,
    source: first ? (first.sources.find((s) => s.figure.startsWith('price'))?.url ?? first.sources[0].url) : price.source,
  };
}

/** One line for people, with a warning when the budget would not cover the quote. */
export function describeQuote(q: RenderQuote): string {
  const over =
    q.budgetUsd !== undefined && q.costUsd > q.budgetUsd
      ? `\n  warning: the quote exceeds renderer.budgetUsd ($${q.budgetUsd}); the run stops submitting when the budget is spent.`
      : '';
  return (
    `quote (${q.renderer}): ${q.jobs} render jobs · ${q.renderSeconds} render seconds · ` +
    `$${q.costUsd.toFixed(2)} expected, $${q.worstCaseUsd.toFixed(2)} if every shot needs all attempts` +
    `${q.budgetUsd !== undefined ? ` · budget $${q.budgetUsd}` : ''}\n` +
    `  prices: ${q.source}${over}\n`
  );
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

/** One model profile's price for a plan: the same jobs planned to that model (its clip lengths), one attempt each and all attempts. */
export interface ProfileQuote {
  profile: string;
  jobs: number;
  clipSeconds: number;
  expectedUsd: number;
  worstCaseUsd: number;
  source: string;
}

/** Prices jobs planned for a profile with its price rule (expected: one attempt per job; worst: maxAttempts each). */
export function quoteProfile(profile: ModelProfile, jobs: readonly RenderJob[], maxAttempts: number): ProfileQuote {
  const priced = jobs.filter((j) => j.clip);
  const expected = priced.reduce((n, j) => n + clipCost(profile, j.clip!), 0);
  return {
    profile: profile.id,
    jobs: priced.length,
    clipSeconds: round(priced.reduce((n, j) => n + j.clip!.seconds, 0)),
    expectedUsd: round(expected, 4),
    worstCaseUsd: round(expected * maxAttempts, 4),
    source: profile.sources.find((s) => s.figure.startsWith('price'))?.url ?? profile.sources[0].url,
  };
}

/** The per-profile quotes as a table for people. */
export function describeProfileQuotes(quotes: readonly ProfileQuote[], maxAttempts: number): string {
  const rows = quotes.map((q) => [q.profile, String(q.jobs), `${q.clipSeconds} s`, `$${q.expectedUsd.toFixed(2)}`, `$${q.worstCaseUsd.toFixed(2)}`, q.source]);
  const header = ['model profile', 'jobs', 'clip seconds', 'expected', `worst (${maxAttempts} attempts)`, 'price source'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return `${[header, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}
