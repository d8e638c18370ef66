import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLineWidth, configuredWidth, longLinesIn } from '../../scripts/check-line-width.ts';

const SCRIPT = fileURLToPath(new URL('../../scripts/check-line-width.ts', import.meta.url));
const hasGit = spawnSync('git', ['--version']).status === 0;

describe('check-line-width', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-width-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('counts characters, not bytes: 160 × fit, 161 do not', () => {
    const text = `ok\n${'×'.repeat(160)}\r\n${'×'.repeat(161)}\n`;
    expect(longLinesIn('a.ts', text, 160)).toEqual([{ file: 'a.ts', line: 3, width: 161 }]);
  });

  it('reads printWidth from .prettierrc.json and falls back to 160 without it', async () => {
    const dir = join(root, 'config');
    await mkdir(dir);
    expect(await configuredWidth(dir)).toBe(160);
    await writeFile(join(dir, '.prettierrc.json'), JSON.stringify({ printWidth: 100 }));
    expect(await configuredWidth(dir)).toBe(100);
  });

  it('lists file:line for a long source line and skips node_modules and non-source files', async () => {
    const dir = join(root, 'walk');
    await mkdir(join(dir, 'src'), { recursive: true });
    await mkdir(join(dir, 'node_modules', 'dep'), { recursive: true });
    const long = `export const s = '${'x'.repeat(150)}';`;
    await writeFile(join(dir, 'src', 'long.ts'), `// fine\n${long}\n`);
    await writeFile(join(dir, 'src', 'short.mjs'), 'export const a = 1;\n');
    await writeFile(join(dir, 'node_modules', 'dep', 'index.js'), `${long}\n`);
    await writeFile(join(dir, 'data.json'), `{"s": "${'x'.repeat(200)}"}\n`);
    expect(await checkLineWidth(dir, 160)).toEqual([{ file: join('src', 'long.ts'), line: 2, width: long.length }]);
  });

  it.skipIf(!hasGit)('in a git checkout, checks tracked and new files but not git-ignored ones', async () => {
    const dir = join(root, 'repo');
    await mkdir(dir);
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const long = `const s = '${'y'.repeat(160)}';\n`;
    await writeFile(join(dir, '.gitignore'), 'ignored.ts\n');
    await writeFile(join(dir, 'ignored.ts'), long);
    await writeFile(join(dir, 'new.cjs'), long);
    expect((await checkLineWidth(dir, 160)).map((l) => `${l.file}:${l.line}`)).toEqual(['new.cjs:1']);
  });

  it('as a command, exits 1 naming file:line, and 0 once the line is split', async () => {
    const dir = join(root, 'cli');
    await mkdir(dir);
    await writeFile(join(dir, '.prettierrc.json'), JSON.stringify({ printWidth: 40 }));
    await writeFile(join(dir, 'a.ts'), `const a = 1;\nconst message = 'this line is longer than forty characters';\n`);
    const failing = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, dir], { encoding: 'utf8' });
    expect(failing.status).toBe(1);
    expect(failing.stderr).toContain('a.ts:2: 60 characters (limit 40)');
    await writeFile(join(dir, 'a.ts'), `const a = 1;\nconst message =\n  'this line is longer ' +\n  'than forty characters';\n`);
    const passing = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, dir], { encoding: 'utf8' });
    expect(passing.stderr).toBe('');
    expect(passing.status).toBe(0);
  });
});
