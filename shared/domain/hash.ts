import { createHash } from 'node:crypto';

/** Serializes a value as JSON with object keys sorted, so equal data always gives equal bytes. */
export function canonicalJson(value: unknown): string {
  return write(value) as string;
}

// Writes the JSON directly (no sorted copy of the value): the planner hashes thousands of documents a second.
// Same bytes as JSON.stringify over a key-sorted copy: undefined (and function) members are left out,
// array holes and undefined items become null.
const INDEX_KEY = /^(?:0|[1-9]\d*)$/;
const keyCache = new Map<string, string>();

function quoteKey(key: string): string {
  let quoted = keyCache.get(key);
  if (quoted === undefined) {
    quoted = `${JSON.stringify(key)}:`;
    if (keyCache.size < 10_000) keyCache.set(key, quoted);
  }
  return quoted;
}

function write(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    // Finite numbers print the same through String; NaN and ±Infinity are null in JSON.
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    case 'bigint':
      return JSON.stringify(value);
    default:
      return undefined;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (let i = 0; i < value.length; i++) parts.push(write(value[i]) ?? 'null');
    return `[${parts.join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  // Object.keys lists integer-like keys first, ascending, as the engine orders them in any object;
  // the other keys are sorted by code unit.
  const all = Object.keys(record);
  let ints = 0;
  while (ints < all.length && INDEX_KEY.test(all[ints]) && Number(all[ints]) < 4294967295) ints++;
  const keys = ints === 0 ? all.sort() : [...all.slice(0, ints), ...all.slice(ints).sort()];
  const parts: string[] = [];
  for (const key of keys) {
    const v = write(record[key]);
    if (v !== undefined) parts.push(quoteKey(key) + v);
  }
  return `{${parts.join(',')}}`;
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
