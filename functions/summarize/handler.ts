import { SummarizeInput } from '#ports/workflow-payloads';
import { summarizeRun } from '#usecases/summarize-run';
import { defineHandler } from '../commons/define-handler.ts';

/** Summarize: the run's counts and the gallery page. */
export const makeHandler = defineHandler(SummarizeInput, summarizeRun);
