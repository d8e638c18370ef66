import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardedImageFetcher } from '#adapters/http/image-fetcher';
import { PhotoBudgetError, prefetchImages } from '#usecases/prefetch-images';
import { productPhoto } from '../support/catalog-fixture.ts';

let server: Server;
let base: string;
let inFlight = 0;
let maxInFlight = 0;
const served: string[] = [];

beforeAll(async () => {
  const jpeg = await productPhoto('#aa3366', 32);
  server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    served.push(req.url ?? '');
    // Every photo host answers in 100 ms; "/hang" never answers.
    if (req.url?.startsWith('/hang')) return;
    setTimeout(() => {
      inFlight--;
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
    }, 100);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('prefetchImages: Prepare fetches photos a few at a time within one budget', () => {
  it('keeps at most `concurrency` fetches in flight and never runs more than the window ahead', async () => {
    maxInFlight = 0;
    served.length = 0;
    const urls = Array.from({ length: 24 }, (_, i) => `${base}/p${i}.jpg`);
    const images = prefetchImages(new GuardedImageFetcher({ localMode: true }), urls, { concurrency: 4, window: 8, budgetMs: 20_000 });
    const first = await images.fetch(urls[0]);
    expect(first.length).toBeGreaterThan(100);
    // Asking for the first photo started at most window + 1 fetches, never the whole catalog.
    expect(served.length).toBeLessThanOrEqual(9);
    for (const url of urls.slice(1)) await images.fetch(url);
    // Parallel (more than one at a time), never above the bound; timing is left out (the machine may be busy).
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(served.length).toBe(24);
  });

  it('refuses photos not fetched by the deadline with a per-photo error, and returns on time', async () => {
    const urls = [`${base}/p-ok.jpg`, ...Array.from({ length: 10 }, (_, i) => `${base}/hang-${i}.jpg`)];
    const images = prefetchImages(new GuardedImageFetcher({ localMode: true, timeoutMs: 60_000 }), urls, { concurrency: 2, budgetMs: 600 });
    const started = performance.now();
    const outcomes = await Promise.all(
      urls.map((url) =>
        images.fetch(url).then(
          () => 'ok',
          (e: unknown) => e,
        ),
      ),
    );
    expect(outcomes[0]).toBe('ok');
    for (const outcome of outcomes.slice(1)) {
      expect(outcome).toBeInstanceOf(PhotoBudgetError);
      expect((outcome as PhotoBudgetError).message).toMatch(/budget/);
    }
    expect(performance.now() - started).toBeLessThan(1500);
  });
});
