import type { ImageFetcher } from '#ports/image-fetcher';

/** Photos fetched at once while Prepare ingests a catalog (each fetch has its own 10 s cap in the fetcher). */
export const PHOTO_CONCURRENCY = 8;
/**
 * Wall time all of one Prepare's photo fetches may take together. Prepare's Lambda has 2 minutes
 * (TASK_PROFILES): 40 s of fetching leaves the rest for probing, storing and the tracker reads.
 */
export const PHOTO_BUDGET_MS = 40_000;
/** Fetches started ahead of the product being ingested; bounds the bytes held in memory. */
const WINDOW = PHOTO_CONCURRENCY * 2;

export class PhotoBudgetError extends Error {
  override readonly name = 'PhotoBudgetError';
  readonly code = 'PHOTO_BUDGET';
  constructor(
    readonly url: string,
    budgetMs: number,
  ) {
    super(
      `Image URL ${url} was not fetched: this catalog's photos took longer than the ${budgetMs / 1000} s budget of one run. ` +
        `Upload the catalog again in smaller files, or use faster image hosting.`,
    );
  }
}

/**
 * Wraps the host's fetcher for one catalog: the remote URLs (in catalog order) are fetched PHOTO_CONCURRENCY
 * at a time, up to WINDOW ahead of the product being ingested, all within one time budget; a URL not
 * started or not finished by the deadline is refused with PhotoBudgetError, which Prepare reports on that
 * product's row. So Prepare's time is bounded whatever the catalog size or the hosts' speed.
 */
export function prefetchImages(
  fetcher: ImageFetcher,
  urls: readonly string[],
  options: { concurrency?: number; budgetMs?: number; window?: number } = {},
): ImageFetcher {
  const concurrency = options.concurrency ?? PHOTO_CONCURRENCY;
  const budgetMs = options.budgetMs ?? PHOTO_BUDGET_MS;
  const window = Math.max(concurrency, options.window ?? WINDOW);
  const order = [...new Set(urls.filter((url) => /^[a-z][a-z0-9+.-]*:/i.test(url)))];
  const position = new Map(order.map((url, i) => [url, i]));
  const pending = new Map<string, Promise<Buffer>>();
  const deadline = Date.now() + budgetMs;
  let running = 0;
  let next = 0;
  const queue: Array<() => void> = [];
  const slot = () => new Promise<void>((resolve) => (running < concurrency ? (running++, resolve()) : queue.push(() => (running++, resolve()))));
  const release = () => {
    running--;
    queue.shift()?.();
  };
  const start = (url: string): Promise<Buffer> => {
    const promise = (async () => {
      await slot();
      try {
        const left = deadline - Date.now();
        if (left <= 0) throw new PhotoBudgetError(url, budgetMs);
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new PhotoBudgetError(url, budgetMs)), left);
        });
        try {
          return await Promise.race([fetcher.fetch(url), timeout]);
        } finally {
          clearTimeout(timer);
        }
      } finally {
        release();
      }
    })();
    promise.catch(() => undefined); // observed when the product asks for it
    pending.set(url, promise);
    return promise;
  };
  const fill = (upTo: number) => {
    for (; next < order.length && next <= upTo; next++) if (!pending.has(order[next])) start(order[next]);
  };
  return {
    fetch(url: string): Promise<Buffer> {
      const at = position.get(url);
      if (at === undefined) return fetcher.fetch(url);
      fill(at + window);
      const promise = pending.get(url) ?? start(url);
      pending.delete(url); // each product asks once; the bytes are not kept after it
      return promise;
    },
  };
}
