import { RunInput } from '#ports/workflow-payloads';
import { prepareRun } from '#usecases/prepare-run';
import { defineHandler } from '../commons/define-handler.ts';

/** Prepare: ingest the catalog, expand product × template × channel, skip what is already published. */
export const makeHandler = defineHandler(RunInput, prepareRun);
