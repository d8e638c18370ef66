import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineHandler } from '#functions/commons/define-handler';
import { logger, redactLogValue, registerSecretsFromEnv, REDACTED } from '#functions/commons/logger';
import { publishTaskMetrics, taskMetrics } from '#functions/commons/metrics';
import type { Deps } from '#ports/deps';

const SHOP_SECRET = 'shpss_0123456789abcdef0123456789abcdef';
const BODY = JSON.stringify({ id: 1, title: 'Mug' });
const SIGNATURE = createHmac('sha256', SHOP_SECRET).update(BODY).digest('base64');

/** Captures everything the process writes to stdout and stderr while a test runs. */
function captureOutput() {
  const lines: string[] = [];
  const grab = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(grab as never);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(grab as never);
  return {
    lines,
    text: () => lines.join(''),
    restore: () => {
      out.mockRestore();
      err.mockRestore();
    },
  };
}

describe('observability: structured logs and metrics, never a secret', () => {
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    registerSecretsFromEnv({ SHOPIFY_WEBHOOK_SECRET: SHOP_SECRET });
    logger.setLogLevel('DEBUG');
    output = captureOutput();
  });
  afterEach(() => {
    output.restore();
    logger.setLogLevel('SILENT');
    vi.unstubAllEnvs();
  });

  const Input = z.object({ runId: z.string(), sku: z.string(), variant: z.object({ channel: z.string() }) });
  const deps = {} as Deps;

  it('logs one JSON line per task with execution id, run id, sku and channel', async () => {
    const handler = defineHandler(Input, async function assembleThing() {
      return { ok: true };
    })(deps);
    await handler({ runId: 'run-1', sku: 'MUG-1', variant: { channel: 'tiktok' } }, { awsRequestId: 'req-9' } as never, () => {});
    const lines = output.lines.filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'INFO',
      message: 'task succeeded',
      service: 'adline',
      task: 'assembleThing',
      executionId: 'run-1',
      runId: 'run-1',
      sku: 'MUG-1',
      channel: 'tiktok',
      requestId: 'req-9',
    });
    expect(typeof lines[0].durationMs).toBe('number');
  });

  it('never writes the Shopify secret or an X-Shopify-Hmac-Sha256 signature, even inside errors', async () => {
    // A careless use case: it logs the raw headers and throws an error that quotes the secret and the signature.
    const handler = defineHandler(z.object({ sku: z.string(), headers: z.record(z.string(), z.string()) }), async function verifyWebhook(_d, input) {
      logger.info('received webhook', { headers: input.headers, note: `computed ${SIGNATURE} with ${SHOP_SECRET}` });
      throw new Error(`HMAC mismatch: expected ${SIGNATURE}, secret ${SHOP_SECRET}`);
    })(deps);
    const event = {
      sku: 'MUG-1',
      headers: { 'X-Shopify-Hmac-Sha256': SIGNATURE, 'x-shopify-topic': 'products/update', authorization: `Bearer ${SHOP_SECRET}` },
    };
    await expect(handler(event, {} as never, () => {})).rejects.toThrow(/HMAC mismatch/);
    logger.warn(SHOP_SECRET);
    logger.debug('debug detail', { apiKey: 'k-1234567890', sig: SIGNATURE });
    const text = output.text();
    expect(text).toContain('received webhook');
    expect(text).toContain('task failed');
    expect(text).toContain('products/update'); // ordinary headers stay readable
    expect(text).not.toContain(SHOP_SECRET);
    expect(text).not.toContain(SIGNATURE);
    expect(text).not.toContain('k-1234567890');
    expect(text).toContain(REDACTED);
    for (const line of output.lines.filter((l) => l.trim())) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('redacts by key at any depth and keeps content hashes readable', () => {
    expect(redactLogValue('X-Shopify-Hmac-Sha256', 'abc')).toBe(REDACTED);
    expect(redactLogValue('clientSecret', { a: 1 })).toBe(REDACTED);
    const hash = 'a'.repeat(64);
    expect(redactLogValue('renderHash', hash)).toBe(hash);
  });

  it('turns task results into metrics: published, failed, render seconds, first-pass and final yield', () => {
    expect(taskMetrics({ published: 2 })).toEqual([{ name: 'Published', unit: 'Count', value: 2 }]);
    expect(taskMetrics({ failed: 3 })).toEqual([{ name: 'Failed', unit: 'Count', value: 3 }]);
    expect(taskMetrics({ renderHash: 'h', reused: false, renderSeconds: 1.5 })).toEqual([
      { name: 'RenderSeconds', unit: 'Seconds', value: 1.5 },
      { name: 'FirstPassYield', unit: 'Percent', value: 100 },
    ]);
    expect(taskMetrics({ renderHash: 'h', reused: false, renderSeconds: 4, attempts: 2 })[1].value).toBe(0);
    expect(taskMetrics({ renderHash: 'h', reused: true, renderSeconds: 0 })).toEqual([]);
    expect(taskMetrics({ runId: 'r', published: 3, failed: 1, failures: [{}] })).toEqual([{ name: 'FinalYield', unit: 'Percent', value: 75 }]);
  });

  it('publishes them as CloudWatch EMF when enabled', () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    publishTaskMetrics('publishProduct', taskMetrics({ published: 2 }));
    const emf = output.lines
      .map((l) => l.trim())
      .filter((l) => l.includes('_aws'))
      .map((l) => JSON.parse(l));
    expect(emf).toHaveLength(1);
    expect(emf[0]._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'adline', Metrics: [{ Name: 'Published', Unit: 'Count' }] });
    expect(emf[0]).toMatchObject({ Published: 2, task: 'publishProduct', service: 'adline' });
  });
});
