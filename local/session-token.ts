import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/*
 * The local server's session token: printed once at start (`… token=<value>`), required on every
 * state-changing request, so no other web page open in the same browser can approve, edit or upload
 * (a cross-site form or fetch can reach 127.0.0.1, but cannot read or guess the token).
 */

export const TOKEN_HEADER = 'x-adline-token';
export const TOKEN_COOKIE = 'adline_token';

/** A fresh token: 24 random bytes, URL-safe. */
export function newSessionToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Webhooks carry their own proof (Shopify's HMAC over the body) and come from no browser: they need no token. */
const OWN_AUTH = new Set(['/webhooks/shopify']);

/** True when the request changes state and so must carry the token (every method but GET, HEAD and OPTIONS). */
export function needsSessionToken(method: string | undefined, pathname: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method ?? 'GET') && !OWN_AUTH.has(pathname);
}

/** The token a request carries, in the X-Adline-Token header or the adline_token cookie. */
function presented(headers: IncomingHttpHeaders): string | undefined {
  const header = headers[TOKEN_HEADER];
  if (typeof header === 'string' && header) return header;
  for (const part of (headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return value.join('=');
  }
  return undefined;
}

/** Constant-time check of the presented token against the session's. */
export function hasSessionToken(headers: IncomingHttpHeaders, token: string): boolean {
  const given = presented(headers);
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The cookie the review app runs on: sent to this origin only (SameSite=Strict), unreadable to page scripts. */
export function sessionCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

/** What a refused request is told: how to get the token, never the token. */
export const TOKEN_REFUSED =
  'This request changes state and needs the session token printed by `adline serve` (token=…): send it as the X-Adline-Token header, ' +
  'or open the printed /review?token=… link once to get the cookie.';
