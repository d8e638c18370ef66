import { readFile, rm, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStoryboard } from '#usecases/load-documents';
import { openLocalHost, type LocalHost } from '../../local/local-host.ts';
import { followRun, uploadRunInput } from '../../local/local-run.ts';
import { startLocalServer, type LocalServer } from '../../local/server.ts';
import { productPhoto, writeCatalog } from '../support/catalog-fixture.ts';
import { TINY_CHANNELS } from '../support/tiny-channels.ts';

const CAMPAIGN = 'test-campaign';
const API = `/review/api/campaigns/${CAMPAIGN}`;

/** Rows of a CSV text without Meta-style comment lines. */
const csvRows = (text: string) => parse(text, { comment: '#', columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;

describe('review app API on the local server: review states, feeds, edits, reseeds, the session token', () => {
  let root: string;
  let host: LocalHost;
  let server: LocalServer;
  let cookie = '';
  const post = (path: string, body: unknown, headers: Record<string, string> = { cookie }) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const ads = async () => await host.deps.tracker.listAds({ campaignId: CAMPAIGN });
  const ad = async (sku: string, channel: string) => (await ads()).find((a) => a.sku === sku && a.channel === channel)!;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-review-'));
    const dir = join(root, 'input');
    const files = await writeCatalog(
      dir,
      [
        { sku: 'MUG-1', title: 'Trail Mug', price: 24, compareAt: 30, images: ['a.jpg'] },
        { sku: 'LAMP-2', title: 'Desk Lamp', price: 40, images: ['b.jpg', 'c.jpg'] },
      ],
      ['tiny-tiktok', 'tiny-feed-4x5'],
    );
    await writeFile(join(dir, 'a.jpg'), await productPhoto('#aa3322', 240));
    await writeFile(join(dir, 'b.jpg'), await productPhoto('#3322aa', 240));
    await writeFile(join(dir, 'c.jpg'), await productPhoto('#22aa33', 240));
    host = await openLocalHost({ outDir: join(root, 'out'), stateDir: join(root, 'state'), inMemoryTracker: true, extraChannels: TINY_CHANNELS });
    const input = await uploadRunInput(host, { catalogPath: files.catalog, campaignPath: files.campaign, runId: 'run-initial' });
    await followRun(host, (await host.start(input, input.runId)).executionId);
    server = await startLocalServer({
      host,
      defaultCampaignKey: input.campaignKey,
      shopify: { secrets: ['x'], campaignKeys: [input.campaignKey], currency: 'USD' },
    });
  });

  afterAll(async () => {
    await server?.close();
    await server?.idle();
    await host?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('refuses every state-changing call without the session token (403), and the printed link trades it for a same-site cookie', async () => {
    const approve = { action: 'approve', targets: [{ sku: 'MUG-1' }] };
    expect((await post(`${API}/review`, approve, {})).status).toBe(403);
    expect((await post(`${API}/review`, approve, { 'x-adline-token': 'guess' })).status).toBe(403);
    expect((await post(`${API}/review`, approve, { cookie: 'adline_token=guess' })).status).toBe(403);
    expect((await fetch(`${server.url}/uploads?name=a.csv`, { method: 'POST', body: 'sku\n' })).status).toBe(403);
    expect((await post(`${API}/products/MUG-1/copy`, { headline: 'x' }, {})).status).toBe(403);
    expect((await post(`${API}/regenerate`, { sku: 'MUG-1', templateId: 'product-hero', shot: 0 }, {})).status).toBe(403);
    const refused = await post(`${API}/review`, approve, {});
    expect(await refused.text()).not.toContain(server.token);
    expect((await ads()).every((a) => a.review?.state === 'in-review')).toBe(true);

    expect((await fetch(`${server.url}/review?token=wrong`, { redirect: 'manual' })).status).toBe(403);
    const link = await fetch(`${server.url}/review?token=${server.token}`, { redirect: 'manual' });
    expect(link.status).toBe(303);
    const setCookie = link.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    cookie = setCookie.split(';')[0]!;
    const page = await fetch(`${server.url}/review`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('/review/assets/review.js');
  });

  it('lists the campaign with every variant in review, its QC figures and cost', async () => {
    const view = await (await fetch(`${server.url}${API}`)).json();
    expect(view.products.map((p: { sku: string }) => p.sku).sort()).toEqual(['LAMP-2', 'MUG-1']);
    const variants = view.products.flatMap((p: { ads: unknown[] }) => p.ads);
    expect(variants).toHaveLength(4);
    for (const v of variants) {
      expect(v).toMatchObject({ status: 'in-review', take: 1, takes: 1 });
      expect(v.shots.length).toBeGreaterThan(0);
      expect(v.video).toMatch(/^ads\/test-campaign\//);
    }
  });

  it('approve and reject change the tracker (who, when, reason); a rejection without a reason is refused', async () => {
    expect((await post(`${API}/review`, { action: 'reject', targets: [{ sku: 'LAMP-2', templateId: 'product-hero', channel: 'tiny-feed-4x5' }] })).status).toBe(
      400,
    );
    const approved = await post(
      `${API}/review`,
      { action: 'approve', targets: [{ sku: 'MUG-1', templateId: 'product-hero', channel: 'tiny-feed-4x5' }] },
      { cookie, 'x-adline-reviewer': 'Dana' },
    );
    expect(await approved.json()).toEqual({ changed: 1, errors: [] });
    const rejected = await post(
      `${API}/review`,
      { action: 'reject', reason: 'logo too small', targets: [{ sku: 'LAMP-2', templateId: 'product-hero', channel: 'tiny-feed-4x5' }] },
      { cookie, 'x-adline-reviewer': 'Sam' },
    );
    expect((await rejected.json()).changed).toBe(1);
    const mug = await ad('MUG-1', 'tiny-feed-4x5');
    expect(mug.review).toMatchObject({ state: 'approved', by: 'Dana' });
    expect(Date.parse(mug.review!.at)).toBeGreaterThan(0);
    expect(mug.takes![0]!.review?.state).toBe('approved');
    expect((await ad('LAMP-2', 'tiny-feed-4x5')).review).toMatchObject({ state: 'rejected', by: 'Sam', reason: 'logo too small' });
    expect((await ad('MUG-1', 'tiny-tiktok')).review?.state).toBe('in-review');
  });

  it('the Meta feed has the documented columns and only the approved ad, at a URL this server serves', async () => {
    const fixture = (await readFile(new URL('../fixtures/feeds/meta-dynamic-media.csv', import.meta.url), 'utf8'))
      .split('\n')
      .find((l) => l && !l.startsWith('#'))!;
    const res = await fetch(`${server.url}${API}/feeds/meta-catalog.csv`);
    expect(res.headers.get('content-disposition')).toMatch(/attachment/);
    const text = await res.text();
    expect(text.split('\n')[0]).toBe(fixture);
    const rows = csvRows(text);
    expect(rows).toEqual([
      {
        id: 'MUG-1',
        'video[0].url': `${server.url}/ads/test-campaign/MUG-1/product-hero/tiny-feed-4x5.mp4`,
        'video[0].tag[0]': 'product-hero',
        'video[0].tag[1]': 'tiny-feed-4x5',
      },
    ]);
    const video = await fetch(rows[0]!['video[0].url']!);
    expect(video.status).toBe(200);
    expect(video.headers.get('content-type')).toBe('video/mp4');
    // The written copy under feeds/ was regenerated by the approval.
    expect(csvRows((await host.deps.store.getBytes('feeds/test-campaign/meta-catalog.csv')).toString('utf8'))).toEqual(rows);
    expect(csvRows(await (await fetch(`${server.url}${API}/feeds/tiktok-catalog.csv`)).text())).toEqual([]);
  });

  it('bulk approve takes many variants at once; TikTok and Google feeds and the manifest follow', async () => {
    const out = await (
      await post(`${API}/review`, {
        action: 'approve',
        targets: [
          { sku: 'MUG-1', templateId: 'product-hero', channel: 'tiny-tiktok' },
          { sku: 'LAMP-2', templateId: 'product-hero', channel: 'tiny-tiktok' },
        ],
      })
    ).json();
    expect(out.changed).toBe(2);
    const tiktok = csvRows(await (await fetch(`${server.url}${API}/feeds/tiktok-catalog.csv`)).text());
    expect(tiktok.map((r) => r.sku_id).sort()).toEqual(['LAMP-2', 'MUG-1']);
    expect(tiktok.every((r) => r.video_link!.endsWith('/tiny-tiktok.mp4'))).toBe(true);
    expect((await (await fetch(`${server.url}${API}/feeds/google-merchant.tsv`)).text()).trim()).toBe('id\tvideo_link');
    const manifest = await (await fetch(`${server.url}${API}/feeds/manifest.json`)).json();
    expect(manifest.items.map((i: { sku: string; channel: string }) => `${i.sku}/${i.channel}`).sort()).toEqual([
      'LAMP-2/tiny-tiktok',
      'MUG-1/tiny-feed-4x5',
      'MUG-1/tiny-tiktok',
    ]);
  });

  it('validates every input with zod and leaks no paths in errors', async () => {
    for (const [path, body] of [
      [`${API}/products/MUG-1/copy`, { headline: 'ok', extra: 1 }],
      [`${API}/products/MUG-1/copy`, { headline: 'bad\u0007bell' }],
      [`${API}/regenerate`, { sku: '../etc', templateId: 'product-hero', shot: 0 }],
      [`${API}/review`, { action: 'delete', targets: [{ sku: 'MUG-1' }] }],
    ] as const) {
      const res = await post(path, body);
      expect(res.status, path).toBe(400);
      const text = await res.text();
      expect(text).not.toContain(root);
      expect(text).not.toMatch(/at .*\.ts:\d+/);
    }
    expect((await fetch(`${server.url}/review/api/campaigns/NOPE`)).status).toBe(400);
    expect((await fetch(`${server.url}/review/api/campaigns/nope`)).status).toBe(404);
  });

  it("editing a headline re-renders only that product's variants, as a new take with its own files; the new take goes back to review", async () => {
    const before = await ads();
    const res = await post(`${API}/products/MUG-1/copy`, { headline: 'The Trail Mug, reimagined' });
    expect(res.status).toBe(202);
    await server.idle();
    const after = await ads();
    for (const a of after) {
      const old = before.find((b) => b.sku === a.sku && b.channel === a.channel)!;
      if (a.sku === 'MUG-1') {
        expect(a.takes!.map((t) => t.take)).toEqual([1, 2]);
        expect(a.variantHash).not.toBe(old.variantHash);
        expect(a.takes![0]!.video).not.toBe(a.takes![1]!.video);
        expect(await host.deps.store.exists(a.takes![0]!.video)).toBe(true);
        // The current path holds the newest take.
        expect((await host.deps.store.getBytes(a.outputs.video!)).equals(await host.deps.store.getBytes(a.takes![1]!.video))).toBe(true);
        expect(a.review?.state).toBe('in-review');
        const storyboard = await loadStoryboard(host.deps.store, `storyboards/${a.storyboardHash}.json`);
        expect(storyboard.overlays.some((o) => o.slot === 'headline' && o.text.replace(/\n/g, ' ').includes('reimagined'))).toBe(true);
      } else {
        expect(a).toEqual(old); // LAMP-2 untouched: same row, same version
      }
    }
    // The approved MUG-1 take was replaced by one not yet reviewed: the Meta feed is empty again.
    expect(csvRows(await (await fetch(`${server.url}${API}/feeds/meta-catalog.csv`)).text())).toEqual([]);
  });

  it('an edit that leaves a storyboard as it was renders nothing (the hashes decide)', async () => {
    const before = await ad('LAMP-2', 'tiny-tiktok');
    expect((await post(`${API}/products/LAMP-2/copy`, { headline: 'Desk Lamp' })).status).toBe(202);
    await server.idle();
    const after = await ad('LAMP-2', 'tiny-tiktok');
    expect(after.takes).toEqual(before.takes);
    expect(after.storyboardHash).toBe(before.storyboardHash);
    expect(after.inputHash).not.toBe(before.inputHash);
    expect(after.review?.state).toBe('approved');
  });

  it('regenerating one shot gives that shot the next seed and a new take; other products stay as they are', async () => {
    const lampBefore = await ad('LAMP-2', 'tiny-feed-4x5');
    const mugBefore = await ad('MUG-1', 'tiny-feed-4x5');
    const oldBoard = await loadStoryboard(host.deps.store, `storyboards/${lampBefore.storyboardHash}.json`);
    const res = await post(`${API}/regenerate`, { sku: 'LAMP-2', templateId: 'product-hero', shot: 0 });
    expect(await res.json()).toMatchObject({ take: 1 });
    await server.idle();
    const lamp = await ad('LAMP-2', 'tiny-feed-4x5');
    expect(lamp.takes!.map((t) => t.take)).toEqual([1, 2]);
    expect(lamp.takes![0]!.review).toMatchObject({ state: 'rejected', reason: 'logo too small' });
    expect(lamp.review?.state).toBe('in-review');
    const board = await loadStoryboard(host.deps.store, `storyboards/${lamp.storyboardHash}.json`);
    expect(board.shots[0]!.seed).not.toBe(oldBoard.shots[0]!.seed);
    expect(board.shots.slice(1).map((s) => s.seed)).toEqual(oldBoard.shots.slice(1).map((s) => s.seed));
    expect(await ad('MUG-1', 'tiny-feed-4x5')).toEqual(mugBefore);
  });
});
