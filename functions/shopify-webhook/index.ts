import { awsShopifyConfig, awsTriggerDeps } from '../commons/aws-trigger-deps.ts';
import { makeHandler } from './handler.ts';

/** Lambda entry point (Function URL): the webhook handler wired to S3, DynamoDB, Step Functions and Secrets Manager. */
export const handler = makeHandler(awsTriggerDeps(), await awsShopifyConfig());
