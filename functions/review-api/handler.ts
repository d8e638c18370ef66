import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { randomBytes } from 'node:crypto';
import { handleReviewApi } from '#triggers/review-api';
import type { TriggerDeps } from '#ports/trigger-deps';
import { logger } from '../commons/logger.ts';
import { callerOf } from './caller.ts';

export { callerOf, groupsOf } from './caller.ts';

/**
 * The review API behind API Gateway (HTTP API, Cognito JWT authorizer): every call is authenticated by
 * the authorizer before it gets here, and authorized per campaign from the caller's groups.
 */
export const makeHandler =
  (deps: TriggerDeps) =>
  async (event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<APIGatewayProxyStructuredResultV2> => {
    const claims = (event.requestContext.authorizer?.jwt?.claims ?? {}) as Record<string, unknown>;
    if (!claims.sub) return { statusCode: 401, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'Sign in first.' }) };
    const path = event.rawPath
      .replace(/^\/review\/api\/?/, '')
      .split('/')
      .filter(Boolean)
      .map(decodeURIComponent);
    const body = event.body === undefined ? undefined : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
    try {
      const out = await handleReviewApi(
        deps,
        callerOf(claims),
        {
          method: event.requestContext.http.method,
          path,
          contentType: event.headers['content-type'],
          body,
        },
        (kind) => `${kind}-${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}Z-${randomBytes(3).toString('hex')}`,
      );
      return { statusCode: out.status, headers: { 'content-type': out.contentType, 'cache-control': 'no-store', ...out.headers }, body: out.body };
    } catch (error) {
      logger.error('review API call failed', { error: error as Error, path: event.rawPath });
      return { statusCode: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'internal error' }) };
    }
  };
