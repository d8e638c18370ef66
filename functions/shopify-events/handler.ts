import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { receiveShopifyEvent, type ShopifyConfig } from '#triggers/shopify-delivery';
import type { TriggerDeps } from '#ports/trigger-deps';

/**
 * Shopify partner events: EventBridge rule → SQS → here. SQS hands over the event's raw JSON text, so
 * 64-bit ids are parsed losslessly (a direct Lambda target would get them already rounded).
 * A failed record is reported alone and retried; the rest of the batch is done.
 */
export const makeHandler =
  (deps: TriggerDeps, config: ShopifyConfig) =>
  async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        await receiveShopifyEvent(deps, config, record.body);
      } catch {
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
