import { FailureInput } from '#ports/workflow-payloads';
import { recordFailure } from '#usecases/record-failure';
import { defineHandler } from '../commons/define-handler.ts';

/** RecordFailure: the per-product Catch target; records the reason and lets the batch go on. */
export const makeHandler = defineHandler(FailureInput, recordFailure);
