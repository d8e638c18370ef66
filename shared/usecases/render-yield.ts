import type { RenderResult } from '#domain/model/render-job';
import type { RenderYield } from '#ports/workflow-payloads';

/** Yield through the quality gate, fallbacks, billed seconds and cost of a run's renders, per endpoint and template. */
export function renderYield(renders: RenderResult[]): RenderYield {
  const sentTo = (group: RenderResult[]) => group.filter((r) => r.endpoint !== undefined && r.endpoint !== 'procedural');
  /** Through the quality gate: over the shots sent to an endpoint (a group of procedural shots only yields 1). */
  const gate = (group: RenderResult[]) => {
    const sent = sentTo(group);
    const firstPass = sent.filter((r) => r.state === 'SUCCEEDED' && !r.fallback && r.attempts === 1).length;
    const final = sent.filter((r) => r.state === 'SUCCEEDED' && !r.fallback).length;
    return {
      firstPassYield: sent.length ? round(firstPass / sent.length) : 1,
      finalYield: sent.length ? round(final / sent.length) : 1,
      fallbacks: sent.filter((r) => r.fallback).length,
    };
  };
  const spend = (group: RenderResult[]) => ({
    shots: group.length,
    attempts: group.reduce((n, r) => n + r.attempts, 0),
    videoSeconds: round(group.reduce((n, r) => n + r.videoSeconds, 0)),
    costUsd: round(
      group.reduce((n, r) => n + r.costUsd, 0),
      6,
    ),
  });
  const by = (key: (r: RenderResult) => string) => {
    const groups = new Map<string, RenderResult[]>();
    for (const r of renders) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
    return Object.fromEntries([...groups].sort(([a], [b]) => a.localeCompare(b)).map(([k, g]) => [k, { ...spend(g), ...gate(g) }]));
  };
  const total = spend(renders);
  return {
    shots: sentTo(renders).length,
    ...gate(renders),
    budgetStops: renders.filter((r) => r.budgetStop).length,
    attempts: total.attempts,
    videoSeconds: total.videoSeconds,
    costUsd: total.costUsd,
    byEndpoint: by((r) => r.endpoint ?? r.renderer),
    byTemplate: by((r) => r.templateId ?? 'unknown'),
  };
}

const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;
