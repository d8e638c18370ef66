import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { CopyEdit } from '#domain/ad-overrides';
import { Campaign } from '#domain/campaign';
import { FEED_FILES, type FeedFile } from '#domain/feed-formats';
import { describeIssues } from '#domain/template-catalog';
import { RegenerateRequest, ReviewRerunError, editCopy, regenerateShot } from '#triggers/review-reruns';
import type { TriggerDeps } from '#triggers/trigger-deps';
import { buildFeeds } from '#usecases/delivery-feeds';
import { DocumentError, loadCampaign } from '#usecases/load-documents';
import { campaignReview, ReviewRequest, reviewAds } from '#usecases/review-ads';
import { newRunId } from '../local-run.ts';
import { hasSessionToken, sessionCookie } from '../session-token.ts';
import { reviewPageHtml } from './review-page.ts';

export interface ReviewContext {
  deps: TriggerDeps;
  token: string;
  log: (line: string) => void;
}

/** An answer with a status and a message written for the user (no paths, no stack, no secrets). */
class ReviewHttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const ASSETS: Record<string, { file: string; type: string }> = {
  'review.js': { file: 'review.js', type: 'text/javascript; charset=utf-8' },
  'review.css': { file: 'review.css', type: 'text/css; charset=utf-8' },
};
const CampaignId = z.string().regex(/^[a-z0-9-]{1,64}$/);
const Sku = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/);
const Reviewer = z.string().trim().min(1).max(100).regex(/^[^\u0000-\u001f<>]+$/);
const BODY_LIMIT = 64 * 1024;

/** The review app's routes under /review: the page, its assets, and the JSON API it calls (zod on every input). */
export async function handleReview(ctx: ReviewContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  try {
    await route(ctx, req, res, url);
  } catch (error) {
    const known = error instanceof ReviewHttpError ? error
      : error instanceof z.ZodError ? new ReviewHttpError(400, describeIssues(error.issues))
        : error instanceof ReviewRerunError ? new ReviewHttpError(error.code === 'RETIRED' ? 409 : 404, error.message)
          : error instanceof DocumentError ? new ReviewHttpError(404, 'No such campaign.')
            : undefined;
    if (!known) ctx.log(`review ${req.method} ${url.pathname}: ${(error as Error).stack ?? error}`);
    if (res.headersSent) return void res.destroy();
    send(res, known?.status ?? 500, JSON.stringify({ error: known?.message ?? 'internal error (see the server log)' }), 'application/json');
  }
}

async function route(ctx: ReviewContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const { deps } = ctx;
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent); // ['review', ...]
  const method = req.method ?? 'GET';
  if (parts.length === 1 && method === 'GET') {
    // Opening the printed link once trades the token in the URL for a same-site cookie, then drops it from the address bar.
    const offered = url.searchParams.get('token');
    if (offered !== null) {
      if (!hasSessionToken({ 'x-adline-token': offered }, ctx.token)) throw new ReviewHttpError(403, 'That token is not this server\'s: use the link `adline serve` printed.');
      res.writeHead(303, { location: '/review', 'set-cookie': sessionCookie(ctx.token), 'cache-control': 'no-store' });
      return void res.end();
    }
    return send(res, 200, reviewPageHtml(), 'text/html; charset=utf-8');
  }
  if (parts[1] === 'assets' && parts.length === 3 && method === 'GET') {
    const asset = ASSETS[parts[2]!];
    if (!asset) throw new ReviewHttpError(404, 'No such file.');
    return send(res, 200, await readFile(new URL(`./assets/${asset.file}`, import.meta.url)), asset.type);
  }
  if (parts[1] !== 'api') throw new ReviewHttpError(404, 'No such page.');
  if (parts[2] === 'campaigns' && parts.length === 3 && method === 'GET') {
    const keys = (await deps.store.list('campaigns/')).filter((k) => /^campaigns\/[a-z0-9-]+\.json$/.test(k));
    const campaigns = [];
    for (const key of keys) {
      try {
        const c = await loadCampaign(deps.store, key);
        campaigns.push({ id: c.id, name: c.name });
      } catch {
        continue; // an unreadable campaign file is reported where it is used
      }
    }
    return json(res, 200, campaigns);
  }
  if (parts[2] !== 'campaigns' || parts.length < 4) throw new ReviewHttpError(404, 'No such API route.');
  const campaignId = CampaignId.parse(parts[3]);
  const campaignKey = `campaigns/${campaignId}.json`;
  if (!(await deps.store.exists(campaignKey))) throw new ReviewHttpError(404, `No campaign ${campaignId}.`);
  const campaign: Campaign = await loadCampaign(deps.store, campaignKey);
  const by = Reviewer.catch('local reviewer').parse(req.headers['x-adline-reviewer']);
  const rest = parts.slice(4).join('/');
  const urls = deps.feedUrls ?? {};

  if (rest === '' && method === 'GET') return json(res, 200, await campaignReview(deps, campaign));
  if (rest === 'review' && method === 'POST') {
    const request = ReviewRequest.parse(await readJson(req));
    return json(res, 200, await reviewAds(deps, { campaignId, request, by, urls }));
  }
  if (parts[4] === 'products' && parts[6] === 'copy' && parts.length === 7 && method === 'POST') {
    const sku = Sku.parse(parts[5]);
    const copy = CopyEdit.parse(await readJson(req));
    const started = await editCopy(deps, { campaignKey, sku, copy, by, runId: newRunId(deps.now()).replace(/^run-/, 'edit-') });
    return json(res, 202, { runId: started.runId, overrides: started.overrides });
  }
  if (rest === 'regenerate' && method === 'POST') {
    const request = RegenerateRequest.parse(await readJson(req));
    const started = await regenerateShot(deps, { campaignKey, request, by, runId: newRunId(deps.now()).replace(/^run-/, 'regen-') });
    return json(res, 202, { runId: started.runId, take: started.take });
  }
  if (parts[4] === 'feeds' && parts.length === 6 && method === 'GET') {
    const file = (Object.entries(FEED_FILES) as Array<[FeedFile, string]>).find(([, name]) => name === parts[5]);
    if (!file) throw new ReviewHttpError(404, `No such feed; feeds: ${Object.values(FEED_FILES).join(', ')}.`);
    const built = await buildFeeds(deps, campaignId, urls);
    res.setHeader('content-disposition', `attachment; filename="${campaignId}-${file[1]}"`);
    const type = file[1].endsWith('.json') ? 'application/json' : file[1].endsWith('.tsv') ? 'text/tab-separated-values; charset=utf-8' : 'text/csv; charset=utf-8';
    return send(res, 200, built.files[file[0]], type);
  }
  throw new ReviewHttpError(method === 'GET' || method === 'POST' ? 404 : 405, 'No such API route.');
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = String(req.headers['content-type'] ?? '');
  if (!type.startsWith('application/json')) throw new ReviewHttpError(415, 'Send JSON (Content-Type: application/json).');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) throw new ReviewHttpError(413, `Body is over the ${BODY_LIMIT}-byte limit.`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ReviewHttpError(400, 'The body is not valid JSON.');
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, JSON.stringify(body), 'application/json');
}

function send(res: ServerResponse, status: number, body: string | Buffer, type: string): void {
  res.writeHead(status, {
    'content-type': type, 'content-length': Buffer.byteLength(body), 'x-content-type-options': 'nosniff', 'cache-control': 'no-store',
    // Everything the page needs is on this origin: no inline script, nothing from the internet.
    'content-security-policy': "default-src 'self'; media-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    'referrer-policy': 'no-referrer',
  });
  res.end(body);
}
