import { createHash } from 'node:crypto';

/** Serializes a value as JSON with object keys sorted, so equal data always gives equal bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}

/** SHA-256 hex of a string or bytes. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Short, stable content hash of any JSON-able value (first 16 hex chars of SHA-256). */
export function contentHash(value: unknown): string {
  return sha256(canonicalJson(value)).slice(0, 16);
}

/** A 32-bit seed derived from stable parts (sku, template@version, family, shot, attempt...). */
export function seedFrom(...parts: Array<string | number>): number {
  return Number.parseInt(sha256(parts.join('\u001f')).slice(0, 8), 16);
}
