import { classifyHttpFailure, classifyNetworkError, RenderProviderError } from '#ports/render-errors';
import { MIME } from '#domain/model/content-types';

export interface HttpCall {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
}

/** One JSON request to a provider, with a hard timeout and failures classified in render-errors.ts. */
export async function httpJson(provider: string, call: HttpCall): Promise<{ status: number; json: unknown; headers: Headers }> {
  let response: Response;
  try {
    response = await fetch(call.url, {
      method: call.method,
      headers: { accept: MIME.json, ...(call.body !== undefined ? { 'content-type': MIME.json } : {}), ...call.headers },
      body: call.body !== undefined ? JSON.stringify(call.body) : undefined,
      signal: AbortSignal.timeout(call.timeoutMs),
    });
  } catch (error) {
    throw classifyNetworkError(provider, error);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw classifyNetworkError(provider, error);
  }
  if (!response.ok) throw classifyHttpFailure(provider, response.status, text, response.headers);
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new RenderProviderError(`${provider} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`, response.status, {
        cause: error,
      });
    }
  }
  return { status: response.status, json, headers: response.headers };
}

/** Downloads an output (https or data: URL) with a timeout; failures are classified like any provider call. */
export async function httpBytes(provider: string, url: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw classifyHttpFailure(provider, response.status, await response.text().catch(() => ''), response.headers);
    return Buffer.from(await response.arrayBuffer());
  } catch (error) {
    throw classifyNetworkError(provider, error);
  }
}

/** Encodes the product photo as a data: URL, which Replicate and fal accept wherever they take a file URL. */
export function dataUrl(image: { bytes: Buffer; contentType: string }): string {
  return `data:${image.contentType};base64,${image.bytes.toString('base64')}`;
}

/** Joins a base URL and a path without doubling or dropping slashes. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
