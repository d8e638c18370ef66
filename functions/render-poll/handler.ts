import { RenderStepInput } from '#ports/workflow-payloads';
import { pollRender } from '#usecases/render-endpoint';
import { defineHandler } from '../commons/define-handler.ts';

/** RenderPoll: checks the attempt; stores and quality-checks a finished output, or moves to the next seed or the fallback. */
export const makeHandler = defineHandler(RenderStepInput, pollRender);
