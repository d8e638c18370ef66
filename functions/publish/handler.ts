import { PublishInput } from '#ports/workflow-payloads';
import { publishProduct } from '#usecases/publish-product';
import { defineHandler } from '../commons/define-handler.ts';

/** Publish: assets first, manifest last, tracker rows to published. */
export const makeHandler = defineHandler(PublishInput, publishProduct);
