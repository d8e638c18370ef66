import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { AdRecord } from '#domain/model/ad-record';

/** Every file under a folder, as store keys (forward slashes). */
export async function listKeys(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else out.push(relative(root, full).split(sep).join('/'));
    }
  };
  await walk(root);
  return out.sort();
}

const isFile = (path: string) =>
  stat(path).then(
    (s) => s.isFile() && s.size > 0,
    () => false,
  );

interface ManifestVariant {
  templateId: string;
  channel: string;
  video: string;
  poster: string;
  variantHash: string;
}

/**
 * The crash-safety invariants of the published store, as a list of violations (empty = holds):
 * no manifest names a missing or empty file, no manifest lists a variant twice, and every published
 * tracker row points at files that exist and a manifest that lists it with the same variant hash.
 */
export async function storeViolations(outDir: string, ads: AdRecord[]): Promise<string[]> {
  const problems: string[] = [];
  const manifests = new Map<string, ManifestVariant[]>();
  for (const key of (await listKeys(join(outDir, 'ads'))).filter((k) => k.endsWith('/manifest.json'))) {
    const manifestKey = `ads/${key}`;
    let variants: ManifestVariant[];
    try {
      variants = (JSON.parse(await readFile(join(outDir, manifestKey), 'utf8')) as { variants: ManifestVariant[] }).variants;
    } catch (error) {
      problems.push(`${manifestKey}: unreadable (${(error as Error).message})`);
      continue;
    }
    manifests.set(manifestKey, variants);
    const seen = new Set<string>();
    for (const v of variants) {
      const id = `${v.templateId}/${v.channel}`;
      if (seen.has(id)) problems.push(`${manifestKey}: lists ${id} twice`);
      seen.add(id);
      for (const file of [v.video, v.poster]) if (!(await isFile(join(outDir, file)))) problems.push(`${manifestKey}: points at missing ${file}`);
    }
  }
  for (const ad of ads.filter((a) => a.status === 'published')) {
    const id = `${ad.sku}/${ad.templateId}/${ad.channel}`;
    for (const file of [ad.outputs.video, ad.outputs.poster]) {
      if (!file || !(await isFile(join(outDir, file)))) problems.push(`tracker ${id}: published file ${file} is missing`);
    }
    const listed = manifests.get(ad.outputs.manifest ?? '')?.find((v) => v.templateId === ad.templateId && v.channel === ad.channel);
    if (!listed) problems.push(`tracker ${id}: its manifest ${ad.outputs.manifest} does not list it`);
    else if (listed.variantHash !== ad.variantHash) problems.push(`tracker ${id}: manifest has variant ${listed.variantHash}, tracker ${ad.variantHash}`);
  }
  return problems;
}
