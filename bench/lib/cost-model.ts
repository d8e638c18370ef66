import type { TaskName } from '#infra/workflow';
import { PEERS, PRICES, QUOTAS } from './prices.ts';
import { round } from './stats.ts';

export interface TaskSizing {
  memorySize: number;
  ephemeralStorageMiB: number;
}

/** What one published ad consumed in the measured local run (medians across samples). */
export interface PerAdUsage {
  /** Seconds inside each task's handler per published ad. */
  lambdaSeconds: Partial<Record<TaskName, number>>;
  invocations: Partial<Record<TaskName, number>>;
  transitions: number;
  s3: { put: number; get: number; head: number; list: number };
  dynamo: { wru: number; gsiWru: number; rru: number };
  /** Bytes kept in the bucket per ad (published files, staging copies, renders, documents). */
  storedBytes: number;
  /** Length of the ad in seconds. */
  adSeconds: number;
}

export interface CostLine {
  item: string;
  usdPer1000Ads: number;
  basis: string;
}

/**
 * Cost of 1,000 ads in AWS, excluding GPU renders: Lambda GB-seconds at each task's configured memory,
 * requests and extra /tmp; Step Functions transitions; S3 requests and one month of storage; DynamoDB units.
 * `cpuScale` stretches media-task durations for Lambda's smaller CPU share (1 = as measured locally).
 */
export function costPer1000Ads(
  usage: PerAdUsage,
  profiles: Record<TaskName, TaskSizing>,
  cpuScale: Partial<Record<TaskName, number>> = {},
): { lines: CostLine[]; total: number } {
  let gbSeconds = 0;
  let ephemeralGbSeconds = 0;
  let requests = 0;
  for (const [task, seconds] of Object.entries(usage.lambdaSeconds) as Array<[TaskName, number]>) {
    const profile = profiles[task];
    const s = seconds * (cpuScale[task] ?? 1);
    gbSeconds += s * (profile.memorySize / 1024);
    ephemeralGbSeconds += s * (Math.max(0, profile.ephemeralStorageMiB - 512) / 1024);
    requests += usage.invocations[task] ?? 0;
  }
  const k = 1000;
  const lines: CostLine[] = [
    { item: 'Lambda compute', usdPer1000Ads: k * gbSeconds * PRICES.lambdaGbSecond.value, basis: `${round(gbSeconds, 2)} GB-s per ad` },
    { item: 'Lambda requests', usdPer1000Ads: k * requests * PRICES.lambdaRequest.value, basis: `${round(requests, 2)} invocations per ad` },
    {
      item: 'Lambda /tmp above 512 MB',
      usdPer1000Ads: k * ephemeralGbSeconds * PRICES.lambdaEphemeralGbSecond.value,
      basis: `${round(ephemeralGbSeconds, 2)} GB-s per ad`,
    },
    {
      item: 'Step Functions transitions',
      usdPer1000Ads: k * usage.transitions * PRICES.sfnTransition.value,
      basis: `${round(usage.transitions, 2)} transitions per ad`,
    },
    {
      item: 'S3 PUT/LIST requests',
      usdPer1000Ads: k * (usage.s3.put + usage.s3.list) * PRICES.s3PutRequest.value,
      basis: `${round(usage.s3.put + usage.s3.list, 2)} per ad`,
    },
    {
      item: 'S3 GET/HEAD requests',
      usdPer1000Ads: k * (usage.s3.get + usage.s3.head) * PRICES.s3GetRequest.value,
      basis: `${round(usage.s3.get + usage.s3.head, 2)} per ad`,
    },
    {
      item: 'S3 storage, one month',
      usdPer1000Ads: k * (usage.storedBytes / 1e9) * PRICES.s3StorageGbMonth.value,
      basis: `${round(usage.storedBytes / 1e6, 2)} MB per ad`,
    },
    {
      item: 'DynamoDB writes (table + GSI)',
      usdPer1000Ads: k * (usage.dynamo.wru + usage.dynamo.gsiWru) * PRICES.dynamoWriteUnit.value,
      basis: `${round(usage.dynamo.wru + usage.dynamo.gsiWru, 2)} WRU per ad`,
    },
    { item: 'DynamoDB reads', usdPer1000Ads: k * usage.dynamo.rru * PRICES.dynamoReadUnit.value, basis: `${round(usage.dynamo.rru, 2)} RRU per ad` },
  ];
  const total = lines.reduce((sum, l) => sum + l.usdPer1000Ads, 0);
  return { lines: lines.map((l) => ({ ...l, usdPer1000Ads: round(l.usdPer1000Ads, 4) })), total: round(total, 4) };
}

/** How much longer a media task may take on Lambda than here: local cores it used over Lambda's vCPU share. */
export function lambdaCpuScale(localCores: number, profiles: Record<TaskName, TaskSizing>, mediaTasks: readonly TaskName[]): Partial<Record<TaskName, number>> {
  return Object.fromEntries(mediaTasks.map((task) => [task, round(Math.max(1, localCores / (profiles[task].memorySize / QUOTAS.lambdaMbPerVcpu.value)), 3)]));
}

/** Peer prices for 1,000 ads of `adSeconds` each, from ../shared/reference/peers.md. */
export function peerCostsPer1000Ads(adSeconds: number): Array<{ name: string; usdPer1000Ads: number; note: string; source: string }> {
  const minutes = (1000 * adSeconds) / 60;
  return PEERS.map((p) => ({
    name: p.name,
    usdPer1000Ads: round('usdPerRenderedMinute' in p ? minutes * p.usdPerRenderedMinute : 1000 * p.usdPerRender, 2),
    note: p.note,
    source: p.source,
  }));
}
