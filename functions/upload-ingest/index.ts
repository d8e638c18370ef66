import { makeS3Client, S3AssetStore } from '#adapters/aws/s3-asset-store';
import { awsTriggerDeps } from '../commons/aws-trigger-deps.ts';
import { makeHandler } from './handler.ts';

if (!process.env.UPLOADS_BUCKET) throw new Error('UPLOADS_BUCKET is not set on the function (the triggers construct sets it).');
const uploads = new S3AssetStore({
  client: makeS3Client({ region: process.env.AWS_REGION }),
  bucket: process.env.UPLOADS_BUCKET,
  cacheDir: '/tmp/adline-uploads',
});
/** Lambda entry point (EventBridge, S3 Object Created on the uploads bucket). */
export const handler = makeHandler(awsTriggerDeps(), uploads);
