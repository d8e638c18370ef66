import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Deps } from '#ports/deps';

/**
 * Runs `work` in a scratch folder of this invocation only (under the task's work dir, in `area`, named
 * after the content it works on) and removes the folder afterwards. Two invocations on the same content
 * (concurrent runs, a redelivered task) never share a file, so none reads another's half-written output.
 */
export async function withScratch<T>(deps: Pick<Deps, 'workDir'>, area: string, name: string, work: (dir: string) => Promise<T>): Promise<T> {
  const parent = join(deps.workDir, area);
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(join(parent, `${name}-`));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
