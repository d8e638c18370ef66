import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdRecord } from '#domain/model/ad-record';
import { probeMedia } from '#media/ffmpeg';
import { PACKAGE_ROOT } from '../../local/local-host.ts';
import { LOCAL_TABLE, openLocalTracker } from '../../local/local-tracker.ts';
import { productPhoto, writeCatalog } from '../support/catalog-fixture.ts';
import { tinyChannel } from '../support/tiny-channels.ts';
import { storeViolations } from './invariants.ts';

const CHANNELS = [tinyChannel('tiktok', 180, 320, 2), tinyChannel('feed-4x5', 160, 200, 2)];
const SKUS = ['CRASH-1']; // one product, two channels: the smallest run with a multi-variant manifest
const TRIALS = 10;
const LANES = 2; // trials run two at a time, each in its own folders
const SEED = Number(process.env.ADLINE_CRASH_SEED ?? Date.now() % 1_000_000);

/** A small seeded PRNG (mulberry32), so a failing trial can be replayed with ADLINE_CRASH_SEED. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  killedAtLine?: number;
  productsDoneAtKill: number;
}

/**
 * Runs a node child and, when `kill` is given, SIGKILLs it `jitterMs` after its `afterLines`-th
 * progress line on stderr (each line is one workflow state change), so kills land inside the pipeline.
 */
function runChild(args: string[], kill?: { afterLines: number; jitterMs: number }): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: PACKAGE_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', NODE_NO_WARNINGS: '1' },
    });
    let stdout = '';
    let stderr = '';
    let lines = 0;
    let productsDone = 0;
    let productsDoneAtKill = 0;
    let killedAtLine: number | undefined;
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
      for (const line of d.toString().split('\n').filter(Boolean)) {
        lines += 1;
        const done = /products (\d+)\//.exec(line);
        if (done) productsDone = Math.max(productsDone, Number(done[1]));
        if (kill && killedAtLine === undefined && lines >= kill.afterLines) {
          killedAtLine = lines;
          setTimeout(() => {
            productsDoneAtKill = productsDone;
            child.kill('SIGKILL');
          }, kill.jitterMs);
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ code, signal, stdout, stderr, killedAtLine, productsDoneAtKill: signal ? productsDoneAtKill : productsDone }),
    );
  });
}

async function readAds(stateDir: string): Promise<AdRecord[]> {
  const local = await openLocalTracker(join(stateDir, 'ddb'));
  try {
    return await local.tracker.listAds();
  } finally {
    await local.close();
  }
}

