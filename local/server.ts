import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CATALOG_LIMITS, catalogFormatOf } from '#domain/catalog/catalog-parser';
import { campaignFileKeyOf, uploadFileKey } from '#domain/model/asset-keys';
import { contentTypeOf, MIME } from '#domain/model/content-types';
import { AssetNotFoundError, assertSafeKey } from '#ports/asset-store';
import type { RunInput } from '#ports/workflow-payloads';
import type { RunStarter, StartedRun } from '#ports/run-starter';
import { ingestUpload } from '#triggers/ingest-upload';
import { receiveShopifyWebhook, type ShopifyConfig } from '#triggers/shopify-delivery';
import type { TriggerDeps } from '#ports/trigger-deps';
import type { LocalHost } from './local-host.ts';
import { newRunId } from './local-run.ts';
import { OffLoopParser } from './off-loop-parser.ts';
import { makeRequestGuard, truncateForLog, type RequestGuard } from './request-guard.ts';
import { handleReview } from './review/review-routes.ts';
import { hasSessionToken, needsSessionToken, newSessionToken, TOKEN_REFUSED } from './session-token.ts';

export interface LocalServerOptions {
  host: LocalHost;
  shopify: ShopifyConfig;
  /** The campaign an upload renders for when the request names none (`?campaign=<id>`). */
  defaultCampaignKey: string;
  /** Default 127.0.0.1: the server is for this machine only. */
  hostname?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Webhook bodies above this are refused with 413 (Shopify payloads stay under 1 MB). */
  webhookBodyLimit?: number;
  /** Upload bodies above this are refused with 413. Default: the catalog parser's byte limit. */
  uploadBodyLimit?: number;
  /** Called with every run the server started, once it has finished (or failed). */
  onRunSettled?: (executionId: string, error?: unknown) => void;
  /** Starts runs instead of the LocalHost (npm run bench:webhook measures the acknowledgement alone with it). */
  starter?: RunStarter;
  log?: (line: string) => void;
  /** Host names served besides loopback and the bound address (see local/request-guard.ts). */
  allowedHosts?: string[];
  /** Uploads received and parsed at once; more get 429 with Retry-After. Default 2. */
  maxUploadsInFlight?: number;
  /** The session token every state-changing request must carry (default: a fresh random one). */
  token?: string;
}

