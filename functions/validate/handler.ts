import { AssembledVariant } from '#ports/workflow-payloads';
import { validateVariant } from '#usecases/validate-variant';
import { defineHandler } from '../commons/define-handler.ts';

/** Validate: ffprobe the variant against its channel spec. */
export const makeHandler = defineHandler(AssembledVariant, validateVariant);
