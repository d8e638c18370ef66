import { parseTemplateFile } from '#domain/planning/template-catalog';
import type { Template } from '#domain/model/template';
import type { AssetStore } from '#ports/asset-store';

/** Where the stack deploys the templates in the assets bucket (and `adline campaign put --template` writes). */
export const TEMPLATES_PREFIX = 'templates';

export class NoTemplatesError extends Error {
  override readonly name = 'NoTemplatesError';
  readonly code = 'NO_TEMPLATES';
}

/** Loads and validates every `templates/*.json` in the asset store; one bad file fails loudly, naming itself. */
export async function loadStoreTemplates(store: AssetStore, prefix = TEMPLATES_PREFIX): Promise<ReadonlyMap<string, Template>> {
  const keys = (await store.list(prefix)).filter((key) => key.endsWith('.json')).sort();
  if (keys.length === 0) {
    throw new NoTemplatesError(
      `The asset store has no ${prefix}/*.json: deploy the stack (it uploads templates/) or add one with \`adline campaign put --template <file>\`.`,
    );
  }
  const templates = new Map<string, Template>();
  for (const key of keys) {
    const template = parseTemplateFile(key, (await store.getBytes(key)).toString('utf8'));
    templates.set(template.id, template);
  }
  return templates;
}
