import { z } from 'zod';

/**
 * A catalog that fed a campaign. A refresh re-reads the latest catalog of every source: an upload name
 * (a newer upload with the same file name replaces the older one) or one Shopify product.
 */
export const CampaignSource = z.object({
  schemaVersion: z.literal(1),
  campaignId: z.string(),
  name: z.string(),
  catalogKey: z.string(),
  recordedAt: z.string(),
});
export type CampaignSource = z.infer<typeof CampaignSource>;

/** Refresh catalogs are built from the sources, so they are never recorded as sources themselves. */
export const REFRESH_PREFIX = 'refresh/';

/** The asset-store key of a source record: one small document per source, so writers never race on a list. */
export function campaignSourceKey(campaignId: string, catalogKey: string): string | undefined {
  if (catalogKey.startsWith(REFRESH_PREFIX)) return undefined;
  const name = catalogKey.slice(catalogKey.lastIndexOf('/') + 1).replace(/[^A-Za-z0-9._-]/g, '_');
  return `${campaignSourcesPrefix(campaignId)}${name}.json`;
}

/** The folder of a campaign's source records. */
export const campaignSourcesPrefix = (campaignId: string) => `sources/${campaignId}/`;
