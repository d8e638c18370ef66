import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { handleReviewApi } from '#triggers/review-api';
import type { TriggerDeps } from '#ports/trigger-deps';
import { logger } from '../commons/logger.ts';
import { callerOf, reviewRequest, reviewRunId } from './caller.ts';
import { MIME } from '#domain/model/content-types';

export { callerOf, groupsOf } from './caller.ts';

/**
 * The review API behind API Gateway (HTTP API, Cognito JWT authorizer): every call is authenticated by
 * the authorizer before it gets here, and authorized per campaign from the caller's groups.
 */
export const makeHandler =
  (deps: TriggerDeps) =>
  async (event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<APIGatewayProxyStructuredResultV2> => {
    const claims = (event.requestContext.authorizer?.jwt?.claims ?? {}) as Record<string, unknown>;
    if (!claims.sub) return { statusCode: 401, headers: { 'content-type': MIME.json }, body: JSON.stringify({ error: 'Sign in first.' }) };
    try {
      const out = await handleReviewApi(deps, callerOf(claims), reviewRequest(event), reviewRunId);
      return { statusCode: out.status, headers: { 'content-type': out.contentType, 'cache-control': 'no-store', ...out.headers }, body: out.body };
    } catch (error) {
      logger.error('review API call failed', { error: error as Error, path: event.rawPath });
      return { statusCode: 500, headers: { 'content-type': MIME.json }, body: JSON.stringify({ error: 'internal error' }) };
    }
  };
