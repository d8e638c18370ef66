import type { Deps } from '#ports/deps';
import { loadCampaign } from './load-documents.ts';

/** The campaign's logo and music as local files, when the campaign names them and the store has them (else skipped). */
export async function campaignExtras(deps: Deps, campaignKey: string | undefined): Promise<{ logoPath?: string; musicPath?: string; fontPath?: string }> {
  if (!campaignKey) return {};
  const campaign = await loadCampaign(deps.store, campaignKey);
  const local = async (key: string | undefined) => (key && (await deps.store.exists(key)) ? deps.store.localPath(key) : undefined);
  const [logoPath, musicPath, fontPath] = await Promise.all([local(campaign.brand.logo), local(campaign.music), local(campaign.brand.font)]);
  return { ...(logoPath ? { logoPath } : {}), ...(musicPath ? { musicPath } : {}), ...(fontPath ? { fontPath } : {}) };
}
