import { request } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '#functions/commons/logger';
import { openLocalHost, type LocalHost } from '../../local/local-host.ts';
import { startLocalServer, type LocalServer } from '../../local/server.ts';
import { TINY_CHANNELS } from '../support/tiny-channels.ts';
import { postWebhook, productBody, testCampaign } from '../triggers/support.ts';
import { listKeys } from './invariants.ts';

const SECRET = 'shpss_reliability_0123456789abcdef';
const CAMPAIGN_KEY = 'campaigns/srv.json';
const SECRET_FILE_TEXT = 'TOP-SECRET-NEXT-TO-OUT';
const TOKEN = 'local-server-test-token';
const AUTH = { 'x-adline-token': TOKEN };

/** One raw HTTP request (path and headers byte for byte, optional chunked body); resolves with status and body. */
function raw(
  base: string,
  opts: { method?: string; path: string; headers?: Record<string, string>; chunks?: Buffer[]; keepOpen?: boolean },
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: opts.path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve({ status: 413, body: 'connection closed by the server' }) : reject(error),
    );
    for (const chunk of opts.chunks ?? []) req.write(chunk);
    if (!opts.keepOpen) req.end();
  });
}

describe('local server hardening (real HTTP on 127.0.0.1)', () => {
  let root: string;
  let host: LocalHost;
  let server: LocalServer;
  const serverLog: string[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-srv-'));
    await writeFile(join(root, 'secret.txt'), SECRET_FILE_TEXT);
    host = await openLocalHost({
      outDir: join(root, 'out'),
      stateDir: join(root, 'state'),
      inMemoryTracker: true,
      extraChannels: TINY_CHANNELS,
      imageFetch: { localMode: true },
    });
    await host.deps.store.putBytes(CAMPAIGN_KEY, testCampaign('srv', ['tiny-tiktok']), 'application/json');
    server = await startLocalServer({
      host,
      defaultCampaignKey: CAMPAIGN_KEY,
      shopify: { secrets: [SECRET], campaignKeys: [CAMPAIGN_KEY], currency: 'USD' },
      webhookBodyLimit: 64 * 1024,
      uploadBodyLimit: 256 * 1024,
      log: (line) => serverLog.push(line),
      token: TOKEN,
    });
  });
  afterAll(async () => {
    await server?.close();
    await server?.idle();
    await host?.close();
    await rm(root, { recursive: true, force: true });
  });

  const alive = async () => expect((await raw(server.url, { path: '/health' })).status).toBe(200);

  it('binds 127.0.0.1 by default', () => {
    expect(server.server.address()).toMatchObject({ address: '127.0.0.1' });
  });

  it.each([
    '/../secret.txt',
    '/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/..%2fsecret.txt',
    '/%252e%252e/secret.txt',
    '/..%5csecret.txt',
    '//secret.txt',
    '/%00',
    '/index.html%00.jpg',
    '/ads/%2e%2e/%2e%2e/%2e%2e/secret.txt',
    '/state/ddb/CURRENT',
    '/%c0%ae%c0%ae/secret.txt',
  ])('GET %s never leaves out/', async (path) => {
    const { status, body } = await raw(server.url, { path });
    expect([400, 404]).toContain(status);
    expect(body).not.toContain(SECRET_FILE_TEXT);
    await alive();
  });

  it('caps webhook bodies, declared or streamed without a length', async () => {
    const declared = await raw(server.url, {
      method: 'POST',
      path: '/webhooks/shopify',
      headers: { 'content-length': String(10 * 1024 * 1024), 'content-type': 'application/json' },
    });
    expect(declared.status).toBe(413);
    // Chunked: no Content-Length to trust; the server must count bytes itself.
    // A client that never ends its body gets its 413 at once and the connection dropped, rather than being drained for ever.
    const started = performance.now();
    const streamed = await raw(server.url, {
      method: 'POST',
      path: '/webhooks/shopify',
      headers: { 'transfer-encoding': 'chunked' },
      chunks: Array.from({ length: 40 }, () => Buffer.alloc(16 * 1024, 0x61)),
      keepOpen: true,
    });
    expect(streamed.status).toBe(413);
    expect(performance.now() - started).toBeLessThan(3000);
    await alive();
  });

  it('caps upload bodies', async () => {
    const big = await raw(server.url, {
      method: 'POST',
      path: '/uploads?name=big.csv',
      headers: { ...AUTH, 'transfer-encoding': 'chunked' },
      chunks: Array.from({ length: 20 }, () => Buffer.alloc(64 * 1024, 0x61)),
    });
    expect(big.status).toBe(413);
    await alive();
  });

  it.each([
    '../../escape.csv',
    '..%2F..%2Fescape.csv',
    '%2e%2e.csv',
    '..',
    '.csv',
    `${'a'.repeat(300)}.csv`,
    'nul%00byte.csv',
    'üñí©ødé.csv',
    'a/b/c.csv',
    'CON.csv',
    '-rf.csv',
    '.hidden.csv',
  ])('upload named %s stays inside out/uploads', async (name) => {
    const { status } = await raw(server.url, {
      method: 'POST',
      path: `/uploads?name=${name}`,
      headers: { ...AUTH, 'content-type': 'text/csv' },
      chunks: [Buffer.from('sku,title,price,currency,images\n')],
    });
    expect(status, name).toBeLessThan(500);
    await alive();
  });

  it('a campaign parameter cannot reach outside campaigns/', async () => {
    const { status, body } = await raw(server.url, {
      method: 'POST',
      path: '/uploads?name=a.csv&campaign=../../secret',
      headers: AUTH,
      chunks: [Buffer.from('sku\n')],
    });
    expect(status).toBe(404);
    expect(body).not.toContain(SECRET_FILE_TEXT);
  });

  it('nothing was written outside out/ and state/ by any of the requests above', async () => {
    const everything = await listKeys(root);
    const outside = everything.filter((key) => !key.startsWith('out/') && !key.startsWith('state/') && key !== 'secret.txt');
    expect(outside).toEqual([]);
    expect(everything.filter((key) => key.startsWith('out/uploads/')).every((key) => /^out\/uploads\/[^/]+\/[^/]+$/.test(key) || key.includes('/report'))).toBe(
      true,
    );
    expect(await readFile(join(root, 'secret.txt'), 'utf8')).toBe(SECRET_FILE_TEXT);
  });

  it('never logs the webhook secret or a signature, on any path', async () => {
    const output: string[] = [];
    const grab = (chunk: unknown) => {
      output.push(String(chunk));
      return true;
    };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(grab as never);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(grab as never);
    logger.setLogLevel('DEBUG');
    const body = productBody({ images: ['http://127.0.0.1:9/none.jpg'] });
    try {
      const signed = await postWebhook(server.url, { body, topic: 'products/create', webhookId: 'w-1', secret: SECRET });
      const forged = await postWebhook(server.url, { body, topic: 'products/create', webhookId: 'w-2', hmac: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' });
      const garbage = await postWebhook(server.url, { body: '{"id": 1', topic: 'products/update', webhookId: 'w-3', secret: SECRET });
      expect(signed.status).toBeLessThan(300);
      expect(forged.status).toBe(401);
      expect(garbage.status).toBeGreaterThanOrEqual(400);
      await server.idle();
    } finally {
      logger.setLogLevel('SILENT');
      out.mockRestore();
      err.mockRestore();
    }
    const { shopifyHmac } = await import('#triggers/shopify-hmac');
    const text = [...output, ...serverLog].join('\n');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(shopifyHmac(Buffer.from(body), SECRET));
    const ads = JSON.stringify(await host.deps.tracker.listAds());
    expect(ads).not.toContain(SECRET);
  });
});
