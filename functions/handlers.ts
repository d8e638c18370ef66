import type { TaskName } from '#infra/workflow';
import type { Deps } from '#ports/deps';
import type { TaskHandler } from './commons/define-handler.ts';
import { makeHandler as assemble } from './assemble/handler.ts';
import { makeHandler as plan } from './plan/handler.ts';
import { makeHandler as prepare } from './prepare/handler.ts';
import { makeHandler as publish } from './publish/handler.ts';
import { makeHandler as recordFailure } from './record-failure/handler.ts';
import { makeHandler as renderFallback } from './render-fallback/handler.ts';
import { makeHandler as renderPoll } from './render-poll/handler.ts';
import { makeHandler as renderSubmit } from './render-submit/handler.ts';
import { makeHandler as summarize } from './summarize/handler.ts';
import { makeHandler as validate } from './validate/handler.ts';

/** Every task's handler factory, keyed by the task name the workflow uses. */
export const HANDLER_FACTORIES: Record<TaskName, (deps: Deps) => TaskHandler> = {
  prepare,
  plan,
  'render-submit': renderSubmit,
  'render-poll': renderPoll,
  'render-fallback': renderFallback,
  assemble,
  validate,
  publish,
  'record-failure': recordFailure,
  summarize,
};
