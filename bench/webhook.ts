/**
 * npm run bench:webhook — acknowledgement latency of the Shopify webhook on the local server.
 *
 * 500 signed deliveries over loopback to `startLocalServer` (the same handler as `adline serve`: HMAC,
 * delivery dedupe in dynalite on disk, watermark, catalog write to the file store, run start):
 * 400 new products (the full path), 50 duplicate deliveries, 50 inventory-only updates; 8 in flight,
 * like Shopify's parallel deliveries. Runs are recorded, not rendered, so the figures are the ack path
 * alone (renders are asynchronous by design). Bounded: a fixed request count and a 120 s deadline.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { shopifyHmac } from '#domain/shopify-hmac';
import type { RunStarter } from '#ports/run-starter';
import { openLocalHost } from '../local/local-host.ts';
import { startLocalServer } from '../local/server.ts';

const TOTAL = 500;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const DEADLINE_MS = 120_000;
const SECRET = 'bench-secret';
const TARGET_P99_MS = 200;

function body(n: number, inventory: number): string {
  const id = (9_007_199_254_740_993n + BigInt(n)).toString(); // above 2^53, parsed losslessly
  return `{"id":${id},"admin_graphql_api_id":"gid://shopify/Product/${id}","title":"Bench Product ${n}","body_html":"<p>Fast ack</p><ul><li>One</li></ul>",` +
    `"vendor":"Bench","product_type":"Things","handle":"bench-${n}","updated_at":"2026-04-0${inventory === 5 ? 1 : 2}T00:00:00Z","status":"active","tags":"a, b",` +
    `"variants":[{"id":${id}1,"sku":"B-${n}","price":"19.00","compare_at_price":"25.00","inventory_quantity":${inventory}}],"images":[{"id":${id}2,"src":"https://cdn.shopify.com/s/bench-${n}.jpg","position":1}]}`;
}

/** The deliveries, in send order: new products first, then duplicates and inventory-only updates interleaved. */
function deliveries(): Array<{ body: string; topic: string; webhookId: string; expect: string }> {
  const list = [];
  for (let n = 0; n < 400; n++) list.push({ body: body(n, 5), topic: 'products/create', webhookId: `create-${n}`, expect: 'started' });
  for (let n = 0; n < 50; n++) {
    list.push({ body: body(n, 5), topic: 'products/create', webhookId: `create-${n}`, expect: 'duplicate' });
    list.push({ body: body(n + 50, 0), topic: 'products/update', webhookId: `update-${n}`, expect: 'unchanged' });
  }
  return list;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'adline-bench-webhook-'));
  const host = await openLocalHost({ outDir: join(root, 'out'), stateDir: join(root, 'state') });
  await host.deps.store.putBytes('campaigns/bench.json', JSON.stringify({ schemaVersion: 1, id: 'bench', name: 'Bench', brand: { name: 'B', colors: { primary: '#111111', secondary: '#222222', text: '#333333', accent: '#444444' } }, templates: ['product-hero'], channels: ['tiktok'] }), 'application/json');
  let starts = 0;
  const starter: RunStarter = { async start(_input, name) { starts += 1; return { executionId: `bench:${name}`, started: true }; } };
  const server = await startLocalServer({ host, starter, defaultCampaignKey: 'campaigns/bench.json', shopify: { secrets: [SECRET, 'old-secret'], campaignKeys: ['campaigns/bench.json'], currency: 'USD' } });
  const deadline = Date.now() + DEADLINE_MS;
  const latencies: number[] = [];
  const wrong: string[] = [];
  const queue = deliveries();
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      for (let d = queue.shift(); d && Date.now() < deadline; d = queue.shift()) {
        const t0 = performance.now();
        const res = await fetch(`${server.url}/webhooks/shopify`, {
          method: 'POST', body: d.body,
          headers: { 'content-type': 'application/json', 'x-shopify-topic': d.topic, 'x-shopify-webhook-id': d.webhookId, 'x-shopify-shop-domain': 'bench.myshopify.com', 'x-shopify-hmac-sha256': shopifyHmac(Buffer.from(d.body), SECRET) },
        });
        const json = await res.json() as { outcome?: string };
        latencies.push(performance.now() - t0);
        if (res.status !== 200 || json.outcome !== d.expect) wrong.push(`${d.webhookId}: ${res.status} ${json.outcome} (expected ${d.expect})`);
      }
    }));
  } finally {
    await server.close();
    await host.close();
    await rm(root, { recursive: true, force: true });
  }
  const wall = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuMsPerAck = (cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length);
  const [load1] = loadavg();
  const sorted = [...latencies].sort((a, b) => a - b);
  const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
  process.stdout.write([
    `webhook ack on 127.0.0.1: ${latencies.length}/${TOTAL} signed deliveries, ${CONCURRENCY} in flight, ${wall.toFixed(1)} s (${(latencies.length / wall).toFixed(0)}/s)`,
    `  p50 ${fmt(percentile(sorted, 50))} · p95 ${fmt(percentile(sorted, 95))} · p99 ${fmt(percentile(sorted, 99))} · max ${fmt(sorted.at(-1) ?? 0)}  (target p99 < ${TARGET_P99_MS} ms)`,
    `  CPU per ack (server + dynalite + client, one process): ${cpuMsPerAck.toFixed(1)} ms · ${cpus().length} cores, load average ${load1.toFixed(1)} while measuring`,
    `  p99 target ${percentile(sorted, 99) < TARGET_P99_MS ? 'met' : 'NOT met'}`,
    `  runs started ${starts} (expected 400) · unexpected answers ${wrong.length}${wrong.length ? `: ${wrong.slice(0, 5).join('; ')}` : ''}`,
    '',
  ].join('\n'));
  // Wrong answers fail the script; a missed latency target is reported above (it depends on the machine's load).
  if (latencies.length < TOTAL || wrong.length > 0 || starts !== 400) process.exitCode = 1;
}

await main();