export interface LocalServer {
  url: string;
  /** The session token (print it for the user; send it as X-Adline-Token). */
  token: string;
  server: Server;
  /** Resolves when every run started so far has settled (tests and `serve` shutdown wait on it). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/**
 * The local server: the same trigger use cases as the AWS functions (Shopify webhook, uploads) on the
 * local host's file store, dynalite tracker and in-process engine; runs go on in the background.
 * Also serves the tracker (GET /ads), a health check and the gallery with the files under out/.
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const { host } = options;
  const log = options.log ?? (() => {});
  const pending = new Set<Promise<unknown>>();
  // Starting is the LocalHost's; the server only keeps track of the background run so errors are reported, never unhandled.
  const starter: RunStarter = options.starter ?? {
    async start(input: RunInput, name: string): Promise<StartedRun> {
      const started = await host.start(input, name);
      if (started.started) {
        const settled = host
          .execution(started.executionId)
          .result.then(
            () => options.onRunSettled?.(started.executionId),
            (error: unknown) => {
              log(`run ${started.executionId} failed: ${(error as Error).message}`);
              options.onRunSettled?.(started.executionId, error);
            },
          )
          .finally(() => pending.delete(settled));
        pending.add(settled);
      }
      return started;
    },
  };
  // Feed links point at this server; its URL is known once it listens (set below).
  const feedUrls: { baseUrl?: string } = {};
  const deps: TriggerDeps = { store: host.deps.store, tracker: host.deps.tracker, starter, now: host.deps.now, feedUrls };
  const token = options.token ?? newSessionToken();

  const routes = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (needsSessionToken(req.method, url.pathname) && !hasSessionToken(req.headers, token)) throw new HttpError(403, TOKEN_REFUSED);
    if (url.pathname === '/review' || url.pathname.startsWith('/review/')) return handleReview({ deps, token, log }, req, res, url);
    if (req.method === 'POST' && url.pathname === '/webhooks/shopify') {
      const rawBody = await readBody(req, options.webhookBodyLimit ?? 2 * 1024 * 1024);
      const result = await receiveShopifyWebhook(deps, options.shopify, { rawBody, headers: req.headers });
      return sendJson(res, result.status, result.body);
    }
    if (req.method === 'POST' && url.pathname === '/uploads') {
      const name = shortName((url.searchParams.get('name') ?? headerOf(req, 'x-filename') ?? '').replace(/[^A-Za-z0-9._-]/g, '_'));
      try {
        catalogFormatOf(name);
      } catch (error) {
        throw new HttpError(400, `${(error as Error).message} Name the file with ?name=skus.csv (or an X-Filename header).`);
      }
      const campaign = url.searchParams.get('campaign');
      const campaignKey = campaign ? campaignFileKeyOf(campaign) : options.defaultCampaignKey;
      if (!(await host.deps.store.exists(campaignKey)))
        throw new HttpError(404, `Campaign ${campaign ?? campaignKey} is not known; start the server with --campaign <file>.`);
      // Bounded: each upload holds its body and a parse in memory; the next one waits its turn (429).
      const slot = guard!.takeUploadSlot(); // set once listening, before any request
      if ('status' in slot) throw new HttpError(slot.status, slot.message, slot.headers);
      try {
        const body = await readBody(req, options.uploadBodyLimit ?? CATALOG_LIMITS.maxBytes);
        const runId = newRunId(deps.now());
        const uploadKey = uploadFileKey(runId, name);
        await host.deps.store.putBytes(uploadKey, body, MIME.binary);
        const outcome = await ingestUpload(deps, { runId, uploadKey, campaignKey }, { bytes: body, parse: parser.parse });
        return sendJson(res, outcome.outcome === 'started' ? 202 : 422, { ...outcome, reportUrl: `/${outcome.report}` });
      } finally {
        slot.release();
      }
    }
    if (req.method === 'GET' && url.pathname === '/health') return sendJson(res, 200, { ok: true });
    if (req.method === 'GET' && url.pathname === '/ads') return sendJson(res, 200, await host.deps.tracker.listAds());
    if (req.method === 'GET' || req.method === 'HEAD') return serveFile(res, url.pathname, req.method === 'HEAD');
    throw new HttpError(405, `${req.method} ${url.pathname} is not served here.`);
  };

  const serveFile = async (res: ServerResponse, pathname: string, headOnly: boolean) => {
    let key: string;
    try {
      key = assertSafeKey(decodeURIComponent(pathname === '/' ? '/index.html' : pathname).replace(/^\//, ''));
    } catch {
      throw new HttpError(400, 'Bad path.');
    }
    let bytes: Buffer;
    try {
      bytes = await host.deps.store.getBytes(key);
    } catch (error) {
      if (error instanceof AssetNotFoundError || (error as NodeJS.ErrnoException).code === 'EISDIR') throw new HttpError(404, `Nothing at /${key}.`);
      throw error;
    }
    res.writeHead(200, { 'content-type': contentTypeOf(key), 'content-length': bytes.length, 'x-content-type-options': 'nosniff' });
    res.end(headOnly ? undefined : bytes);
  };

  let guard: RequestGuard | undefined;
  const parser = new OffLoopParser();
  const server = createServer((req, res) => {
    const refusal = guard?.check(req);
    if (refusal) return sendJson(res, refusal.status, { error: refusal.message }, { ...refusal.headers, connection: 'close' });
    routes(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) log(`${req.method} ${truncateForLog(req.url ?? '')}: ${truncateForLog(String((error as Error).stack ?? error), 2000)}`);
      if (error instanceof HttpError && error.headers) for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
      // A client over the body limit may keep streaming: answer, then drop the connection instead of draining it.
      if (status === 413 || status === 429) {
        res.setHeader('connection', 'close');
        res.once('finish', () => req.destroy());
      }
      if (!res.headersSent) sendJson(res, status, { error: status === 500 ? 'internal error (see the server log)' : (error as Error).message });
      else res.destroy();
    });
  });
  server.requestTimeout = 60_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.hostname ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  guard = makeRequestGuard({
    port: address.port,
    boundAddress: address.address,
    allowedHosts: options.allowedHosts,
    maxUploadsInFlight: options.maxUploadsInFlight,
  });
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const baseUrl = `http://${hostPart}:${address.port}`;
  feedUrls.baseUrl = baseUrl;
  return {
    url: baseUrl,
    token,
    server,
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await parser.close();
    },
  };
}

/** Reads a request body up to `limit` bytes; a longer one (declared or streamed) is refused with 413. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(new HttpError(413, `Body of ${declared} bytes is over the ${limit}-byte limit.`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        reject(new HttpError(413, `Body is over the ${limit}-byte limit.`));
      } else chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** File systems refuse names over 255 bytes (ENAMETOOLONG): keep upload names short, extension included. */
function shortName(name: string): string {
  if (name.length <= 120) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
  return `${name.slice(0, 120 - ext.length)}${ext}`;
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': MIME.json, 'content-length': Buffer.byteLength(text), 'x-content-type-options': 'nosniff' });
  res.end(text);
}