describe('crash safety: SIGKILL at random points, then re-run', () => {
  let root: string;
  let files: { catalog: string; campaign: string; channels: string };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-crash-'));
    const dir = join(root, 'input');
    const written = await writeCatalog(
      dir,
      [{ sku: SKUS[0], title: 'Green Box', price: 30, compareAt: 40, images: ['a.jpg'] }],
      CHANNELS.map((c) => c.id),
    );
    await writeFile(join(dir, 'a.jpg'), await productPhoto('#22aa55', 240));
    const channels = join(dir, 'channels.json');
    await writeFile(channels, JSON.stringify(CHANNELS));
    files = { ...written, channels };
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('dynalite keeps every acknowledged write when its process is SIGKILLed', async () => {
    const dir = join(root, 'durability');
    const script = `
      import { openLocalTracker } from './local/local-tracker.ts';
      const local = await openLocalTracker(${JSON.stringify(dir)});
      for (let i = 0; ; i++) {
        await local.tracker.putAd({ schemaVersion: 1, campaignId: 'c', sku: 'S' + i, templateId: 't', channel: 'ch', status: 'published',
          inputHash: 'h' + i, runId: 'r', version: 1, attempts: 1, outputs: {}, timings: {}, updatedAt: new Date().toISOString() }, undefined);
        process.stderr.write('ack ' + i + '\\n');
      }`;
    const result = await runChild(['--import', 'tsx', '--input-type=module', '-e', script], { afterLines: 40, jitterMs: 25 });
    expect(result.signal).toBe('SIGKILL');
    const acked = Math.max(...[...result.stderr.matchAll(/ack (\d+)/g)].map((m) => Number(m[1])));
    expect(acked).toBeGreaterThanOrEqual(20);
    const local = await openLocalTracker(dir);
    try {
      const skus = new Set((await local.tracker.listAds()).map((ad) => ad.sku));
      const lost = Array.from({ length: acked + 1 }, (_, i) => `S${i}`).filter((sku) => !skus.has(sku));
      expect(lost).toEqual([]);
    } finally {
      await local.close();
    }
  });

  it('recovers a tracker table that a kill left CREATING', async () => {
    const dir = join(root, 'stuck-table');
    // dynalite marks a new table CREATING, then ACTIVE on a timer; a kill in between used to break the folder for good.
    const script = `
      import dynalite from 'dynalite';
      import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
      const server = dynalite({ path: ${JSON.stringify(dir)}, createTableMs: 60000 });
      await new Promise((r) => server.listen(0, '127.0.0.1', r));
      const client = new DynamoDBClient({ endpoint: 'http://127.0.0.1:' + server.address().port, region: 'local-1',
        credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
      await client.send(new CreateTableCommand({ TableName: ${JSON.stringify(LOCAL_TABLE)}, BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }));
      process.stderr.write('created\\n');
      setInterval(() => {}, 1000);`;
    const result = await runChild(['--input-type=module', '-e', script], { afterLines: 1, jitterMs: 0 });
    expect(result.signal).toBe('SIGKILL');
    const local = await openLocalTracker(dir);
    try {
      await local.tracker.putAd(
        {
          schemaVersion: 1,
          campaignId: 'c',
          sku: 'S',
          templateId: 't',
          channel: 'ch',
          status: 'planned',
          inputHash: 'h',
          runId: 'r',
          version: 1,
          attempts: 0,
          outputs: {},
          timings: {},
          updatedAt: 'now',
        },
        undefined,
      );
      expect(await local.tracker.listAds()).toHaveLength(1);
    } finally {
      await local.close();
    }
  });

  it(`${TRIALS} trials: each re-run publishes every ad exactly once and no manifest points at a missing file (seed ${SEED})`, async () => {
    const random = prng(SEED);
    const plans = Array.from({ length: TRIALS }, (_, i) => ({ trial: i + 1, afterLines: 1 + Math.floor(random() * 24), jitterMs: Math.floor(random() * 250) }));
    const expected = SKUS.flatMap((sku) => CHANNELS.map((c) => `${sku}/${c.id}`)).sort();
    const report: string[] = [];

    const trial = async (plan: (typeof plans)[number]) => {
      const out = join(root, `t${plan.trial}`, 'out');
      const state = join(root, `t${plan.trial}`, 'state');
      const cli = [
        join(PACKAGE_ROOT, 'bin/adline.js'),
        'run',
        files.catalog,
        '--campaign',
        files.campaign,
        '--out',
        out,
        '--state',
        state,
        '--channels-file',
        files.channels,
      ];
      const killed = await runChild(cli, plan);

      // Right after the kill: whatever is there is consistent, and nothing acknowledged was lost.
      const adsAfterKill = await readAds(state);
      expect(await storeViolations(out, adsAfterKill), `trial ${plan.trial} after kill`).toEqual([]);
      const publishedAfterKill = adsAfterKill.filter((ad) => ad.status === 'published').length;
      expect(publishedAfterKill).toBeGreaterThanOrEqual(killed.productsDoneAtKill * CHANNELS.length);

      const rerun = await runChild(cli);
      expect(rerun.code, `trial ${plan.trial} re-run: ${rerun.stderr.slice(-800)}`).toBe(0);
      const counts = /published (\d+) · unchanged (\d+) · failed (\d+)/.exec(rerun.stdout);
      expect(counts, rerun.stdout).not.toBeNull();
      const [published, unchanged, failed] = counts!.slice(1).map(Number);
      expect({ failed, total: published + unchanged, published }).toEqual({
        failed: 0,
        total: expected.length,
        published: expected.length - publishedAfterKill,
      });

      const ads = await readAds(state);
      expect(ads.map((ad) => `${ad.sku}/${ad.channel}`).sort()).toEqual(expected);
      for (const ad of ads) {
        expect(ad.status).toBe('published');
        expect(ad.version, `trial ${plan.trial}: ${ad.sku}/${ad.channel} written ${ad.version} times`).toBe(1);
        const probe = await probeMedia(join(out, ad.outputs.video!));
        expect(probe.video?.codec).toBe('h264');
      }
      expect(await storeViolations(out, ads), `trial ${plan.trial} after re-run`).toEqual([]);
      report.push(
        `trial ${plan.trial}: killed ${killed.signal ? `after progress line ${killed.killedAtLine} +${plan.jitterMs} ms` : 'never (finished first)'}, ` +
          `${publishedAfterKill}/${expected.length} published before the kill, ` +
          `re-run published ${published}, unchanged ${unchanged}`,
      );
    };

    const queue = [...plans];
    await Promise.all(
      Array.from({ length: LANES }, async () => {
        for (let plan = queue.shift(); plan; plan = queue.shift()) await trial(plan);
      }),
    );
    console.log(`crash trials (seed ${SEED}):\n${report.sort().join('\n')}`);
    expect(report).toHaveLength(TRIALS);
  }, 300_000); // 20 CLI starts: ~40 s on two idle cores, several times that when the cores are shared
});
