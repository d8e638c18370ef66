import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { handleReviewApi, REVIEW_BODY_LIMIT } from '#triggers/review-api';
import type { TriggerDeps } from '#ports/trigger-deps';
import { newRunId } from '../local-run.ts';
import { hasSessionToken, sessionCookie } from '../session-token.ts';
import { reviewPageHtml } from './review-page.ts';
import { MIME } from '#domain/model/content-types';

export interface ReviewContext {
  deps: TriggerDeps;
  token: string;
  log: (line: string) => void;
}

const ASSETS: Record<string, string> = { 'review.js': MIME.javascript, 'review.css': MIME.css };
const Reviewer = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\u0000-\u001f<>]+$/);

/**
 * The review app under /review on the local server: the page, its assets, the printed link that
 * trades the token for a cookie, and the review API (shared with the AWS function). The session token
 * was checked by the server for every state-changing call; the token holder may review every campaign.
 */
export async function handleReview(ctx: ReviewContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  try {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    if (parts.length === 1 && method === 'GET') {
      // Opening the printed link once trades the token in the URL for a same-site cookie, then drops it from the address bar.
      const offered = url.searchParams.get('token');
      if (offered === null) return send(res, 200, reviewPageHtml(), MIME.html);
      if (!hasSessionToken({ 'x-adline-token': offered }, ctx.token))
        return send(res, 403, JSON.stringify({ error: "That token is not this server's: use the link `adline serve` printed." }), MIME.json);
      res.writeHead(303, { location: '/review', 'set-cookie': sessionCookie(ctx.token), 'cache-control': 'no-store' });
      return void res.end();
    }
    if (parts[1] === 'assets' && parts.length === 3 && method === 'GET' && ASSETS[parts[2]!]) {
      return send(res, 200, await readFile(new URL(`./assets/${parts[2]}`, import.meta.url)), ASSETS[parts[2]!]!);
    }
    if (parts[1] !== 'api') return send(res, 404, JSON.stringify({ error: 'No such page.' }), MIME.json);
    const body = method === 'POST' ? await readBody(req) : undefined;
    const by = Reviewer.catch('local reviewer').parse(req.headers['x-adline-reviewer']);
    const out = await handleReviewApi(
      ctx.deps,
      { by, mayAccess: () => true },
      { method, path: parts.slice(2), contentType: req.headers['content-type'], body },
      (kind) => newRunId(ctx.deps.now()).replace(/^run-/, `${kind}-`),
    );
    for (const [name, value] of Object.entries(out.headers ?? {})) res.setHeader(name, value);
    return send(res, out.status, out.body, out.contentType);
  } catch (error) {
    const tooBig = error instanceof BodyTooLarge;
    if (!tooBig) ctx.log(`review ${req.method} ${url.pathname}: ${(error as Error).stack ?? error}`);
    if (res.headersSent) return void res.destroy();
    send(res, tooBig ? 413 : 500, JSON.stringify({ error: tooBig ? (error as Error).message : 'internal error (see the server log)' }), MIME.json);
  }
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > REVIEW_BODY_LIMIT) throw new BodyTooLarge(`Body is over the ${REVIEW_BODY_LIMIT}-byte limit.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Security headers on every review answer: everything the page needs is on this origin; no inline script, nothing from the internet. */
export const REVIEW_HEADERS = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'self'; media-src 'self' https:; img-src 'self' https: data:; style-src 'self'; script-src 'self'; " +
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};

function send(res: ServerResponse, status: number, body: string | Buffer, type: string): void {
  res.writeHead(status, { ...REVIEW_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
