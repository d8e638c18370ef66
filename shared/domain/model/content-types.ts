/** Content types of the files adline writes and serves, by file extension (lower case, no dot). */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  json: 'application/json',
  mp4: 'video/mp4',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson',
  txt: 'text/plain; charset=utf-8',
};

/** The extension of a key or file name, lower case ('' when it has none). */
export function extensionOf(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1);
  return name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
}

/** The content type a key's extension names, or application/octet-stream. */
export function contentTypeOf(key: string): string {
  return CONTENT_TYPES[extensionOf(key)] ?? 'application/octet-stream';
}
