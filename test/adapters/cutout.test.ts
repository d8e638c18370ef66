import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FalCutout } from '#adapters/cutout/fal-cutout';
import { FsAssetStore } from '#adapters/local/fs-asset-store';
import { ImglyCutout } from '#adapters/cutout/imgly-cutout';
import { makeCutoutProvider } from '#adapters/cutout/cutout-factory';
import type { AssetStore } from '#ports/asset-store';
import { CutoutError } from '#ports/cutout';
import { analyzePhoto } from '#media/photo-analysis';
import { renderPlate } from '#media/procedural-plate';
import { cutoutKeys, cutoutPhoto, CutoutRecord } from '#usecases/cutout-photo';
import { catalogCutout, catalogPhoto } from '../support/catalog-photos.ts';
import { renderJob, tempDir } from '../media/media-fixtures.ts';

/*
 * The hosted cut-out adapter against a stand-in speaking fal's queue format (submit → request_id, status
 * IN_QUEUE → COMPLETED on the owner/app path, result {image: {url, …}}, the PNG on its own URL), which
 * answers with what BiRefNet returns: the photo with the product's silhouette as alpha.
 */

let server: Server;
let base: string;
let dir: string;
let cleanup: () => Promise<void>;
const calls: Array<{ method: string; url: string; auth?: string; body?: Record<string, unknown> }> = [];
let cutoutPng: Buffer;
let polls = 0;

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('cutout'));
  cutoutPng = await catalogCutout('busy');
  server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const text = await body(req);
    calls.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, ...(text ? { body: JSON.parse(text) } : {}) });
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (req.method === 'POST' && req.url === '/fal-ai/birefnet/v2')
      return json(200, {
        request_id: 'req-1',
        response_url: `${base}/fal-ai/birefnet/requests/req-1`,
        status_url: `${base}/fal-ai/birefnet/requests/req-1/status`,
      });
    if (req.method === 'GET' && req.url === '/fal-ai/birefnet/requests/req-1/status')
      return json(200, polls++ === 0 ? { status: 'IN_QUEUE', queue_position: 0 } : { status: 'COMPLETED', logs: [] });
    if (req.method === 'GET' && req.url === '/fal-ai/birefnet/requests/req-1')
      return json(200, {
        image: { url: `${base}/files/cut.png`, content_type: 'image/png', file_name: 'cut.png', file_size: cutoutPng.length, width: 640, height: 480 },
      });
    if (req.method === 'GET' && req.url === '/files/cut.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      return res.end(cutoutPng);
    }
    json(404, { detail: 'not found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await cleanup();
});

describe('cut-out for busy photos', () => {
  it('cuts a busy photo out through fal once, records the cost, and the plate then lays it out isolated', async () => {
    const provider = new FalCutout({ endpoint: base, model: 'fal-ai/birefnet/v2', key: 'k-123', timeoutMs: 5000, pollMs: 10, priceUsd: 0.002 });
    const store: AssetStore = new FsAssetStore(dir);
    const photo = await catalogPhoto('busy');
    const analysis = await analyzePhoto(photo.bytes, 'busy');
    expect(analysis.photoClass).toBe('busy');
    const deps = { store, cutout: provider, now: () => new Date('2026-01-01T00:00:00Z') };
    const png = await cutoutPhoto(deps, 'images/abc.jpg', analysis, photo.bytes);
    expect(png).toBeDefined();
    const submit = calls.find((c) => c.method === 'POST')!;
    expect(submit.auth).toBe('Key k-123');
    expect(String(submit.body!.image_url)).toMatch(/^data:image\/jpeg;base64,/);
    expect(submit.body).toMatchObject({ output_format: 'png' });
    const record = CutoutRecord.parse(JSON.parse((await store.getBytes(cutoutKeys('images/abc.jpg').record)).toString('utf8')));
    expect(record).toMatchObject({ provider: 'fal', model: 'fal-ai/birefnet/v2', requestId: 'req-1', costUsd: 0.002 });
    // Cached: a second shot of the same photo costs nothing and calls nobody.
    const before = calls.length;
    expect((await cutoutPhoto(deps, 'images/abc.jpg', analysis, photo.bytes))!.equals(png!)).toBe(true);
    expect(calls.length).toBe(before);
    // The cut-out has its own alpha: an isolated product, large on the designed backdrop.
    const result = await renderPlate({ job: renderJob({ width: 180, height: 320 }), image: png, outPath: `${dir}/cut.png` });
    expect(result.frame).toMatchObject({ photoClass: 'alpha', layout: 'isolated' });
    expect(result.frame!.productBox!.w).toBeGreaterThan(180 * 0.5);
  });

  it('leaves non-busy photos alone and records a failed provider once (no second charge)', async () => {
    const store: AssetStore = new FsAssetStore(`${dir}/fail`);
    let tries = 0;
    const failing = {
      kind: 'fal',
      cutout: async () => {
        tries++;
        throw new CutoutError('fal is down');
      },
    };
    const photo = await catalogPhoto('busy');
    const analysis = await analyzePhoto(photo.bytes, 'busy');
    const deps = { store, cutout: failing, now: () => new Date() };
    expect(await cutoutPhoto(deps, 'images/x.jpg', { ...analysis, photoClass: 'plain' }, photo.bytes)).toBeUndefined();
    expect(tries).toBe(0);
    expect(await cutoutPhoto(deps, 'images/x.jpg', analysis, photo.bytes)).toBeUndefined();
    expect(await cutoutPhoto(deps, 'images/x.jpg', analysis, photo.bytes)).toBeUndefined();
    expect(tries).toBe(1);
    expect(JSON.parse((await store.getBytes(cutoutKeys('images/x.jpg').record)).toString('utf8')).error).toMatch(/fal is down/);
  });

  it('configures from the environment: none by default, fal with its key, imgly only when asked', () => {
    expect(makeCutoutProvider({})).toBeUndefined();
    expect(makeCutoutProvider({ ADLINE_CUTOUT: 'fal', FAL_KEY: 'k' })?.kind).toBe('fal');
    expect(() => makeCutoutProvider({ ADLINE_CUTOUT: 'fal' })).toThrow(/FAL_KEY/);
    expect(makeCutoutProvider({ ADLINE_CUTOUT: 'imgly' })?.kind).toBe('imgly');
  });

  it('loads @imgly/background-removal-node only on demand, with the install recipe when it is missing', async () => {
    const missing = new ImglyCutout(async () => {
      throw new Error("Cannot find package '@imgly/background-removal-node'");
    });
    await expect(missing.cutout({ bytes: Buffer.from('x'), contentType: 'image/jpeg' })).rejects.toThrow(/AGPL-3\.0.*README/);
    const seen: string[] = [];
    const fake = new ImglyCutout(async (name) => {
      seen.push(name);
      return { removeBackground: async (blob: Blob) => new Blob([await blob.arrayBuffer()], { type: 'image/png' }) };
    });
    const out = await fake.cutout({ bytes: cutoutPng, contentType: 'image/png' });
    expect(seen).toEqual(['@imgly/background-removal-node']);
    expect(out.png.equals(cutoutPng)).toBe(true);
  });
});
