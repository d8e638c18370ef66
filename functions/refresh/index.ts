import { awsTriggerDeps } from '../commons/aws-trigger-deps.ts';
import { makeHandler } from './handler.ts';

/** Lambda entry point (EventBridge Scheduler, one schedule per campaign). */
export const handler = makeHandler(awsTriggerDeps());
