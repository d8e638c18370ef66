import { catalogFormatOf, parseCatalog, type ParsedCatalog } from '#domain/catalog/catalog-parser';
import { CampaignSource, campaignSourceKey, campaignSourcesPrefix } from '#domain/model/campaign-sources';
import type { AssetStore } from '#ports/asset-store';
import { loadDocument, saveDocument } from './load-documents.ts';

/**
 * Records a catalog as the campaign's source of its file name, so the next refresh reads it in place of
 * an older one of that name. Returns the record's key, or undefined for a refresh catalog (never a source).
 */
export async function recordCampaignSource(store: AssetStore, campaignId: string, catalogKey: string, recordedAt: string): Promise<string | undefined> {
  const key = campaignSourceKey(campaignId, catalogKey);
  if (!key) return undefined;
  await saveDocument(store, key, { schemaVersion: 1, campaignId, name: key.slice(key.lastIndexOf('/') + 1, -5), catalogKey, recordedAt });
  return key;
}

/** A campaign's source records, oldest first (ties in key order). */
export async function loadCampaignSources(store: AssetStore, campaignId: string): Promise<CampaignSource[]> {
  const keys = (await store.list(campaignSourcesPrefix(campaignId))).filter((k) => k.endsWith('.json'));
  const sources = await Promise.all(keys.map((k) => loadDocument(store, k, CampaignSource, 'campaign source')));
  return sources.sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
}

/** A source's catalog parsed again, or undefined when it no longer parses (that was reported when it was uploaded). */
export async function parseSourceCatalog(store: AssetStore, source: CampaignSource): Promise<ParsedCatalog | undefined> {
  try {
    return parseCatalog((await store.getBytes(source.catalogKey)).toString('utf8'), catalogFormatOf(source.catalogKey));
  } catch {
    return undefined;
  }
}
