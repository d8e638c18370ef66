import type { IncomingMessage } from 'node:http';

/**
 * What `adline serve` checks before any route runs. The server is for this machine only, so:
 * - Host allow-list: a page on evil.example whose DNS name is rebound to 127.0.0.1 sends
 *   `Host: evil.example:<port>`; only loopback names and addresses (and the bound address) with
 *   the server's port are served. Signed Shopify webhooks are exempt (they may arrive through a
 *   tunnel under its own name; the HMAC is their check).
 * - Cross-site requests refused: a browser marks them with `Sec-Fetch-Site` and `Origin`; an
 *   auto-submitted `<form enctype="text/plain">` from another site cannot start a run.
 * - 414 for request targets over `maxUrlLength`, before anything parses them.
 * - A bounded number of uploads in flight; the next gets 429 with `Retry-After`.
 */
export interface RequestGuardOptions {
  /** The port the server listens on (Host must carry it). */
  port: number;
  /** The address the server is bound to (served under its own name too, unless a wildcard). */
  boundAddress?: string;
  /** More Host names to accept (e.g. a LAN name when bound to 0.0.0.0), with or without the port. */
  allowedHosts?: string[];
  /** Longest request target served. Default 2,048 characters. */
  maxUrlLength?: number;
  /** Uploads received and parsed at once. Default 2. */
  maxUploadsInFlight?: number;
  /** Seconds a refused upload is told to wait. Default 5. */
  retryAfterSeconds?: number;
}

export interface GuardRefusal {
  status: 403 | 414 | 421 | 429;
  message: string;
  headers?: Record<string, string>;
}

export interface RequestGuard {
  /** Undefined when the request may go on; otherwise the answer to give it. */
  check(req: IncomingMessage): GuardRefusal | undefined;
  /** Takes an upload slot; the release function, or the 429 to answer when all are taken. */
  takeUploadSlot(): { release: () => void } | GuardRefusal;
  /** Uploads in flight now. */
  uploadsInFlight(): number;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARDS = new Set(['0.0.0.0', '::', '']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Routes a sender proves itself on by signature, not by where it comes from. */
const SIGNED_ROUTES = new Set(['/webhooks/shopify']);

/** Builds the guard for a server listening on `options.port`. */
export function makeRequestGuard(options: RequestGuardOptions): RequestGuard {
  const maxUrlLength = options.maxUrlLength ?? 2048;
  const maxUploads = options.maxUploadsInFlight ?? 2;
  const retryAfter = String(options.retryAfterSeconds ?? 5);
  const bound =
    options.boundAddress && !WILDCARDS.has(options.boundAddress)
      ? [options.boundAddress.includes(':') ? `[${options.boundAddress}]` : options.boundAddress]
      : [];
  const names = [...LOOPBACK_NAMES, ...bound, ...(options.allowedHosts ?? [])].map((n) => n.toLowerCase());
  const hosts = new Set(
    names.flatMap((name) => (/:\d+$/.test(name) && !name.endsWith(']') ? [name] : [`${name}:${options.port}`, ...(options.port === 80 ? [name] : [])])),
  );
  const origins = new Set([...hosts].map((h) => `http://${h}`));
  let inFlight = 0;

  return {
    check(req) {
      const target = req.url ?? '/';
      if (target.length > maxUrlLength)
        return { status: 414, message: `Request target of ${target.length} characters is over the ${maxUrlLength}-character limit.` };
      const path = target.split('?')[0];
      const method = req.method ?? 'GET';
      const signed = method === 'POST' && SIGNED_ROUTES.has(path);
      const host = (req.headers.host ?? '').toLowerCase();
      if (!signed && !hosts.has(host)) {
        return {
          status: 421,
          message:
            `Host "${truncateForLog(host, 100)}" is not served here: use http://127.0.0.1:${options.port}/ ` +
            `(a foreign Host is how DNS rebinding reaches a local server).`,
        };
      }
      const site = header(req, 'sec-fetch-site');
      const origin = header(req, 'origin');
      if (!SAFE_METHODS.has(method)) {
        if (site !== undefined && site !== 'same-origin' && site !== 'none')
          return {
            status: 403,
            message: `Cross-site ${method} refused (Sec-Fetch-Site: ${truncateForLog(site, 40)}): send it from this machine, e.g. with curl.`,
          };
        if (origin !== undefined && !origins.has(origin.toLowerCase()))
          return { status: 403, message: `Cross-origin ${method} refused (Origin: ${truncateForLog(origin, 100)}).` };
      } else if (site === 'cross-site' && header(req, 'sec-fetch-mode') !== 'navigate') {
        // Following a link is fine; another site's script or image tag reading the tracker is not.
        return { status: 403, message: 'Cross-site subresource request refused.' };
      }
      return undefined;
    },
    takeUploadSlot() {
      if (inFlight >= maxUploads) {
        return {
          status: 429,
          message: `${inFlight} uploads are being received and parsed; send this one again in ${retryAfter} s.`,
          headers: { 'retry-after': retryAfter },
        };
      }
      inFlight += 1;
      let released = false;
      return {
        release: () => {
          if (!released) {
            released = true;
            inFlight -= 1;
          }
        },
      };
    },
    uploadsInFlight: () => inFlight,
  };
}

/** A value cut to `max` characters for a log line (a 5,000-character URL must not become a 5,000-character line). */
export function truncateForLog(text: string, max = 300): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
