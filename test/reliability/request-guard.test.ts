import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunStarter } from '#ports/run-starter';
import { openLocalHost, type LocalHost } from '../../local/local-host.ts';
import { makeRequestGuard, truncateForLog } from '../../local/request-guard.ts';
import { startLocalServer, type LocalServer } from '../../local/server.ts';
import { testCampaign } from '../triggers/support.ts';

const CAMPAIGN_KEY = 'campaigns/guard.json';
/** The session token the server is started with: the guard's refusals below must not be the token's. */
const TOKEN = 'guard-test-token';
const CSV = 'sku,title,price,currency,images\nG-1,Guarded Mug,12.00,USD,https://cdn.example.com/g.jpg\n';

/** One request with exactly these headers (Host included), written by node:http without normalization. */
function raw(
  base: string,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; keepOpen?: boolean },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const headers = { 'x-adline-token': TOKEN, ...opts.headers };
    const req = request({ hostname, port, path: opts.path, method: opts.method ?? 'GET', headers, setHost: !opts.headers?.host }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    if (!opts.keepOpen) req.end();
  });
}

/**
 * DW3: `adline serve` against a browser turned against it. An auto-submitted cross-site
 * `<form enctype="text/plain">` sends Origin, Sec-Fetch-Site and text/plain; DNS rebinding sends the
 * attacker's Host name. Both are refused before any route runs; so are 5,000-character URLs (414), and
 * uploads beyond the in-flight bound (429 with Retry-After).
 */
describe('DW3: adline serve refuses cross-site and rebinding requests (raw HTTP)', () => {
  let root: string;
  let host: LocalHost;
  let server: LocalServer;
  let port: string;
  const starts: string[] = [];
  const log: string[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-guard-'));
    host = await openLocalHost({ outDir: join(root, 'out'), stateDir: join(root, 'state'), inMemoryTracker: true });
    await host.deps.store.putBytes(CAMPAIGN_KEY, testCampaign('guard', ['tiktok']), 'application/json');
    const starter: RunStarter = {
      async start(_input, name) {
        starts.push(name);
        return { executionId: `test:${name}`, started: true };
      },
    };
    server = await startLocalServer({
      host,
      starter,
      defaultCampaignKey: CAMPAIGN_KEY,
      shopify: { secrets: ['s'], campaignKeys: [CAMPAIGN_KEY], currency: 'USD' },
      maxUploadsInFlight: 1,
      token: TOKEN,
      log: (line) => log.push(line),
    });
    port = new URL(server.url).port;
  });
  afterAll(async () => {
    await server?.close();
    await host?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('a cross-site text/plain form upload gets 403 and starts nothing', async () => {
    const form = await raw(server.url, {
      method: 'POST',
      path: '/uploads?name=x.csv',
      body: CSV,
      headers: {
        host: `127.0.0.1:${port}`,
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
        'sec-fetch-mode': 'navigate',
        'content-type': 'text/plain',
      },
    });
    expect(form.status).toBe(403);
    expect(form.body).toMatch(/Cross-site POST refused/);
    // An older browser without Sec-Fetch-*: its Origin alone is enough to refuse.
    const originOnly = await raw(server.url, {
      method: 'POST',
      path: '/uploads?name=x.csv',
      body: CSV,
      headers: { host: `127.0.0.1:${port}`, origin: 'https://evil.example', 'content-type': 'text/plain' },
    });
    expect(originOnly.status).toBe(403);
    const nullOrigin = await raw(server.url, {
      method: 'POST',
      path: '/uploads?name=x.csv',
      body: CSV,
      headers: { host: `127.0.0.1:${port}`, origin: 'null', 'content-type': 'text/plain' },
    });
    expect(nullOrigin.status).toBe(403);
    expect(starts).toEqual([]);
    expect(await host.deps.store.list('uploads/')).toEqual([]);
  });

  it('a foreign Host header (DNS rebinding) gets no tracker, no gallery and no files', async () => {
    for (const path of ['/ads', '/', '/index.html', '/health']) {
      const res = await raw(server.url, { path, headers: { host: `rebind.evil.example:${port}` } });
      expect(res.status, path).toBe(421);
    }
    // The right name on the wrong port is foreign too; so is a missing Host.
    expect((await raw(server.url, { path: '/ads', headers: { host: '127.0.0.1:1' } })).status).toBe(421);
    for (const name of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      expect((await raw(server.url, { path: '/ads', headers: { host: name } })).status, name).toBe(200);
    }
  });

  it('a same-machine upload (curl: no Origin, no Sec-Fetch-Site) is parsed in a worker and starts its run', async () => {
    const res = await raw(server.url, {
      method: 'POST',
      path: '/uploads?name=ok.csv',
      body: CSV,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status, res.body).toBe(202);
    expect(JSON.parse(res.body)).toMatchObject({ outcome: 'started', accepted: 1 });
    expect(starts).toHaveLength(1);
    // A same-origin page of the server itself may post too.
    const same = await raw(server.url, {
      method: 'POST',
      path: '/uploads?name=ok2.csv',
      body: CSV,
      headers: { origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' },
    });
    expect(same.status).toBe(202);
    // A file that is not UTF-8 is refused with its report, from the worker as from the in-process parser.
    const latin1 = await raw(server.url, {
      method: 'POST',
      path: '/uploads?name=bad.csv',
      body: Buffer.from('sku,title,price,currency\nX,Caf\xe9,1,USD\n', 'latin1'),
    });
    expect(latin1.status).toBe(422);
  });

  it('uploads beyond the bound in flight get 429 with Retry-After; the slot frees afterwards', async () => {
    const { hostname } = new URL(server.url);
    const slow = request({
      hostname,
      port,
      method: 'POST',
      path: '/uploads?name=slow.csv',
      headers: { 'content-length': String(CSV.length), 'x-adline-token': TOKEN },
    });
    const slowDone = new Promise<number>((resolve) =>
      slow.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }),
    );
    slow.write(CSV.slice(0, 10));
    await new Promise((r) => setTimeout(r, 100));
    const busy = await raw(server.url, { method: 'POST', path: '/uploads?name=busy.csv', body: CSV });
    expect(busy.status).toBe(429);
    expect(busy.headers['retry-after']).toBe('5');
    slow.end(CSV.slice(10));
    expect(await slowDone).toBe(202);
    expect((await raw(server.url, { method: 'POST', path: '/uploads?name=after.csv', body: CSV })).status).toBe(202);
  });

  it('a 5,000-character URL gets 414; the log never carries it whole', async () => {
    const res = await raw(server.url, { path: `/${'a'.repeat(5000)}` });
    expect(res.status).toBe(414);
    expect(log.every((line) => line.length < 2500)).toBe(true);
    expect(truncateForLog('x'.repeat(5000))).toHaveLength(300 + '… (5000 chars)'.length);
  });

  it('signed webhooks are exempt from the Host check (a tunnel has its own name), never from their signature', async () => {
    const res = await raw(server.url, { method: 'POST', path: '/webhooks/shopify', body: '{}', headers: { host: 'my-tunnel.example.com' } });
    expect(res.status).toBe(401);
    const guard = makeRequestGuard({ port: 8787, boundAddress: '0.0.0.0', allowedHosts: ['studio.lan'] });
    const req = (hostHeader: string) => ({ url: '/ads', method: 'GET', headers: { host: hostHeader } }) as never;
    expect(guard.check(req('studio.lan:8787'))).toBeUndefined();
    expect(guard.check(req('[::1]:8787'))).toBeUndefined();
    expect(guard.check(req('0.0.0.0:8787'))?.status).toBe(421);
  });
});
