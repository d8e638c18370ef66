/**
 * npm run bench:webhook — acknowledgement latency of the Shopify webhook on the local server.
 *
 * 500 signed deliveries over loopback to `startLocalServer` (the same handler as `adline serve`: HMAC,
 * delivery dedupe in dynalite on disk, watermark, catalog write to the file store, run start):
 * 400 new products (the full path), 50 duplicate deliveries, 50 inventory-only updates; 8 in flight,
 * like Shopify's parallel deliveries. Runs are recorded, not rendered, so the figures are the ack path
 * alone (renders are asynchronous by design). The sender is a child process (Shopify sends from
 * elsewhere; in one process it would share the server's event loop). Side by side, the same sender
 * sends 500 GET /health to the same server: the loopback HTTP floor. 3 rounds, each on a fresh host;
 * medians with min and max; 50 warm-up deliveries per round are not measured. Bounded: a fixed request count and a 120 s deadline per round.
 */
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shopifyHmac } from '#triggers/shopify-hmac';
import type { RunStarter } from '#ports/run-starter';
import { openLocalHost } from '../local/local-host.ts';
import { startLocalServer } from '../local/server.ts';

const TOTAL = 500;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = 50;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const DEADLINE_MS = 120_000;
const SECRET = 'bench-secret';
const TARGET_P99_MS = 200;

function body(n: number, inventory: number): string {
  const id = (9_007_199_254_740_993n + BigInt(n)).toString(); // above 2^53, parsed losslessly
  return (
    `{"id":${id},"admin_graphql_api_id":"gid://shopify/Product/${id}","title":"Bench Product ${n}","body_html":"<p>Fast ack</p><ul><li>One</li></ul>",` +
    `"vendor":"Bench","product_type":"Things","handle":"bench-${n}",` +
    `"updated_at":"2026-04-0${inventory === 5 ? 1 : 2}T00:00:00Z","status":"active","tags":"a, b",` +
    `"variants":[{"id":${id}1,"sku":"B-${n}","price":"19.00","compare_at_price":"25.00","inventory_quantity":${inventory}}],` +
    `"images":[{"id":${id}2,"src":"https://cdn.shopify.com/s/bench-${n}.jpg","position":1}]}`
  );
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

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

type Delivery = ReturnType<typeof deliveries>[number];

/** Sends one signed delivery as Shopify does. */
const deliver = (url: string, d: Delivery) =>
  fetch(`${url}/webhooks/shopify`, {
    method: 'POST',
    body: d.body,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': d.topic,
      'x-shopify-webhook-id': d.webhookId,
      'x-shopify-shop-domain': 'bench.myshopify.com',
      'x-shopify-hmac-sha256': shopifyHmac(Buffer.from(d.body), SECRET),
    },
  });

interface SenderResult {
  acks: number[];
  floor: number[];
  wrong: string[];
  seconds: number;
}

/** The sender (a child process): the deliveries at CONCURRENCY in flight, then as many GET /health. */
async function send(url: string): Promise<SenderResult> {
  const deadline = Date.now() + DEADLINE_MS;
  const wrong: string[] = [];
  const pool = async <T>(items: T[], one: (item: T) => Promise<number>): Promise<number[]> => {
    const out: number[] = [];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let item = items.shift(); item !== undefined && Date.now() < deadline; item = items.shift()) out.push(await one(item));
      }),
    );
    return out;
  };
  // Warm-up, not measured: 50 deliveries of other products (JIT, connection pool, dynalite's first tables).
  await pool(
    Array.from({ length: WARMUP }, (_, n) => ({ body: body(10_000 + n, 5), topic: 'products/create', webhookId: `warm-${n}`, expect: 'started' })),
    async (d) => {
      await (await deliver(url, d)).arrayBuffer();
      return 0;
    },
  );
  const started = performance.now();
  const acks = await pool(deliveries(), async (d) => {
    const t0 = performance.now();
    const res = await deliver(url, d);
    const json = (await res.json()) as { outcome?: string };
    const ms = performance.now() - t0;
    if (res.status !== 200 || json.outcome !== d.expect) wrong.push(`${d.webhookId}: ${res.status} ${json.outcome} (expected ${d.expect})`);
    return ms;
  });
  const seconds = (performance.now() - started) / 1000;
  const floor = await pool(
    Array.from({ length: TOTAL }, (_, i) => i),
    async () => {
      const t0 = performance.now();
      const res = await fetch(`${url}/health`);
      await res.json();
      return performance.now() - t0;
    },
  );
  return { acks, floor, wrong, seconds };
}

