import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseTemplateFile } from '#domain/planning/template-catalog';
import type { Template } from '#domain/model/template';

/** Loads and validates every `*.json` template in a folder; one bad file fails loudly, naming itself. */
export async function loadTemplateDir(dir: string): Promise<ReadonlyMap<string, Template>> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  const templates = new Map<string, Template>();
  for (const name of files) {
    const template = parseTemplateFile(name, await readFile(join(dir, name), 'utf8'));
    templates.set(template.id, template);
  }
  return templates;
}
