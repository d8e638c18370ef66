import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsAssetStore } from '#adapters/local/fs-asset-store';
import { SfnRunStarter } from '#adapters/aws/sfn-run-starter';
import { CAP_SHARE, executionLoad, HISTORY_CAP, PAYLOAD_CAP } from '#domain/planning/execution-budget';
import type { CatalogItem } from '#domain/model/product';
import type { RunInput } from '#ports/workflow-payloads';
import { campaignShape } from '#triggers/part-size';
import { startCatalog } from '#triggers/start-catalog';
import type { TriggerDeps } from '#ports/trigger-deps';
import { loadTemplateDir } from '#adapters/local/template-dir';
import { startStepFunctions } from '../../scripts/parity/step-functions.ts';
import { makeS3Client } from '#adapters/aws/s3-asset-store';

const FANOUT_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:UploadFanOut';
const WORKFLOW_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:Workflow';
let root: string;
let store: FsAssetStore;

/** A generative campaign as marketing would run it: two templates, four channels over three families, Kling-like polling. */
const CAMPAIGN = {
  schemaVersion: 1,
  id: 'big',
  name: 'Big',
  brand: { name: 'B', colors: { primary: '#203040', secondary: '#6080a0', text: '#101010', accent: '#ffcc33' } },
  templates: ['product-hero', 'feature-tour'],
  channels: ['tiktok', 'reels', 'feed-4x5', 'youtube-16x9'],
  locale: 'en-US',
  cta: 'Buy now',
  renderer: { kind: 'http', endpoint: 'https://render.example.com', pollSeconds: 15, timeoutSeconds: 600, maxAttempts: 2, concurrency: 4 },
};
const items: CatalogItem[] = Array.from(
  { length: 10_000 },
  (_, i) =>
    ({
      sku: `SKU-${String(i).padStart(6, '0')}-LONG-VARIANT-NAME`,
      title: `Product ${i}`,
      images: [`https://cdn.shopify.com/p/${i}.jpg`],
      price: { amount: 10 + (i % 90), currency: 'USD' },
    }) as CatalogItem,
);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'adline-10k-'));
  store = new FsAssetStore(root);
  await store.putBytes('campaigns/big.json', JSON.stringify(CAMPAIGN));
  // The templates the stack deploys to the bucket (the part size reads their shot counts).
  for (const t of (await loadTemplateDir('templates')).values()) await store.putBytes(`templates/${t.id}.json`, await readFile(`templates/${t.id}.json`));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('a 10,000-product upload', () => {
  it('is planned into parts whose largest execution stays within 80 % of the history and payload caps, polling included', async () => {
    const started: RunInput[] = [];
    const deps: TriggerDeps = {
      store,
      tracker: undefined as never,
      now: () => new Date(0),
      starter: {
        start: async (input) => {
          started.push(input);
          return { executionId: input.runId, started: true };
        },
      },
    };
    const out = await startCatalog(deps, { runId: 'upload-10k', campaignKey: 'campaigns/big.json', catalogKey: 'uploads/upload-10k/catalog.csv', items });
    const parts = JSON.parse((await store.getBytes(out.partsKey!)).toString()) as RunInput[];
    const sizes = await Promise.all(parts.map(async (p) => (await store.getBytes(p.catalogKey)).toString().trim().split('\n').length));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10_000); // every product is in exactly one part
    const shape = await campaignShape(store, CAMPAIGN as never, items);
    const largest = executionLoad(shape, Math.max(...sizes));
    expect(largest.events).toBeLessThanOrEqual(HISTORY_CAP * CAP_SHARE);
    expect(largest.bytes).toBeLessThanOrEqual(PAYLOAD_CAP * CAP_SHARE);
    // The bound is not vacuous: one more product per part would cross 80 % of a cap.
    const over = executionLoad(shape, Math.max(...sizes) + 1);
    expect(over.events > HISTORY_CAP * CAP_SHARE || over.bytes > PAYLOAD_CAP * CAP_SHARE).toBe(true);
    // Names: deterministic, unique, within Step Functions' 80 characters and alphabet.
    expect(new Set(parts.map((p) => p.runId)).size).toBe(parts.length);
    for (const p of parts) expect(p.runId).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    console.log(
      `10,000 products (${shape.variants} variants, ${shape.renderJobs} render jobs, ` +
        `${CAMPAIGN.renderer.timeoutSeconds / CAMPAIGN.renderer.pollSeconds} polls per attempt): ` +
        `${parts.length} parts of ≤ ${Math.max(...sizes)}; largest ${largest.events} events (${((100 * largest.events) / HISTORY_CAP).toFixed(1)} %), ` +
        `${largest.bytes} bytes (${((100 * largest.bytes) / PAYLOAD_CAP).toFixed(1)} %)`,
    );
  });

  it('a re-delivered upload starts nothing twice: same part names, and the fan-out execution deduplicates on its name', async () => {
    const some = items.slice(0, 40); // the names do not depend on the size; 40 products already make 40 parts here
    const sfn = await startStepFunctions({
      machines: new Map([
        [FANOUT_ARN, { StartAt: 'Done', States: { Done: { Type: 'Wait', Seconds: 1, End: true } } }],
        [WORKFLOW_ARN, { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }],
      ]),
      invoke: async () => null,
      s3: makeS3Client({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1' }),
    });
    const client = new SFNClient({ endpoint: sfn.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    try {
      const deps: TriggerDeps = {
        store,
        tracker: undefined as never,
        now: () => new Date(0),
        starter: new SfnRunStarter({ client, stateMachineArn: WORKFLOW_ARN }),
        fanOut: new SfnRunStarter({ client, stateMachineArn: FANOUT_ARN }),
      };
      const first = await startCatalog(deps, {
        runId: 'upload-again',
        campaignKey: 'campaigns/big.json',
        catalogKey: 'uploads/upload-again/catalog.csv',
        items: some,
      });
      const partsBefore = (await store.getBytes(first.partsKey!)).toString();
      const second = await startCatalog(deps, {
        runId: 'upload-again',
        campaignKey: 'campaigns/big.json',
        catalogKey: 'uploads/upload-again/catalog.csv',
        items: some,
      });
      expect(first.runs.map((r) => r.started)).toEqual([true]);
      // While the first is open, AWS answers the same name and input with success and the same execution (nothing new starts).
      expect(second.runs.map((r) => r.executionId)).toEqual(first.runs.map((r) => r.executionId));
      expect((await store.getBytes(second.partsKey!)).toString()).toBe(partsBefore);
      expect(sfn.executions.size).toBe(1);
      await sfn.settle();
      // Once closed, the name still starts nothing (ExecutionAlreadyExists counts as started before).
      const third = await startCatalog(deps, {
        runId: 'upload-again',
        campaignKey: 'campaigns/big.json',
        catalogKey: 'uploads/upload-again/catalog.csv',
        items: some,
      });
      expect(third.runs.map((r) => r.started)).toEqual([false]);
      expect(sfn.executions.size).toBe(1);
    } finally {
      client.destroy();
      await sfn.close();
    }
  });
});
