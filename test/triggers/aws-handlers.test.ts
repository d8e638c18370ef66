import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopifyHmac } from '#triggers/shopify-hmac';
import type { RunInput } from '#ports/workflow-payloads';
import type { TriggerDeps } from '#ports/trigger-deps';
import { makeHandler as eventsHandler } from '../../functions/shopify-events/handler.ts';
import { makeHandler as refreshHandler } from '../../functions/refresh/handler.ts';
import { makeHandler as webhookHandler } from '../../functions/shopify-webhook/handler.ts';
import { openLocalHost, type LocalHost } from '../../local/local-host.ts';
import { productBody, testCampaign } from './support.ts';

/** The Lambda handlers with local ports and a starter that records instead of running. */
describe('trigger handlers as Lambda sees them', () => {
  let root: string;
  let host: LocalHost;
  let deps: TriggerDeps;
  const started: Array<{ input: RunInput; name: string }> = [];
  const config = { secrets: ['s1'], campaignKeys: ['campaigns/aws.json'], currency: 'EUR' };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-aws-handlers-'));
    host = await openLocalHost({ outDir: join(root, 'out'), stateDir: join(root, 'state'), inMemoryTracker: true });
    await host.deps.store.putBytes('campaigns/aws.json', testCampaign('aws', ['tiktok']), 'application/json');
    deps = {
      store: host.deps.store,
      tracker: host.deps.tracker,
      now: () => new Date(),
      starter: {
        async start(input, name) {
          const dup = started.some((s) => s.name === name);
          started.push({ input, name });
          return { executionId: `arn:x:${name}`, started: !dup };
        },
      },
    };
  });
  afterAll(async () => {
    await host?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('Function URL: verifies the HMAC over the base64-decoded raw body, lower-case headers', async () => {
    const body = productBody({ id: '9223372036854775807' });
    const headers = {
      'x-shopify-topic': 'products/create',
      'x-shopify-webhook-id': 'fu-1',
      'x-shopify-shop-domain': 'aws-shop.myshopify.com',
      'x-shopify-hmac-sha256': shopifyHmac(Buffer.from(body), 's1'),
    };
    const handler = webhookHandler(deps, config);
    const ok = await handler({ body: Buffer.from(body).toString('base64'), isBase64Encoded: true, headers } as never);
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body!)).toMatchObject({ outcome: 'started' });
    expect(started[0].input).toMatchObject({
      campaignKey: 'campaigns/aws.json',
      catalogKey: expect.stringMatching(/^shopify\/aws-shop\.myshopify\.com\/9223372036854775807\//),
    });
    const catalog = JSON.parse((await host.deps.store.getBytes(started[0].input.catalogKey)).toString('utf8'));
    expect(catalog[0]).toMatchObject({ id: 'gid://shopify/Product/9223372036854775807', price: { currency: 'EUR' } });
    const bad = await handler({
      body,
      isBase64Encoded: false,
      headers: { ...headers, 'x-shopify-webhook-id': 'fu-2', 'x-shopify-hmac-sha256': shopifyHmac(Buffer.from(body), 'nope') },
    } as never);
    expect(bad.statusCode).toBe(401);
  });

  it('SQS: each record is a raw EventBridge event; a bad one does not stop the batch', async () => {
    const event = (id: string, webhookId: string) =>
      `{"detail-type":"shopifyWebhook","source":"aws.partner/shopify.com/1/a","detail":{"payload":${productBody({ id, title: `T ${id}` })},` +
      `"metadata":{"X-Shopify-Topic":"products/update",` +
      `"X-Shopify-Shop-Domain":"aws-shop.myshopify.com","X-Shopify-Webhook-Id":"${webhookId}"}}}`;
    const before = started.length;
    const result = await eventsHandler(
      deps,
      config,
    )({
      Records: [
        { messageId: 'm1', body: event('1234567890123456789', 'eb-1') },
        { messageId: 'm2', body: '{not json' },
      ],
    } as never);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);
    expect(started.length).toBe(before + 1);
  });

  it('Scheduler: the same tick always gives the same run id', async () => {
    const handler = refreshHandler(deps);
    const tick = { campaignId: 'aws', scheduledTime: '2026-05-01T06:00:00Z' };
    const first = await handler(tick);
    const second = await handler(tick);
    expect(first.runId).toBe('refresh-aws-20260501T060000Z');
    expect(second.runId).toBe(first.runId);
  });
});
