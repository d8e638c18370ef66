import { RenderStepInput } from '#ports/workflow-payloads';
import { fallbackRender } from '#usecases/render-endpoint';
import { defineHandler } from '../commons/define-handler.ts';

/** RenderFallback: the procedural render with the real product photo, when the endpoint keeps failing. */
export const makeHandler = defineHandler(RenderStepInput, fallbackRender);
