/**
 * Fails, listing file:line, when a source line is wider than Prettier's printWidth (.prettierrc.json).
 * Prettier never breaks string or template literals, regexes or comments, so `prettier --check` alone
 * does not prove that every line fits; `npm run format:check` runs this after it.
 * Run: npx tsx scripts/check-line-width.ts [root]
 */
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Width used when the root has no .prettierrc.json with a printWidth. */
export const DEFAULT_WIDTH = 160;

const SOURCE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']);
const SKIPPED_NAMES = new Set(['node_modules', '.git']);
const SKIPPED_PATHS = new Set(['cdk.out', 'out', '.adline', 'coverage', join('bench', 'tmp')]);

/** A line wider than the limit: its 1-based number and its width in characters (code points). */
export interface LongLine {
  file: string;
  line: number;
  width: number;
}

/** The lines of `text` wider than `width` characters, counted in code points so that '×' or '—' is one. */
export function longLinesIn(file: string, text: string, width: number): LongLine[] {
  const found: LongLine[] = [];
  text.split(/\r?\n/).forEach((content, i) => {
    const chars = [...content].length;
    if (chars > width) found.push({ file, line: i + 1, width: chars });
  });
  return found;
}

/** printWidth from `root`/.prettierrc.json, or DEFAULT_WIDTH when the file or the option is absent. */
export async function configuredWidth(root: string): Promise<number> {
  const text = await readFile(join(root, '.prettierrc.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return DEFAULT_WIDTH;
  const printWidth: unknown = (JSON.parse(text) as Record<string, unknown>).printWidth;
  return typeof printWidth === 'number' ? printWidth : DEFAULT_WIDTH;
}

/** Source files under `root`, relative to it: git's tracked and untracked-not-ignored files, else a folder walk. */
export async function sourceFiles(root: string): Promise<string[]> {
  let listed: string[];
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    listed = out.split('\0').filter(Boolean);
  } catch {
    listed = await walk(root, root);
  }
  return listed.filter((f) => SOURCE_EXTENSIONS.has(extname(f))).sort();
}

async function walk(root: string, dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_NAMES.has(entry.name) && !SKIPPED_PATHS.has(relative(root, path))) files.push(...(await walk(root, path)));
    } else if (entry.isFile()) {
      files.push(relative(root, path));
    }
  }
  return files;
}

/** Every line wider than `width` in the source files under `root`. */
export async function checkLineWidth(root: string, width: number): Promise<LongLine[]> {
  const found: LongLine[] = [];
  for (const file of await sourceFiles(root)) {
    const text = await readFile(join(root, file), 'utf8').catch(() => undefined);
    if (text !== undefined) found.push(...longLinesIn(file, text, width));
  }
  return found;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const root = resolve(process.argv[2] ?? '.');
  const width = await configuredWidth(root);
  const found = await checkLineWidth(root, width);
  for (const l of found) console.error(`${l.file}:${l.line}: ${l.width} characters (limit ${width})`);
  if (found.length > 0) {
    console.error(`${found.length} line(s) over ${width} characters: split the string, template or comment (Prettier will not).`);
    process.exit(1);
  }
  console.log(`line width: every source line fits ${width} characters`);
}