/** One round: a fresh host and server in this process, the sender in a child. */
async function round(): Promise<SenderResult & { starts: number; serverCpuMsPerAck: number; load: number }> {
  const root = await mkdtemp(join(tmpdir(), 'adline-bench-webhook-'));
  const host = await openLocalHost({ outDir: join(root, 'out'), stateDir: join(root, 'state') });
  await host.deps.store.putBytes(
    'campaigns/bench.json',
    JSON.stringify({
      schemaVersion: 1,
      id: 'bench',
      name: 'Bench',
      brand: { name: 'B', colors: { primary: '#111111', secondary: '#222222', text: '#333333', accent: '#444444' } },
      templates: ['product-hero'],
      channels: ['tiktok'],
    }),
    'application/json',
  );
  let starts = 0;
  const starter: RunStarter = {
    async start(_input, name) {
      starts += 1;
      return { executionId: `bench:${name}`, started: true };
    },
  };
  const server = await startLocalServer({
    host,
    starter,
    defaultCampaignKey: 'campaigns/bench.json',
    shopify: { secrets: [SECRET, 'old-secret'], campaignKeys: ['campaigns/bench.json'], currency: 'USD' },
  });
  const cpu0 = process.cpuUsage();
  try {
    const result = await new Promise<SenderResult>((resolve, reject) => {
      const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, ADLINE_BENCH_SENDER: server.url } });
      child.once('message', (m) => resolve(m as SenderResult));
      child.once('error', reject);
      child.once('exit', (code) => code !== 0 && reject(new Error(`sender exited with ${code}`)));
    });
    const cpu = process.cpuUsage(cpu0);
    return { ...result, starts, serverCpuMsPerAck: (cpu.user + cpu.system) / 1000 / (result.acks.length + result.floor.length + WARMUP), load: loadavg()[0] };
  } finally {
    await server.close();
    await host.close();
    await rm(root, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const spreadText = (xs: number[]) => `${fmt(median(xs))} [${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}]`;

async function main(): Promise<void> {
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) {
    const r = await round();
    const acks = [...r.acks].sort((a, b) => a - b);
    const floor = [...r.floor].sort((a, b) => a - b);
    rounds.push({
      ...r,
      p50: percentile(acks, 50),
      p95: percentile(acks, 95),
      p99: percentile(acks, 99),
      max: acks.at(-1) ?? 0,
      floorP50: percentile(floor, 50),
      floorP99: percentile(floor, 99),
    });
    const last = rounds.at(-1)!;
    process.stdout.write(
      `round ${i + 1}: ${r.acks.length}/${TOTAL} acks in ${r.seconds.toFixed(1)} s · ` +
        `p50 ${fmt(last.p50)} · p95 ${fmt(last.p95)} · p99 ${fmt(last.p99)} · max ${fmt(last.max)} | ` +
        `GET /health p50 ${fmt(last.floorP50)} · p99 ${fmt(last.floorP99)} | load ${r.load.toFixed(1)}\n`,
    );
  }
  const p99s = rounds.map((r) => r.p99);
  const verdict = median(p99s) < TARGET_P99_MS ? 'MET' : 'NOT met';
  process.stdout.write(
    [
      '',
      `webhook ack on 127.0.0.1: ${TOTAL} signed deliveries per round (400 new products, 50 duplicates, 50 inventory-only), ` +
        `${CONCURRENCY} in flight, ${ROUNDS} rounds; ${cpus().length} cores`,
      `  ack p50 ${spreadText(rounds.map((r) => r.p50))} · p95 ${spreadText(rounds.map((r) => r.p95))} · ` +
        `p99 ${spreadText(p99s)}   (median [min–max] over rounds)`,
      `  loopback floor (GET /health, same server and sender): ` +
        `p50 ${spreadText(rounds.map((r) => r.floorP50))} · p99 ${spreadText(rounds.map((r) => r.floorP99))}`,
      `  server CPU per request (HTTP, HMAC, dynalite, file store): ${spreadText(rounds.map((r) => r.serverCpuMsPerAck))}`,
      `  target p99 < ${TARGET_P99_MS} ms → ${verdict}`,
      `  runs started per round ${rounds.map((r) => r.starts).join('/')} (expected ${400 + WARMUP}: 400 measured, ${WARMUP} warm-up) · ` +
        `unexpected answers ${rounds.reduce((n, r) => n + r.wrong.length, 0)}` +
        `${
          rounds.some((r) => r.wrong.length)
            ? `: ${rounds
                .flatMap((r) => r.wrong)
                .slice(0, 5)
                .join('; ')}`
            : ''
        }`,
      '',
    ].join('\n'),
  );
  // Wrong answers fail the script; a missed latency target is reported above (it depends on the machine's load).
  if (rounds.some((r) => r.acks.length < TOTAL || r.wrong.length > 0 || r.starts !== 400 + WARMUP)) process.exitCode = 1;
}

if (process.env.ADLINE_BENCH_SENDER) process.send!(await send(process.env.ADLINE_BENCH_SENDER));
else await main();
