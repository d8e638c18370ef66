import { MEDIA_ENGINE } from '#media/media-engine';
import { awsDeps } from '../commons/aws-deps.ts';
import { makeHandler } from './handler.ts';

/** Lambda entry point: the handler wired to S3, DynamoDB and the media layer's ffmpeg and sharp. */
export const handler = makeHandler(await awsDeps(process.env, MEDIA_ENGINE));
