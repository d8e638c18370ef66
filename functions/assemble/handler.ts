import { AssembleInput } from '#ports/workflow-payloads';
import { assembleVariant } from '#usecases/assemble-variant';
import { defineHandler } from '../commons/define-handler.ts';

/** Assemble: one channel variant in one ffmpeg pass, into staging. */
export const makeHandler = defineHandler(AssembleInput, assembleVariant);
