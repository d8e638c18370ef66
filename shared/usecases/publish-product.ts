import { adManifestKey, publishedAdBase } from '#domain/model/asset-keys';
import { contentTypeOf, extensionOf } from '#domain/model/content-types';
import type { AssetStore } from '#ports/asset-store';
import type { Deps } from '#ports/deps';
import type { PublishInput } from '#ports/workflow-payloads';
import { loadCampaign, saveDocument } from './load-documents.ts';
import { isPublishedFrom, updateAd } from './record-ad.ts';
import { publishIfCurrent, type PublishOutcome } from './publish-guard.ts';
import { appendTake, initialReview, takeKey } from '#domain/delivery/review-rules';

/** What a staged asset may be: an MP4 video, a JPEG poster, or a JPEG/PNG banner. */
const PUBLISHABLE = new Set(['mp4', 'jpg', 'png']);

/** The file extension of a staged asset key, refused unless publishable. */
function stagedExtension(key: string): string {
  const ext = extensionOf(key);
  if (!PUBLISHABLE.has(ext)) throw new Error(`Staged asset ${key} has no known extension (expected one of ${[...PUBLISHABLE].join(', ')}).`);
  return ext;
}

/**
 * Where a published ad lives in the asset store: stable names people can open, with the extension of
 * what was staged. A video ad has an .mp4 and a .jpg poster; a banner is one image that is its own poster.
 */
export function publishedKeys(campaignId: string, sku: string, templateId: string, channel: string, staged: { stagedVideo: string; stagedPoster: string }) {
  const base = publishedAdBase({ campaignId, sku, templateId, channel });
  const video = `${base}.${stagedExtension(staged.stagedVideo)}`;
  const poster = staged.stagedPoster === staged.stagedVideo ? video : `${base}.${stagedExtension(staged.stagedPoster)}`;
  return { video, poster };
}

/** Copies a staged asset to its published key with the content type its extension names. */
async function publishAsset(store: AssetStore, stagedKey: string, publishedKey: string): Promise<void> {
  await store.putFile(publishedKey, await store.localPath(stagedKey), contentTypeOf(publishedKey));
}

interface ManifestVariant {
  templateId: string;
  channel: string;
  video: string;
  poster: string;
  variantHash: string;
  storyboardHash: string;
  duration: number;
  bytes?: number;
}

/**
 * Publishes one product's variants: assets first, the manifest last, then each tracker row moves to
 * published with a conditional write. A crash before the manifest leaves nothing pointing at a missing
 * file; a variant whose row already shows this input published (another run got there first) is
 * neither copied nor recorded again, so concurrent and resumed runs publish each ad once. A run whose
 * input a newer one of the same source product overtook publishes nothing and ends superseded.
 */
export async function publishProduct(deps: Deps, input: PublishInput): Promise<PublishOutcome> {
  return publishIfCurrent(deps, input, () => publishVariants(deps, input));
}

