import { ProductItem } from '#ports/workflow-payloads';
import { planProduct } from '#usecases/plan-product';
import { defineHandler } from '../commons/define-handler.ts';

/** Plan: storyboards for one product's variants and its unique render jobs. */
export const makeHandler = defineHandler(ProductItem, planProduct);
