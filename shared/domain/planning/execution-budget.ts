/**
 * How many products one Standard execution of the workflow may carry without nearing its caps: 25,000
 * history events and 262,144 bytes of state (shared/reference/aws.md §3). Events are counted from the
 * workflow's shape (infra/workflow.ts) with the events AWS writes per state type; the counts per product,
 * variant, render job and poll are checked against the local engine's event log by
 * test/workflow/execution-budget.test.ts, so a workflow change that adds states fails there first.
 */
export const HISTORY_CAP = 25_000;
export const PAYLOAD_CAP = 262_144;
/** Plan to at most this share of each cap (a 20 % margin for retries and what the model leaves out). */
export const CAP_SHARE = 0.8;

/** History events AWS writes per state entered, by state type (Task: Entered, Scheduled, Started, Succeeded, Exited). */
export const EVENTS_PER_STATE = { Task: 5, Pass: 2, Choice: 2, Wait: 2, Succeed: 2, Fail: 2, Map: 4, Parallel: 4 } as const;
/** Per Map iteration: MapIterationStarted and MapIterationSucceeded. */
export const EVENTS_PER_ITERATION = 2;
/** A retried Task adds TaskFailed, TaskScheduled, TaskStarted. */
export const EVENTS_PER_RETRY = 3;

const S = EVENTS_PER_STATE;
/**
 * The workflow's events, by what repeats. Execution: ExecutionStarted/Succeeded, Prepare, the Products
 * Map, Summarize. Product: its iteration, ProcessProduct (Parallel), Plan, the RenderShots and
 * AssembleVariants Maps, Publish. Variant: its iteration, Assemble, Validate. Render job: its iteration,
 * RenderSubmit, RenderNext, Rendered, and a RenderFallback in the worst case. Poll: RenderWait, RenderPoll, RenderNext.
 */
export const WORKFLOW_EVENTS = {
  execution: 2 + S.Task + S.Map + S.Task,
  product: EVENTS_PER_ITERATION + S.Parallel + S.Task + S.Map + S.Map + S.Task,
  variant: EVENTS_PER_ITERATION + S.Task + S.Task,
  renderJob: EVENTS_PER_ITERATION + S.Task + S.Choice + S.Pass,
  fallback: S.Task,
  poll: S.Wait + S.Task + S.Choice,
} as const;

/** What one product of a campaign can cost an execution, at most. */
export interface ProductShape {
  /** Ads per product: templates × channels (each a variant). */
  variants: number;
  /** Render jobs per product, at most: shots of each template × distinct video families (jobs are shared within a family). */
  renderJobs: number;
  /** The campaign's renderer: procedural renders inline (no polls); others poll every pollSeconds until timeoutSeconds, per attempt. */
  renderer: { kind: string; pollSeconds: number; timeoutSeconds: number; maxAttempts: number };
  /** Longest SKU of the catalog (the payload carries it several times per product). */
  skuLength?: number;
}

/** Polls one render job can take at most: every attempt polled until its timeout. */
export function worstCasePolls(renderer: ProductShape['renderer']): number {
  if (renderer.kind === 'procedural') return 0;
  return renderer.maxAttempts * Math.ceil(renderer.timeoutSeconds / Math.max(1, renderer.pollSeconds));
}

/** History events one product adds to an execution, worst case (every job polled to its timeout, then the fallback). */
export function eventsPerProduct(shape: ProductShape): number {
  const e = WORKFLOW_EVENTS;
  const polls = worstCasePolls(shape.renderer);
  const perJob = e.renderJob + polls * e.poll + (shape.renderer.kind === 'procedural' ? 0 : e.fallback);
  return e.product + shape.variants * e.variant + shape.renderJobs * perJob;
}

/**
 * Bytes one product adds to the state that carries the Products Map's items: Prepare's ProductItem
 * (run id and campaign key ≤ 64 and 96 characters, the SKU, a product key and hash, and per variant a
 * template id, channel id, a 64-hex input hash and a generation), written as JSON. Upper bound.
 */
export function bytesPerProduct(shape: ProductShape): number {
  const sku = shape.skuLength ?? 128;
  const item =
    2 +
    '"runId":"",'.length +
    64 +
    '"campaignKey":"",'.length +
    96 +
    '"sku":"",'.length +
    sku +
    '"productKey":"products//.json",'.length +
    sku +
    64 +
    '"productHash":"",'.length +
    64 +
    '"variants":[]'.length;
  const variant = '{"templateId":"","channel":"","inputHash":"","generation":9999},'.length + 48 + 48 + 64;
  return item + 1 + shape.variants * variant;
}

/** Products per execution: the most that keep both the history and the payload within CAP_SHARE of their caps (at least 1). */
export function productsPerExecution(shape: ProductShape): number {
  const byHistory = Math.floor((HISTORY_CAP * CAP_SHARE - WORKFLOW_EVENTS.execution) / eventsPerProduct(shape));
  const byPayload = Math.floor((PAYLOAD_CAP * CAP_SHARE - 4096) / bytesPerProduct(shape));
  return Math.max(1, Math.min(byHistory, byPayload));
}

/** The worst-case history events and payload bytes of one execution carrying `products` such products. */
export function executionLoad(shape: ProductShape, products: number): { events: number; bytes: number } {
  return { events: WORKFLOW_EVENTS.execution + products * eventsPerProduct(shape), bytes: 4096 + products * bytesPerProduct(shape) };
}
