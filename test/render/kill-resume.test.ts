import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalHost } from '../../local/local-host.ts';
import { PACKAGE_ROOT } from '../../local/local-host.ts';
import { startRenderServer, type RenderServer } from '../../local/render-server.ts';
import { productPhoto, writeCatalog } from '../support/catalog-fixture.ts';
import { TINY_CHANNELS } from '../support/tiny-channels.ts';

const CHANNEL = TINY_CHANNELS[0];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('killing a local run mid-render and running it again', () => {
  let root: string;
  let server: RenderServer;
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let files: { catalog: string; campaign: string };
  let channelsFile: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-kill-'));
    // The second job of the first run hangs until the test releases it (after the kill): a render in flight.
    server = await startRenderServer({
      concurrency: 4,
      hooks: {
        async produce(job, _out, render) {
          if (job === server.jobs[1]) await gate;
          return render();
        },
      },
    });
    const dir = join(root, 'input');
    files = await writeCatalog(
      dir,
      [
        { sku: 'K-1', title: 'Blue Bottle', price: 12, images: ['blue.jpg'] },
        { sku: 'K-2', title: 'Green Box', price: 30, images: ['green.jpg'] },
      ],
      [CHANNEL.id],
    );
    await writeFile(join(dir, 'blue.jpg'), await productPhoto('#2255cc'));
    await writeFile(join(dir, 'green.jpg'), await productPhoto('#22aa55'));
    const campaign = JSON.parse(await readFile(files.campaign, 'utf8'));
    await writeFile(files.campaign, JSON.stringify({ ...campaign, renderer: { kind: 'procedural', pollSeconds: 1, timeoutSeconds: 120 } }));
    channelsFile = join(root, 'channels.json');
    await writeFile(channelsFile, JSON.stringify(TINY_CHANNELS));
  });

  afterAll(async () => {
    release();
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  const cli = (): ChildProcess =>
    spawn(
      process.execPath,
      [
        join(PACKAGE_ROOT, 'bin/adline.js'),
        'run',
        files.catalog,
        '--campaign',
        files.campaign,
        '--renderer',
        server.url,
        '--channels',
        CHANNEL.id,
        '--channels-file',
        channelsFile,
        '--out',
        join(root, 'out'),
        '--state',
        join(root, 'state'),
      ],
      { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
  const exit = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  it('submits no job twice and re-renders no finished shot', async () => {
    const first = cli();
    const firstExit = exit(first);
    // Kill once one shot is finished on the server and another is still rendering, and the CLI has had time to record it.
    for (let i = 0; i < 600 && !(server.jobs.length >= 2 && server.jobs[0].state === 'SUCCEEDED'); i++) await sleep(50);
    expect(server.jobs.length).toBeGreaterThanOrEqual(2);
    await sleep(2500);
    first.kill('SIGKILL');
    expect(await firstExit).toBeNull();
    const beforeRerun = server.jobs.map((j) => j.idempotencyKey);
    const submitsBeforeRerun = server.submitRequests;
    release();

    const second = cli();
    let output = '';
    second.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    second.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    expect(await exit(second), output).toBe(0);

    // Every shot was submitted exactly once across both runs: the re-run found the first run's jobs by
    // their recorded ids (or re-sent the same idempotency key, which the server answers with the same job).
    const hashes = server.jobs.map((j) => j.request.renderHash);
    expect(new Set(hashes).size).toBe(hashes.length);
    expect(server.jobs.every((j) => j.attempt === 1)).toBe(true);
    expect(server.jobs.slice(0, beforeRerun.length).map((j) => j.idempotencyKey)).toEqual(beforeRerun);
    // The re-run did not even ask again for the shots the tracker shows submitted: only the other product's two.
    expect(server.submitRequests - submitsBeforeRerun).toBe(4 - beforeRerun.length);

    const host = await openLocalHost({ outDir: join(root, 'out'), stateDir: join(root, 'state'), extraChannels: TINY_CHANNELS });
    try {
      const ads = await host.deps.tracker.listAds();
      expect(
        ads
          .filter((ad) => ad.status === 'published')
          .map((ad) => ad.sku)
          .sort(),
      ).toEqual(['K-1', 'K-2']);
      expect(server.jobs.length).toBe(4); // 2 products × 2 shots
    } finally {
      await host.close();
    }
  });
});
