import { RenderStepInput } from '#ports/workflow-payloads';
import { submitRender } from '#usecases/render-endpoint';
import { defineHandler } from '../commons/define-handler.ts';

/** RenderSubmit: submits a shot's current attempt (intent recorded first), or renders it procedurally. */
export const makeHandler = defineHandler(RenderStepInput, submitRender);
