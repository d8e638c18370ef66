import type { APIGatewayProxyStructuredResultV2, LambdaFunctionURLEvent } from 'aws-lambda';
import { receiveShopifyWebhook, type ShopifyConfig } from '#triggers/shopify-delivery';
import type { TriggerDeps } from '#ports/trigger-deps';
import { MIME } from '#domain/model/content-types';

/**
 * Shopify HTTPS webhook behind a Lambda Function URL: the raw body (base64-decoded when the URL
 * encoded it) goes to the HMAC check untouched; the run starts asynchronously, so the ack is fast.
 */
export const makeHandler =
  (deps: TriggerDeps, config: ShopifyConfig) =>
  async (event: LambdaFunctionURLEvent): Promise<APIGatewayProxyStructuredResultV2> => {
    const rawBody = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    const result = await receiveShopifyWebhook(deps, config, { rawBody, headers: event.headers ?? {} });
    return { statusCode: result.status, headers: { 'content-type': MIME.json }, body: JSON.stringify(result.body) };
  };
