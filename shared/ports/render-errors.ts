/**
 * Render endpoint errors and the ONE place that classifies provider failures. The workflow's Retry and
 * Catch match on these names, so they are stable: RenderRateLimitedError (longer jittered backoff),
 * RenderTransientError (short backoff), RenderProviderError (no retry: the attempt or the endpoint is
 * unusable, the shot falls back), RenderBudgetExceededError (stops spending: the product fails).
 */
export class RenderError extends Error {
  readonly code: string = 'RENDER';
}

/** The provider throttled us (HTTP 429 / ThrottlingException); retried by the workflow with a long jittered backoff. */
export class RenderRateLimitedError extends RenderError {
  override readonly name = 'RenderRateLimitedError';
  override readonly code = 'RENDER_RATE_LIMITED';
  constructor(
    readonly provider: string,
    readonly retryAfterSeconds: number | undefined,
    detail: string,
  ) {
    super(
      `${provider} is rate-limiting adline (${detail}); ` +
        `the workflow retries with backoff${retryAfterSeconds !== undefined ? ` (provider asks to wait ${retryAfterSeconds} s)` : ''}. ` +
        `Lower renderer.concurrency if this persists.`,
    );
  }
}

/** A failure that usually heals by itself: 5xx, connection reset, a request that hung past its timeout. */
export class RenderTransientError extends RenderError {
  override readonly name = 'RenderTransientError';
  override readonly code = 'RENDER_TRANSIENT';
}

/** A failure retrying the same request cannot fix: bad credentials, a rejected request, an unknown job. */
export class RenderProviderError extends RenderError {
  override readonly name = 'RenderProviderError';
  override readonly code: string = 'RENDER_PROVIDER';
  constructor(
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Submitting would take the run past the campaign's renderer budget. */
export class RenderBudgetExceededError extends RenderError {
  override readonly name = 'RenderBudgetExceededError';
  override readonly code = 'RENDER_BUDGET_EXCEEDED';
}

/** The campaign's renderer settings cannot work (no endpoint, no model, missing credentials). */
export class RenderConfigError extends RenderError {
  override readonly name = 'RenderConfigError';
  override readonly code = 'RENDER_CONFIG';
}

/** Parses Retry-After: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterSeconds(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.round((at - now) / 1000));
}

/**
 * Turns a provider's HTTP failure into the error the workflow routes on. Every provider adapter calls
 * this; nothing else decides what is worth retrying.
 */
export function classifyHttpFailure(provider: string, status: number, body: string, headers: { get(name: string): string | null }): RenderError {
  const detail = `HTTP ${status}${body ? `: ${body.slice(0, 300)}` : ''}`;
  // 429: every provider's throttle (Replicate "Request was throttled", RunPod queue full); honour Retry-After.
  if (status === 429) return new RenderRateLimitedError(provider, retryAfterSeconds(headers.get('retry-after')), detail);
  // 408 and 5xx: the provider or a gateway failed mid-request; fal itself retries runners on 503/504, so do we.
  if (status === 408 || status >= 500) return new RenderTransientError(`${provider} failed transiently (${detail}); retried with backoff.`);
  // 401/403: wrong or missing credentials; retrying cannot help, and the operator must fix the secret.
  if (status === 401 || status === 403)
    return new RenderProviderError(`${provider} refused the credentials (${detail}): set the provider's API token (see docs/render-protocol.md).`, status);
  // 404: the job or model is unknown (expired, deleted, wrong model id): the attempt is lost.
  if (status === 404) return new RenderProviderError(`${provider} does not know this job or model (${detail}): check renderer.model.`, status);
  // Other 4xx (400, 409, 413, 422): the request itself is wrong for this model; the same request fails again.
  return new RenderProviderError(`${provider} rejected the request (${detail}).`, status);
}

/** Network-level failures (refused, reset, timed out) are transient; anything else is re-thrown as is. */
export function classifyNetworkError(provider: string, error: unknown): Error {
  if (error instanceof RenderError) return error;
  const err = error as Error & { cause?: { code?: string } };
  // AbortSignal.timeout fires TimeoutError: the request hung; the next poll or submit retry tries again.
  if (err.name === 'TimeoutError' || err.name === 'AbortError')
    return new RenderTransientError(`${provider} did not answer in time (${err.message}); retried.`, { cause: error });
  // undici wraps ECONNREFUSED/ECONNRESET/EPIPE in "fetch failed": the endpoint is down or restarting.
  if (err.name === 'TypeError' && /fetch failed/.test(err.message))
    return new RenderTransientError(`${provider} is unreachable (${err.cause?.code ?? err.message}); retried.`, { cause: error });
  return err;
}

/** AWS SDK errors (Bedrock, SageMaker) by their modelled names and HTTP status. */
export function classifyAwsError(provider: string, error: unknown): Error {
  const err = error as Error & { $metadata?: { httpStatusCode?: number }; $response?: { headers?: Record<string, string> } };
  const status = err.$metadata?.httpStatusCode;
  // ThrottlingException / TooManyRequests / 429: rate limit, as for HTTP providers.
  if (/Throttl|TooManyRequests|ServiceQuotaExceeded/.test(err.name) || status === 429)
    return new RenderRateLimitedError(provider, undefined, `${err.name}: ${err.message}`);
  // ServiceUnavailable / InternalServer / ModelNotReady / any 5xx: transient on the AWS side.
  if (/ServiceUnavailable|InternalServer|ModelNotReady|InternalFailure/.test(err.name) || (status !== undefined && status >= 500))
    return new RenderTransientError(`${provider} failed transiently (${err.name}: ${err.message}); retried.`, { cause: error });
  // AccessDenied / UnrecognizedClient / Validation / ResourceNotFound: fixing config is the only cure.
  if (status !== undefined && status >= 400)
    return new RenderProviderError(`${provider} refused the request (${err.name}: ${err.message}).`, status, { cause: error });
  return classifyNetworkError(provider, error);
}
