import { awsDeps } from '../commons/aws-deps.ts';
import { makeHandler } from './handler.ts';

/** Lambda entry point: the handler wired to S3 and DynamoDB. */
export const handler = makeHandler(await awsDeps());
