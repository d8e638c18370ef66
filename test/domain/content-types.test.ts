import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_TYPES, contentTypeOf, MIME } from '#domain/model/content-types';
import { FEED_CONTENT_TYPES, FEED_FILES, type FeedFile } from '#domain/delivery/feed-formats';

const LITERAL = /['"`](video|image|application|text|audio|font)\/[a-z0-9.+*-]+/;

/** Lines where the literal is the point: a header compared or quoted to the user, an Accept list with weights. */
const ALLOWED_LINES = [
  /startsWith\('application\/json'\)/,
  /accept: 'image\/avif,image\/webp,image\/png,image\/jpeg,image\/\*;q=0\.8'/,
  // The validation-report writes, being merged into one module on another branch: to use MIME.json / MIME.csv there.
  /putBytes\(keys\.(json|csv), report(Json|Csv)\(/,
];

describe('content types', () => {
  it('names every type once: the by-extension table and the feeds use the named constants', () => {
    const named = new Set<string>(Object.values(MIME));
    for (const type of Object.values(CONTENT_TYPES)) expect(named.has(type), type).toBe(true);
    expect(contentTypeOf('ads/c/s/t/tiktok.mp4')).toBe('video/mp4');
    expect(contentTypeOf('feeds/c/google-merchant.tsv')).toBe('application/octet-stream');
    const expected: Record<FeedFile, string> = {
      meta: 'text/csv; charset=utf-8',
      tiktok: 'text/csv; charset=utf-8',
      google: 'text/tab-separated-values; charset=utf-8',
      manifestJson: 'application/json',
      manifestCsv: 'text/csv; charset=utf-8',
    };
    expect(FEED_CONTENT_TYPES).toEqual(expected);
    expect(Object.keys(FEED_CONTENT_TYPES).sort()).toEqual(Object.keys(FEED_FILES).sort());
  });

  it('leaves no literal MIME string in shared/, local/ or functions/ outside content-types.ts', () => {
    const offenders: string[] = [];
    for (const dir of ['shared', 'local', 'functions']) {
      for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
        const path = join(dir, file);
        if (path === join('shared', 'domain', 'model', 'content-types.ts')) continue;
        readFileSync(path, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            const comment = /^\s*(\*|\/\/|\/\*)/.test(line);
            if (!comment && LITERAL.test(line) && !ALLOWED_LINES.some((allowed) => allowed.test(line))) offenders.push(`${path}:${i + 1}: ${line.trim()}`);
          });
      }
    }
    expect(offenders).toEqual([]);
    expect(LITERAL.test("putBytes(key, text, 'application/json')")).toBe(true);
  });
});
