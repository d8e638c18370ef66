import { fork } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { RunStarter } from '#ports/run-starter';
import { openLocalHost } from '../local/local-host.ts';
import { startLocalServer } from '../local/server.ts';

/**
 * npm run bench:uploads — upload load on `adline serve`: the server's RSS around six parallel 19 MiB
 * CSV uploads, and /health latency while one 19 MiB CSV is parsed. The server runs here (runs are not
 * executed: a counting starter), the client in a child process streaming the file from disk, so the
 * figures are the server's alone.
 */
const MIB = 1024 * 1024;

interface ClientResult {
  statuses: number[];
  healthMs: number[];
  uploadMs: number;
  healthErrors: number;
}

/** A 19 MiB catalog in adline's CSV format (about 50,000 products). */
async function writeCsv(path: string): Promise<void> {
  const lines = ['sku,title,description,price,currency,compare_at_price,brand,images,features,tags,category'];
  let size = lines[0].length;
  for (let i = 0; size < 19 * MIB; i++) {
    const line =
      `LOAD-${i},Load Test Product ${i},${'A sturdy everyday product with a long description. '.repeat(5)},${(10 + (i % 90)).toFixed(2)},` +
      `USD,,Northwind,https://cdn.example.com/p/${i}.jpg,Feature one|Feature two,tag-a|tag-b,Things`;
    lines.push(line);
    size += line.length + 1;
  }
  await writeFile(path, `${lines.join('\n')}\n`);
}

function upload(base: string, file: string, name: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    // Resolved on the status line: a refused upload (429) is answered while its body is still streaming, then dropped.
    const req = request({ hostname, port, method: 'POST', path: `/uploads?name=${name}`, headers: { 'content-type': 'text/csv' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(-1));
    createReadStream(file).pipe(req);
  });
}

/** Milliseconds for one /health answer; a reset connection (the server busy past its header timeout) counts as its wait. */
async function health(base: string): Promise<number> {
  const t0 = performance.now();
  try {
    await (await fetch(`${base}/health`)).arrayBuffer();
  } catch {
    healthErrors += 1;
  }
  return performance.now() - t0;
}
let healthErrors = 0;

/** The client (child process): `parallel` uploads at once, pinging /health every 50 ms meanwhile. */
async function client(base: string, file: string, parallel: number): Promise<ClientResult> {
  let done = false;
  const healthMs: number[] = [];
  const pinger = (async () => {
    while (!done) {
      healthMs.push(await health(base));
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const t0 = performance.now();
  const statuses = await Promise.all([...Array(parallel).keys()].map((i) => upload(base, file, `load-${i}.csv`)));
  const uploadMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 300));
  done = true;
  await pinger;
  return { statuses, healthMs, uploadMs, healthErrors };
}

const peakRss = async () => Number(/VmHWM:\s+(\d+)/.exec(await readFile('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;

async function scenario(file: string, parallel: number) {
  const root = await mkdtemp(join(tmpdir(), 'adline-bench-uploads-'));
  const host = await openLocalHost({ outDir: join(root, 'out'), stateDir: join(root, 'state'), inMemoryTracker: true });
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
  const starter: RunStarter = {
    async start(_input, name) {
      return { executionId: `bench:${name}`, started: true };
    },
  };
  const server = await startLocalServer({
    host,
    starter,
    defaultCampaignKey: 'campaigns/bench.json',
    shopify: { secrets: ['s'], campaignKeys: ['campaigns/bench.json'], currency: 'USD' },
  });
  global.gc?.();
  const rssBefore = process.memoryUsage().rss / MIB;
  let rssMax = rssBefore;
  const sampler = setInterval(() => {
    rssMax = Math.max(rssMax, process.memoryUsage().rss / MIB);
  }, 20);
  // The server's own event-loop stalls (its loop, not the client's view of it).
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  try {
    const result = await new Promise<ClientResult>((resolve, reject) => {
      const child = fork(fileURLToPath(import.meta.url), [], {
        env: { ...process.env, ADLINE_UPLOAD_CLIENT: JSON.stringify({ base: server.url, file, parallel }) },
      });
      child.once('message', (m) => resolve(m as ClientResult));
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`upload client exited with ${code}`)));
    });
    clearInterval(sampler);
    loop.disable();
    const sorted = [...result.healthMs].sort((a, b) => a - b);
    return {
      parallel,
      statuses: result.statuses,
      uploadSeconds: +(result.uploadMs / 1000).toFixed(2),
      rssBeforeMb: Math.round(rssBefore),
      rssPeakMb: Math.round(Math.max(rssMax, await peakRss())),
      healthMaxMs: Math.round(sorted.at(-1) ?? 0),
      healthErrors: result.healthErrors,
      loopDelayMaxMs: Math.round(loop.max / 1e6),
      healthP50Ms: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
      healthSamples: sorted.length,
    };
  } finally {
    clearInterval(sampler);
    await server.close();
    await server.idle();
    await host.close();
    await rm(root, { recursive: true, force: true });
  }
}

if (process.env.ADLINE_UPLOAD_CLIENT) {
  const { base, file, parallel } = JSON.parse(process.env.ADLINE_UPLOAD_CLIENT) as { base: string; file: string; parallel: number };
  process.send!(await client(base, file, parallel));
  process.exit(0);
} else {
  const dir = await mkdtemp(join(tmpdir(), 'adline-upload-csv-'));
  const file = join(dir, 'load.csv');
  await writeCsv(file);
  const which = process.argv[2] ?? 'both';
  const out: Record<string, unknown> = { csvMiB: +((await stat(file)).size / MIB).toFixed(1) };
  // Separate processes would give separate peaks; here the single-upload run goes first so its peak is its own.
  if (which !== 'parallel') out.single = await scenario(file, 1);
  if (which !== 'single') out.parallel = await scenario(file, 6);
  console.log(JSON.stringify(out, null, 2));
  await rm(dir, { recursive: true, force: true });
}
