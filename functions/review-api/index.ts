import { awsTriggerDeps } from '../commons/aws-trigger-deps.ts';
import { makeHandler } from './handler.ts';

const deps = awsTriggerDeps();
const expiry = Number(process.env.FEED_URL_EXPIRY_SECONDS ?? 604_800);

/** Lambda entry point (HTTP API route ANY /review/api/{proxy+}): the review API on S3, DynamoDB and Step Functions. */
export const handler = makeHandler({ ...deps, feedUrls: { expiresSeconds: Number.isFinite(expiry) && expiry > 0 ? expiry : 604_800 } });
