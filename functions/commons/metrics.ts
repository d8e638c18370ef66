import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { SERVICE_NAME } from './logger.ts';

/** The CloudWatch namespace of adline's metrics. */
export const METRICS_NAMESPACE = 'adline';

export interface MetricPoint {
  name: 'Published' | 'Failed' | 'RenderSeconds' | 'FirstPassYield' | 'FinalYield';
  unit: (typeof MetricUnit)[keyof typeof MetricUnit];
  value: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * The metrics a task's result carries, read from its shape so a renamed use case keeps its metrics.
 * Yields are emitted as 0–100 samples: CloudWatch's Average of the samples is the yield.
 */
export function taskMetrics(result: unknown): MetricPoint[] {
  if (!isRecord(result)) return [];
  if (Array.isArray(result.failures) && typeof result.published === 'number' && typeof result.failed === 'number') {
    const done = result.published + result.failed;
    return done > 0 ? [{ name: 'FinalYield', unit: MetricUnit.Percent, value: (100 * result.published) / done }] : [];
  }
  if (typeof result.renderSeconds === 'number') {
    if (result.reused === true) return [];
    // A render that needed a second seed or the fallback did not pass QC the first time.
    const attempts = typeof result.attempts === 'number' ? result.attempts : 1;
    const firstPass = result.firstPass === false || attempts > 1 || result.fallback === true ? 0 : 100;
    return [
      { name: 'RenderSeconds', unit: MetricUnit.Seconds, value: result.renderSeconds },
      { name: 'FirstPassYield', unit: MetricUnit.Percent, value: firstPass },
    ];
  }
  const points: MetricPoint[] = [];
  if (typeof result.published === 'number') points.push({ name: 'Published', unit: MetricUnit.Count, value: result.published });
  if (typeof result.failed === 'number') points.push({ name: 'Failed', unit: MetricUnit.Count, value: result.failed });
  return points;
}

/** Metrics go out as EMF in Lambda (or when POWERTOOLS_METRICS_DISABLED=false); the local CLI stays quiet. */
export function metricsEnabled(env: Record<string, string | undefined> = process.env): boolean {
  if (env.POWERTOOLS_METRICS_DISABLED !== undefined) return env.POWERTOOLS_METRICS_DISABLED.toLowerCase() === 'false';
  return !!env.AWS_LAMBDA_FUNCTION_NAME;
}

/** Publishes one task's metrics as one EMF line; a fresh Metrics per call keeps concurrent local executions apart. */
export function publishTaskMetrics(task: string, points: MetricPoint[]): void {
  if (points.length === 0 || !metricsEnabled()) return;
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME, defaultDimensions: { task } });
  for (const point of points) metrics.addMetric(point.name, point.unit, point.value);
  metrics.publishStoredMetrics();
}
