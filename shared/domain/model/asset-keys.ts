/**
 * Where adline's files live in the asset store, for the layouts more than one module builds: campaign
 * files, uploaded catalogs, published ads and render outputs. One place, so a reader and a writer of the
 * same file cannot drift apart.
 */

/** The folder every campaign file lives in. */
export const CAMPAIGNS_PREFIX = 'campaigns/';

const CAMPAIGN_FILE = /^campaigns\/([a-z0-9-]+)\.json$/;

/** The campaign file of a campaign id: campaigns/<id>.json. */
export function campaignFileKey(campaignId: string): string {
  return `${CAMPAIGNS_PREFIX}${campaignId}.json`;
}

/** The campaign file a person named (a CLI argument, a query parameter): characters an id cannot hold are dropped. */
export function campaignFileKeyOf(ref: string): string {
  return campaignFileKey(ref.replace(/[^a-z0-9-]/g, ''));
}

/** The campaign id of a campaign file's key, or undefined when the key is not one (a nested or oddly named file). */
export function campaignIdOfKey(key: string): string | undefined {
  return CAMPAIGN_FILE.exec(key)?.[1];
}

/** The folder an upload's catalog and photos land in: uploads/<runId>/. */
export function uploadsPrefix(runId: string): string {
  return `uploads/${runId}/`;
}

/** Where an uploaded catalog file is kept; the name is made safe for a key (anything but A-Z a-z 0-9 . _ - becomes _). */
export function uploadFileKey(runId: string, fileName: string): string {
  return `${uploadsPrefix(runId)}${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/** The folder a product's published ads and manifest live in: ads/<campaign>/<sku>/. */
export function productAdsPrefix(campaignId: string, sku: string): string {
  return `ads/${campaignId}/${sku}/`;
}

/** A published ad's key without its extension: ads/<campaign>/<sku>/<template>/<channel>. */
export function publishedAdBase(ad: { campaignId: string; sku: string; templateId: string; channel: string }): string {
  return `${productAdsPrefix(ad.campaignId, ad.sku)}${ad.templateId}/${ad.channel}`;
}

/** A product's manifest of published ads: ads/<campaign>/<sku>/manifest.json. */
export function adManifestKey(campaignId: string, sku: string): string {
  return `${productAdsPrefix(campaignId, sku)}manifest.json`;
}

/** The plate a procedural render leaves, and its two layers (background, product with alpha) for parallax shots. */
export function renderPlateKeys(renderHash: string): { plate: string; background: string; product: string } {
  return { plate: `renders/${renderHash}.png`, background: `renders/${renderHash}.bg.png`, product: `renders/${renderHash}.product.png` };
}

/** Where a render endpoint's clip for one attempt is copied: renders/<hash>/attempt-<n>.mp4. */
export function renderAttemptKey(renderHash: string, attempt: number): string {
  return `renders/${renderHash}/attempt-${attempt}.mp4`;
}

/** An ingested product, keyed by its content: products/<sku>/<productHash>.json. */
export function productFileKey(sku: string, productHash: string): string {
  return `products/${sku}/${productHash}.json`;
}

/** A planned storyboard, keyed by its hash: storyboards/<hash>.json. */
export function storyboardFileKey(storyboardHash: string): string {
  return `storyboards/${storyboardHash}.json`;
}

/** A render job, keyed by its render hash: render-jobs/<hash>.json. */
export function renderJobFileKey(renderHash: string): string {
  return `render-jobs/${renderHash}.json`;
}
