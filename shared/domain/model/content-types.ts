/** The content types adline names, by what they are: use these, never a literal MIME string. */
export const MIME = {
  html: 'text/html; charset=utf-8',
  json: 'application/json',
  ndjson: 'application/x-ndjson',
  csv: 'text/csv; charset=utf-8',
  tsv: 'text/tab-separated-values; charset=utf-8',
  text: 'text/plain; charset=utf-8',
  javascript: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  mp4: 'video/mp4',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
  tiff: 'image/tiff',
  /** Bytes of no known type. */
  binary: 'application/octet-stream',
} as const;

/** Content types of the files adline writes and serves, by file extension (lower case, no dot). */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: MIME.html,
  json: MIME.json,
  mp4: MIME.mp4,
  jpg: MIME.jpeg,
  jpeg: MIME.jpeg,
  png: MIME.png,
  webp: MIME.webp,
  csv: MIME.csv,
  jsonl: MIME.ndjson,
  txt: MIME.text,
};

/** The extension of a key or file name, lower case ('' when it has none). */
export function extensionOf(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1);
  return name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
}

/** The content type a key's extension names, or application/octet-stream. */
export function contentTypeOf(key: string): string {
  return CONTENT_TYPES[extensionOf(key)] ?? MIME.binary;
}
