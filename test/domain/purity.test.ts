import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const FORBIDDEN = [/from '@aws-sdk\//, /from 'sharp'/, /child_process/, /process\.env/, /from 'node:fs/, /from '#(adapters|media|usecases)\//];

describe('dependency rules', () => {
  it('domain code is pure: no AWS SDK, sharp, child processes, environment or file I/O', () => {
    const dir = 'shared/domain';
    const offenders = readdirSync(dir).filter((f) => f.endsWith('.ts')).flatMap((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      return FORBIDDEN.filter((rule) => rule.test(text)).map((rule) => `${file}: ${rule}`);
    });
    expect(offenders).toEqual([]);
  });

  it('handlers stay thin and never import AWS clients directly (only their index.ts wires AWS)', () => {
    const offenders = readdirSync('functions', { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'commons').flatMap((d) => {
      const text = readFileSync(join('functions', d.name, 'handler.ts'), 'utf8');
      const lines = text.split('\n').length;
      return [/@aws-sdk\//.test(text) ? `${d.name}: imports the AWS SDK` : '', lines > 40 ? `${d.name}: ${lines} lines` : ''].filter(Boolean);
    });
    expect(offenders).toEqual([]);
  });
});
