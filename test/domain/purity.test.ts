import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const FORBIDDEN = [/from '@aws-sdk\//, /from 'sharp'/, /child_process/, /process\.env/, /from 'node:fs/, /from '#(adapters|media|usecases)\//];

/**
 * Use cases and triggers reach media, providers and configuration through ports (Deps): no SDK, sharp,
 * child process or environment, and no runtime import of media or adapters (`import type` is fine).
 */
const USE_CASE_FORBIDDEN = [/from '@aws-sdk\//, /from 'sharp'/, /child_process/, /process\.env/, /^import (?!type )[^;]*from '#(adapters|media)\//m];

/** Every .ts file under a folder, with its path relative to it. */
function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
}

function offenders(dir: string, rules: RegExp[]): string[] {
  return sources(dir).flatMap((file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    return rules.filter((rule) => rule.test(text)).map((rule) => `${dir}/${file}: ${rule}`);
  });
}

describe('dependency rules', () => {
  it('domain code is pure: no AWS SDK, sharp, child processes, environment or file I/O', () => {
    expect(sources('shared/domain').length).toBeGreaterThan(40);
    expect(offenders('shared/domain', FORBIDDEN)).toEqual([]);
  });

  it('use cases and triggers reach media, providers and config only through ports', () => {
    expect(offenders('shared/usecases', USE_CASE_FORBIDDEN)).toEqual([]);
    expect(offenders('shared/triggers', USE_CASE_FORBIDDEN)).toEqual([]);
  });

  it('the rules catch what they forbid', () => {
    const caught = (text: string) => USE_CASE_FORBIDDEN.some((rule) => rule.test(text));
    expect(caught("import { assembleVideo } from '#media/assembly/assembler';")).toBe(true);
    expect(caught("import sharp from 'sharp';")).toBe(true);
    expect(caught('const key = process.env.FAL_KEY;')).toBe(true);
    expect(caught("import type { MediaEngine } from '#media/media-engine';")).toBe(false);
  });

  it('handlers stay thin and never import AWS clients directly (only their index.ts wires AWS)', () => {
    const offenders = readdirSync('functions', { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'commons')
      .flatMap((d) => {
        const text = readFileSync(join('functions', d.name, 'handler.ts'), 'utf8');
        const lines = text.split('\n').length;
        return [/@aws-sdk\//.test(text) ? `${d.name}: imports the AWS SDK` : '', lines > 40 ? `${d.name}: ${lines} lines` : ''].filter(Boolean);
      });
    expect(offenders).toEqual([]);
  });
});
