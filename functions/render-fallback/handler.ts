import { RenderStepInput } from '#usecases/contracts';
import { fallbackRender } from '#usecases/render-endpoint';
import { defineHandler } from '../commons/define-handler.ts';

/** RenderFallback: the procedural render with the real product photo, when the endpoint keeps failing. */
export const makeHandler = defineHandler(RenderStepInput, fallbackRender);