async function publishVariants(deps: Deps, input: PublishInput): Promise<PublishOutcome> {
  const campaign = await loadCampaign(deps.store, input.campaignKey);
  const adKey = (v: { templateId: string; channel: string }) => ({ campaignId: campaign.id, sku: input.sku, templateId: v.templateId, channel: v.channel });
  const entries = [];
  let alreadyPublished = 0;
  // One row and one published copy per placement, also for those that shared another placement's encode.
  const placements = input.assembled.flatMap(({ sharedWith, ...v }) => [v, ...(sharedWith ?? []).map((p) => ({ ...v, ...p, encodeSeconds: 0 }))]);
  for (const variant of placements) {
    if (isPublishedFrom(await deps.tracker.getAd(adKey(variant)), variant.inputHash, variant.generation)) {
      alreadyPublished += 1;
      continue;
    }
    const keys = publishedKeys(campaign.id, input.sku, variant.templateId, variant.channel, variant);
    await publishAsset(deps.store, variant.stagedVideo, keys.video);
    if (keys.poster !== keys.video) await publishAsset(deps.store, variant.stagedPoster, keys.poster);
    // Each take keeps its own files (rollback, A/B pairs); the stable keys above point at the newest.
    const take = {
      video: takeKey(campaign.id, input.sku, variant.templateId, variant.channel, variant.variantHash, keys.video),
      poster: takeKey(campaign.id, input.sku, variant.templateId, variant.channel, variant.variantHash, keys.poster),
    };
    await publishAsset(deps.store, variant.stagedVideo, take.video);
    if (take.poster !== take.video) await publishAsset(deps.store, variant.stagedPoster, take.poster);
    entries.push({ ...variant, ...keys, take });
  }
  if (entries.length === 0) {
    await removeStaged(deps.store, input.assembled);
    return { published: 0, alreadyPublished };
  }

  const manifestKey = adManifestKey(campaign.id, input.sku);
  const fresh: ManifestVariant[] = entries.map(({ templateId, channel, video, poster, variantHash, storyboardHash, duration, bytes }) => ({
    templateId,
    channel,
    video,
    poster,
    variantHash,
    storyboardHash,
    duration,
    bytes,
  }));
  await saveDocument(deps.store, manifestKey, {
    schemaVersion: 1,
    campaignId: campaign.id,
    sku: input.sku,
    productHash: input.productHash,
    runId: input.runId,
    variants: await mergeManifest(deps.store, manifestKey, fresh),
  });

  const now = deps.now().toISOString();
  let published = 0;
  for (const entry of entries) {
    const written = await updateAd(deps.tracker, adKey(entry), (current) =>
      isPublishedFrom(current, entry.inputHash, entry.generation)
        ? undefined
        : {
            schemaVersion: 1,
            campaignId: campaign.id,
            sku: input.sku,
            templateId: entry.templateId,
            channel: entry.channel,
            status: 'published',
            inputHash: entry.inputHash,
            generation: entry.generation,
            productHash: input.productHash,
            storyboardHash: entry.storyboardHash,
            variantHash: entry.variantHash,
            outputs: { video: entry.video, poster: entry.poster, manifest: manifestKey },
            runId: input.runId,
            attempts: (current?.attempts ?? 0) + 1,
            bytes: entry.bytes,
            durationSeconds: entry.duration,
            timings: { encodeSeconds: entry.encodeSeconds },
            ...(entry.creative ? { creative: entry.creative } : {}),
            updatedAt: now,
            publishedAt: now,
            review: initialReview(campaign, now),
            takes: appendTake(current?.takes, {
              generation: entry.generation ?? 0,
              inputHash: entry.inputHash,
              storyboardHash: entry.storyboardHash,
              variantHash: entry.variantHash,
              video: entry.take.video,
              poster: entry.take.poster,
              runId: input.runId,
              publishedAt: now,
              review: initialReview(campaign, now),
            }),
          },
    );
    if (written) published += 1;
    else alreadyPublished += 1;
  }
  await removeStaged(deps.store, input.assembled);
  return { published, alreadyPublished };
}

/**
 * Staged copies go once the published files, the manifest and the rows are written: keeping them would
 * double the bytes stored. Their keys are this run's (staging/<variant>/<run>/), never another run's; a
 * crash before this line leaves them to the bucket's staging/ lifecycle rule.
 */
async function removeStaged(store: AssetStore, assembled: PublishInput['assembled']): Promise<void> {
  const keys = new Set(assembled.flatMap((v) => [v.stagedVideo, v.stagedPoster]).filter((key) => key.startsWith('staging/')));
  for (const key of keys) await store.delete(key);
}

/**
 * The product's manifest lists every variant that is out there, not only this call's: a run resumed
 * after a crash, or one that re-renders a single channel, publishes a subset. Earlier entries stay
 * while their files exist; an unreadable old manifest is simply replaced.
 */
async function mergeManifest(store: AssetStore, key: string, fresh: ManifestVariant[]): Promise<ManifestVariant[]> {
  let previous: ManifestVariant[] = [];
  if (await store.exists(key)) {
    try {
      const parsed = JSON.parse((await store.getBytes(key)).toString('utf8')) as { variants?: unknown };
      previous = Array.isArray(parsed.variants) ? (parsed.variants as ManifestVariant[]) : [];
    } catch {
      previous = [];
    }
  }
  const id = (v: ManifestVariant) => `${v.templateId}\u0000${v.channel}`;
  const replaced = new Set(fresh.map(id));
  const kept = [];
  for (const v of previous) {
    if (typeof v?.video !== 'string' || typeof v.poster !== 'string' || replaced.has(id(v))) continue;
    if ((await store.exists(v.video)) && (await store.exists(v.poster))) kept.push(v);
  }
  return [...kept, ...fresh].sort((a, b) => id(a).localeCompare(id(b)));
}
