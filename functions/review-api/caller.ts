import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { randomBytes } from 'node:crypto';
import type { ReviewCaller } from '#triggers/review-api';

/** The Cognito group that may review every campaign; any other access comes from `campaign-<id>` groups. */
export const ADMIN_GROUP = 'adline-admins';

/** The groups in a JWT authorizer's claims: API Gateway passes a list claim as "[a b]" text, or as an array. */
export function groupsOf(claims: Record<string, unknown>): string[] {
  const raw = claims['cognito:groups'];
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== 'string') return [];
  return raw
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

/** Who called and which campaigns they may see: admins every one, others those of their `campaign-<id>` groups. */
export function callerOf(claims: Record<string, unknown>): ReviewCaller {
  const groups = new Set(groupsOf(claims));
  const by = String(claims.email ?? claims['cognito:username'] ?? claims.sub ?? 'unknown');
  return { by: by.slice(0, 100), mayAccess: (campaignId) => groups.has(ADMIN_GROUP) || groups.has(`campaign-${campaignId}`) };
}

/** The review API request inside an API Gateway event: method, the path under /review/api/ (decoded), body. */
export function reviewRequest(event: APIGatewayProxyEventV2WithJWTAuthorizer) {
  const path = event.rawPath
    .replace(/^\/review\/api\/?/, '')
    .split('/')
    .filter(Boolean)
    .map(decodeURIComponent);
  const body = event.body === undefined ? undefined : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  return { method: event.requestContext.http.method, path, contentType: event.headers['content-type'], body };
}

/** A run id for a run a review action starts: its kind, the time and a random suffix. */
export function reviewRunId(kind: string): string {
  return `${kind}-${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}Z-${randomBytes(3).toString('hex')}`;
}
