import { z } from 'zod';
import { CopyEdit } from '#domain/model/ad-overrides';
import { CAMPAIGNS_PREFIX, campaignFileKey, campaignIdOfKey } from '#domain/model/asset-keys';
import { FEED_CONTENT_TYPES, FEED_FILES, type FeedFile } from '#domain/delivery/feed-formats';
import { describeIssues } from '#domain/model/json-document';
import { buildFeeds } from '#usecases/delivery-feeds';
import { DocumentError, loadCampaign } from '#usecases/load-documents';
import { campaignReview, ReviewRequest, reviewAds } from '#usecases/review-ads';
import { RegenerateRequest, ReviewRerunError, editCopy, regenerateShot } from './review-reruns.ts';
import type { TriggerDeps } from '#ports/trigger-deps';
import { MIME } from '#domain/model/content-types';

/** One API call, whatever the transport (the local server, API Gateway): path below `/review/api/`, and the JSON body. */
export interface ReviewApiRequest {
  method: string;
  /** Path segments after `/review/api/`, decoded. */
  path: string[];
  contentType?: string;
  body?: Buffer;
}

/** Who calls, and which campaigns they may see and change (AWS: Cognito groups; locally: the token holder, every campaign). */
export interface ReviewCaller {
  by: string;
  mayAccess(campaignId: string): boolean;
}

export interface ReviewApiResponse {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const CampaignId = z.string().regex(/^[a-z0-9-]{1,64}$/);
const Sku = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/);
export const REVIEW_BODY_LIMIT = 64 * 1024;

/**
 * The review API: campaigns, a campaign's ads with review state, QC figures and cost, review decisions
 * (single and bulk), copy edits, shot reseeds, and the feeds. zod on every input; errors say what to fix
 * and never carry paths, stacks or secrets (an unexpected error is logged by the caller and answered 500).
 */
export async function handleReviewApi(
  deps: TriggerDeps,
  caller: ReviewCaller,
  request: ReviewApiRequest,
  runId: (kind: string) => string,
): Promise<ReviewApiResponse> {
  try {
    return await route(deps, caller, request, runId);
  } catch (error) {
    const known =
      error instanceof ApiError
        ? error
        : error instanceof z.ZodError
          ? new ApiError(400, describeIssues(error.issues))
          : error instanceof ReviewRerunError
            ? new ApiError(error.code === 'RETIRED' ? 409 : 404, error.message)
            : error instanceof DocumentError
              ? new ApiError(404, 'No such campaign.')
              : undefined;
    if (!known) throw error;
    return json(known.status, { error: known.message });
  }
}

async function route(deps: TriggerDeps, caller: ReviewCaller, request: ReviewApiRequest, runId: (kind: string) => string): Promise<ReviewApiResponse> {
  const { method, path } = request;
  if (path[0] !== 'campaigns') throw new ApiError(404, 'No such API route.');
  if (path.length === 1 && method === 'GET') {
    const campaigns = [];
    for (const key of await deps.store.list(CAMPAIGNS_PREFIX)) {
      const id = campaignIdOfKey(key);
      if (id === undefined || !caller.mayAccess(id)) continue;
      try {
        const c = await loadCampaign(deps.store, key);
        campaigns.push({ id: c.id, name: c.name });
      } catch {
        continue; // an unreadable campaign file is reported where it is used
      }
    }
    return json(200, campaigns);
  }
  const campaignId = CampaignId.parse(path[1]);
  // Not allowed and not there answer the same: a caller learns nothing about campaigns outside their groups.
  if (!caller.mayAccess(campaignId)) throw new ApiError(404, `No campaign ${campaignId}.`);
  const campaignKey = campaignFileKey(campaignId);
  if (!(await deps.store.exists(campaignKey))) throw new ApiError(404, `No campaign ${campaignId}.`);
  const campaign = await loadCampaign(deps.store, campaignKey);
  const rest = path.slice(2);
  const urls = deps.feedUrls ?? {};
  const { by } = caller;

  if (rest.length === 0 && method === 'GET') return json(200, await campaignReview(deps, campaign));
  if (rest.length === 1 && rest[0] === 'review' && method === 'POST') {
    return json(200, await reviewAds(deps, { campaignId, request: ReviewRequest.parse(readJson(request)), by, urls }));
  }
  if (rest.length === 3 && rest[0] === 'products' && rest[2] === 'copy' && method === 'POST') {
    const started = await editCopy(deps, { campaignKey, sku: Sku.parse(rest[1]), copy: CopyEdit.parse(readJson(request)), by, runId: runId('edit') });
    return json(202, { runId: started.runId, overrides: started.overrides });
  }
  if (rest.length === 1 && rest[0] === 'regenerate' && method === 'POST') {
    const started = await regenerateShot(deps, { campaignKey, request: RegenerateRequest.parse(readJson(request)), by, runId: runId('regen') });
    return json(202, { runId: started.runId, take: started.take });
  }
  if (rest.length === 2 && rest[0] === 'feeds' && method === 'GET') {
    const file = (Object.entries(FEED_FILES) as Array<[FeedFile, string]>).find(([, name]) => name === rest[1]);
    if (!file) throw new ApiError(404, `No such feed; feeds: ${Object.values(FEED_FILES).join(', ')}.`);
    const built = await buildFeeds(deps, campaignId, urls);
    return {
      status: 200,
      contentType: FEED_CONTENT_TYPES[file[0]],
      body: built.files[file[0]],
      headers: { 'content-disposition': `attachment; filename="${campaignId}-${file[1]}"` },
    };
  }
  throw new ApiError(method === 'GET' || method === 'POST' ? 404 : 405, 'No such API route.');
}

function readJson(request: ReviewApiRequest): unknown {
  if (!(request.contentType ?? '').startsWith('application/json')) throw new ApiError(415, 'Send JSON (Content-Type: application/json).');
  const body = request.body ?? Buffer.alloc(0);
  if (body.length > REVIEW_BODY_LIMIT) throw new ApiError(413, `Body is over the ${REVIEW_BODY_LIMIT}-byte limit.`);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new ApiError(400, 'The body is not valid JSON.');
  }
}

function json(status: number, body: unknown): ReviewApiResponse {
  return { status, contentType: MIME.json, body: JSON.stringify(body) };
}
