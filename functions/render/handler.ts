import { RenderShotInput } from '#usecases/contracts';
import { renderShot } from '#usecases/render-shot';
import { defineHandler } from '../commons/define-handler.ts';

/** Render: one shot, reused when a render with the same hash exists. */
export const makeHandler = defineHandler(RenderShotInput, renderShot);
