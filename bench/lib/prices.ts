/**
 * Published prices and quotas the cost and capacity model uses (us-east-1, on-demand, x86). Every figure
 * carries its source; [3P] marks a third-party page quoting the vendor where the vendor page renders its
 * rates client-side. Change a figure here and the bench recomputes results.json, RESULTS.md and docs/scaling.md.
 */
export interface Cited {
  value: number;
  unit: string;
  source: string;
}

const LAMBDA_PRICING = 'https://aws.amazon.com/lambda/pricing/ (rates as quoted by https://cloudchipr.com/blog/aws-lambda-pricing [3P])';

export const PRICES = {
  lambdaGbSecond: { value: 0.0000166667, unit: 'USD per GB-second (x86, first 6 billion GB-s a month)', source: LAMBDA_PRICING },
  lambdaRequest: { value: 0.2 / 1e6, unit: 'USD per request', source: LAMBDA_PRICING },
  lambdaEphemeralGbSecond: {
    value: 0.0000000309,
    unit: 'USD per GB-second of /tmp above 512 MB',
    source: 'https://aws.amazon.com/lambda/pricing/ (Lambda Ephemeral Storage Pricing; the rate as published in AWS price catalogs)',
  },
  sfnTransition: {
    value: 0.025 / 1000,
    unit: 'USD per state transition (Standard)',
    source: 'https://aws.amazon.com/step-functions/pricing/ via ../shared/reference/aws.md',
  },
  s3PutRequest: {
    value: 0.005 / 1000,
    unit: 'USD per PUT/COPY/POST/LIST request (S3 Standard)',
    source: 'https://aws.amazon.com/s3/pricing/ (as quoted by https://c3x.dev/blog/s3-request-fees-explained [3P])',
  },
  s3GetRequest: {
    value: 0.0004 / 1000,
    unit: 'USD per GET/HEAD request (S3 Standard)',
    source: 'https://aws.amazon.com/s3/pricing/ (as quoted by https://c3x.dev/blog/s3-request-fees-explained [3P])',
  },
  s3StorageGbMonth: {
    value: 0.023,
    unit: 'USD per GB-month (S3 Standard, first 50 TB)',
    source: 'https://aws.amazon.com/s3/pricing/ (as quoted by https://cloudburn.io/blog/amazon-s3-pricing [3P], March 2026)',
  },
  dynamoWriteUnit: {
    value: 0.625 / 1e6,
    unit: 'USD per write request unit (on-demand, after the Nov 2024 cut)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/ (as quoted by https://airbyte.com/data-engineering-resources/dynamodb-pricing [3P])',
  },
  dynamoReadUnit: {
    value: 0.125 / 1e6,
    unit: 'USD per read request unit (on-demand)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/ (as quoted by https://airbyte.com/data-engineering-resources/dynamodb-pricing [3P])',
  },
} as const satisfies Record<string, Cited>;

/** Quotas that can bind a large campaign; defaults of a fresh account unless the source says otherwise. */
export const QUOTAS = {
  lambdaConcurrency: {
    value: 1000,
    unit: 'concurrent executions per account and Region (default, raisable)',
    source:
      'https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html ; ' +
      'https://serverlessland.com/content/service/lambda/guides/aws-lambda-operator-guide/scaling-concurrency',
  },
  lambdaScalingRate: {
    value: 1000,
    unit: 'new execution environments per function every 10 s',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html',
  },
  lambdaMbPerVcpu: { value: 1769, unit: 'MB of configured memory per vCPU', source: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html' },
  distributedMapConcurrency: {
    value: 10000,
    unit: 'child executions in parallel per Distributed Map (MaxConcurrency ceiling)',
    source: '../shared/reference/aws.md (state-map-distributed)',
  },
  statePayloadBytes: { value: 262144, unit: 'bytes of input or output per state (256 KiB)', source: '../shared/reference/aws.md (step-functions limits)' },
  standardHistoryEvents: { value: 25000, unit: 'events per Standard execution history', source: '../shared/reference/aws.md' },
  dynamoPartitionWrites: {
    value: 1000,
    unit: 'write units per second per partition (table or GSI)',
    source:
      'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html ; ' +
      'GSI back-pressure: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/gsi-throttling.html',
  },
  s3PrefixPuts: {
    value: 3500,
    unit: 'PUT/COPY/POST/DELETE per second per partitioned prefix',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance.html',
  },
  replicateCreatesPerMinute: {
    value: 600,
    unit: 'prediction creates per minute (Replicate)',
    source: '../shared/reference/render-providers.md (replicate.com/docs/topics/predictions/rate-limits)',
  },
  runpodRunPer10s: {
    value: 1000,
    unit: '/run requests per 10 s per endpoint, 200 concurrent (RunPod)',
    source: '../shared/reference/render-providers.md (runpod send-requests docs)',
  },
  veoRequestsPerMinute: {
    value: 50,
    unit: 'requests per minute, production Veo models [3P]',
    source: '../shared/reference/peers.md (aifreeapi.com summary of Veo 3.1 limits)',
  },
} as const satisfies Record<string, Cited>;

/** Published peer prices for one 15-s 1080×1920 ad, from ../shared/reference/peers.md. */
export const PEERS = [
  {
    name: 'Shotstack (subscription)',
    usdPerRenderedMinute: 0.2,
    note: 'from $39/mo; PAYG $0.30/min',
    source: 'https://shotstack.io/pricing/ via ../shared/reference/peers.md',
  },
  {
    name: 'Shotstack (pay as you go)',
    usdPerRenderedMinute: 0.3,
    note: '+$75 setup',
    source: 'https://shotstack.io/pricing/ via ../shared/reference/peers.md',
  },
  {
    name: 'Remotion Lambda (compute only)',
    usdPerRenderedMinute: 0.017,
    note: 'warm, 2048 MB, 1-min video; S3 and licence extra',
    source: 'https://www.remotion.dev/docs/lambda/cost-example via ../shared/reference/peers.md',
  },
  {
    name: 'Remotion licence (Automators)',
    usdPerRender: 0.01,
    note: 'per render, minimum $100/month',
    source: 'https://www.remotion.dev/docs/license/pricing via ../shared/reference/peers.md',
  },
] as const;
