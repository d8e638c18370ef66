import type { RendererSettings } from '#domain/campaign';
import type { RenderJob } from '#domain/render-job';
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
  const renderSeconds = jobs.reduce((n, job) => n + billedVideoSeconds(price, job.duration), 0);
  const costUsd = jobs.reduce((n, job) => n + attemptCost(price, job.duration), 0);
  return {
    renderer: settings.kind, jobs: jobs.length, renderSeconds: round(renderSeconds), costUsd: round(costUsd, 4),
    worstCaseUsd: round(costUsd * settings.maxAttempts, 4), budgetUsd: settings.budgetUsd, source: price.source,
  };
}

/** One line for people, with a warning when the budget would not cover the quote. */
export function describeQuote(q: RenderQuote): string {
  const over = q.budgetUsd !== undefined && q.costUsd > q.budgetUsd
    ? `\n  warning: the quote exceeds renderer.budgetUsd ($${q.budgetUsd}); the run stops submitting when the budget is spent.` : '';
  return `quote (${q.renderer}): ${q.jobs} render jobs · ${q.renderSeconds} render seconds · ` +
    `$${q.costUsd.toFixed(2)} expected, $${q.worstCaseUsd.toFixed(2)} if every shot needs all attempts` +
    `${q.budgetUsd !== undefined ? ` · budget $${q.budgetUsd}` : ''}\n` +
    `  prices: ${q.source}${over}\n`;
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;
