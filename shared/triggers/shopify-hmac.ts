import { createHmac, timingSafeEqual } from 'node:crypto';

/** Shopify's signature: base64 HMAC-SHA256 of the raw request body, keyed with the app's client secret. */
export function shopifyHmac(rawBody: Uint8Array, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

/**
 * True when `header` is the signature of `rawBody` under any of `secrets` (two are live during a
 * rotation). Every secret is tried, and each compare is constant-time over equal-length buffers.
 */
export function verifyShopifyHmac(rawBody: Uint8Array, header: string | undefined, secrets: readonly string[]): boolean {
  if (!header || secrets.length === 0) return false;
  const given = Buffer.from(header.trim(), 'base64');
  if (given.length !== 32) return false;
  let ok = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    // No early exit: the time taken does not tell which secret matched.
    ok = timingSafeEqual(expected, given) || ok;
  }
  return ok;
}

/** Secrets from configuration: comma-separated, blanks dropped, so a rotation lists "new,old". */
export function parseSecrets(...values: Array<string | undefined>): string[] {
  return values
    .flatMap((v) => (v ?? '').split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}
