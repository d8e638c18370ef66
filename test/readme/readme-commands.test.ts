import { access, copyFile, cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TINY_OVERRIDES } from '../support/tiny-channels.ts';
import { REPO } from './cli-process.ts';
import {
  describeOutcomes,
  readmeBlocks,
  runBlock,
  stripComment,
  type BlockOptions,
  type CommandOutcome,
  type ReadmeBlock,
  type Stand,
} from './readme-commands.ts';

/**
 * The README's commands that cannot run here as written, each with the reason and a cheaper command that
 * still exercises it. Every other line of every ```sh block runs as written. A new README line that needs
 * special handling is one entry here, keyed by its text (without the trailing comment).
 */
const STAND_INS: Record<string, Stand> = {
  'npm install': { reason: 'needs the npm registry and would rewrite node_modules', instead: 'npm install --dry-run --offline --no-audit --no-fund' },
  'npm test': { reason: 'the README test is part of npm test: it would run itself', instead: 'npm test -- test/domain/execution-name.test.ts' },
  'npm run bench': { reason: 'about ten minutes on two cores', instead: 'npm run bench -- --report-only' },
  'npx cdk deploy': { reason: 'needs AWS credentials and an account', instead: 'npx cdk deploy --help' },
  'npm run test:browser': { reason: 'CI runs it as a step of its own (.ci/run, with Chromium)', instead: 'npx vitest list --config vitest.browser.config.ts' },
  'npm run parity': { reason: 'about four minutes; CI runs it as a step of its own (.ci/run)', instead: 'npx tsc -p . --noEmit' },
  'npx adline campaign put my-campaign.json --bucket <AssetsBucketName>': {
    reason: 'needs the deployed stack and AWS credentials',
    instead: 'npx adline campaign put --help',
  },
};

/** What a command must show beyond exiting 0 (by its text as written): the servers were exercised, the files are there. */
const CHECKS: BlockOptions['checks'] = {
  'npm run demo': (r) => (/published 6 · unchanged 0 · failed 0/.test(r.stdout) ? undefined : 'the demo did not publish its 6 ads'),
  'npx adline status': (r) => (/published/.test(r.stdout) ? undefined : 'no published ad in the status table'),
  'npx adline run examples/catalog.json --renderer http://127.0.0.1:8787': (r) =>
    /endpoint http: \d+ shots/.test(r.stdout) ? undefined : 'no shot went to the http render server',
  [['curl -H "X-Adline-Token: $(cat .adline/serve-token)"', "--data-binary @products_export.csv 'http://127.0.0.1:8787/uploads?name=products_export.csv'"].join(
    ' ',
  )]: (r) => (/"outcome":"started"/.test(r.stdout) ? undefined : `the upload was not accepted: ${r.stdout}`),
  'npm run synth': async (_r, sandbox) =>
    access(join(sandbox, 'cdk.out', 'manifest.json')).then(
      () => undefined,
      () => 'no cdk.out/manifest.json',
    ),
};

/** Files the README names as the user's own (my-products.json, an export from the Shopify admin), made from the examples. */
async function writeUserFiles(sandbox: string): Promise<void> {
  await cp(join(REPO, 'examples', 'images'), join(sandbox, 'images'), { recursive: true });
  await cp(join(REPO, 'examples', 'brand'), join(sandbox, 'brand'), { recursive: true });
  await copyFile(join(REPO, 'examples', 'catalog.json'), join(sandbox, 'my-products.json'));
  await copyFile(join(REPO, 'examples', 'campaign.json'), join(sandbox, 'my-campaign.json'));
  // Photos at a documentation address (TEST-NET-1): the SSRF guard refuses it without any network, and the report says so.
  await writeFile(
    join(sandbox, 'products_export.csv'),
    [
      'Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,' +
        'Variant SKU,Variant Price,Variant Compare At Price,Image Src,Image Position,Status',
      'trail-mug,Trail Mug,<p>Keeps coffee hot.</p>,Northwind,Mugs,coffee,true,Size,12 oz,MUG-12,24.00,30.00,https://192.0.2.10/trail-mug.jpg,1,active',
      'trail-mug,,,,,,,,16 oz,MUG-16,26.00,,,,',
    ].join('\n'),
  );
}

const SKIPPED = new Set(['.git', 'out', '.adline', 'cdk.out', 'coverage']);
/** Copied, not linked: commands write there (the bench report into bench/RESULTS.md and docs/scaling.md). */
const COPIED = new Set(['bench', 'docs']);

/**
 * A fresh "clone" for one block: the repository's top-level entries linked (node_modules too), the ones
 * commands write to copied, no out/ or .adline/. Channels tiktok and feed-4x5 are replaced by tiny specs
 * through ADLINE_CHANNELS_FILE (the one difference from a user's terminal), so the long commands take seconds.
 */
async function makeSandbox(): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
  const dir = await mkdtemp(join(tmpdir(), 'adline-readme-'));
  for (const entry of await readdir(REPO)) {
    if (SKIPPED.has(entry)) continue;
    if (COPIED.has(entry)) await cp(join(REPO, entry), join(dir, entry), { recursive: true, filter: (src) => !src.includes(`${join('bench', 'tmp')}`) });
    else await symlink(join(REPO, entry), join(dir, entry));
  }
  await writeUserFiles(dir);
  const channelsFile = join(dir, 'tiny-channels.json');
  await writeFile(channelsFile, JSON.stringify(TINY_OVERRIDES));
  const env: NodeJS.ProcessEnv = { ...process.env, ADLINE_CHANNELS_FILE: channelsFile, npm_config_update_notifier: 'false', npm_config_fund: 'false' };
  for (const name of Object.keys(env)) if (name.startsWith('VITEST') || name === 'NODE_OPTIONS') delete env[name];
  return { dir, env };
}

const README = await readFile(join(REPO, 'README.md'), 'utf8');
const BLOCKS = readmeBlocks(README);
const sandboxes: string[] = [];

afterAll(async () => {
  await Promise.all(sandboxes.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Runs blocks each in a fresh sandbox, `width` at a time (they are independent: each starts from a clean clone). */
async function runAll(blocks: ReadmeBlock[], width: number): Promise<CommandOutcome[][]> {
  const results: CommandOutcome[][] = new Array(blocks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < blocks.length) {
        const i = next++;
        const { dir, env } = await makeSandbox();
        sandboxes.push(dir);
        results[i] = await runBlock(blocks[i], { sandbox: dir, repo: REPO, env, standIns: STAND_INS, checks: CHECKS });
      }
    }),
  );
  return results;
}

describe('README.md: every command in its shell blocks works as written', () => {
  it('finds the blocks, and every stand-in names a command the README still has', () => {
    expect(BLOCKS.length).toBeGreaterThanOrEqual(5);
    const texts = new Set(BLOCKS.flatMap((b) => b.commands.map((c) => c.text)));
    for (const key of [...Object.keys(STAND_INS), ...Object.keys(CHECKS ?? {})])
      expect(texts, `"${key}" is no longer in the README: drop its entry`).toContain(key);
  });

  it('runs them all on the example data (servers started, exercised, stopped)', async () => {
    const started = performance.now();
    const results = await runAll(BLOCKS, 3);
    const seconds = (performance.now() - started) / 1000;
    const report = results.map((outcomes, i) => `block at README.md:${BLOCKS[i].line}\n${describeOutcomes(outcomes)}`).join('\n');
    process.stdout.write(`README commands, ${seconds.toFixed(1)} s in all:\n${report}\n`);
    for (const [i, block] of BLOCKS.entries()) {
      const outcomes = results[i];
      expect(
        outcomes.every((o) => o.ok),
        report,
      ).toBe(true);
      // Every command of the block ran (a failure stops the block), servers once more when stopped.
      expect(outcomes.filter((o) => !o.command.background).length, report).toBe(block.commands.filter((c) => !c.background).length);
    }
  }, 600_000); // its commands use ~95 s of CPU; on two cores shared by six sessions they took 245-430 s
});

describe('the README parser and runner', () => {
  const markdown = [
    '# t',
    '',
    '```sh',
    'npm install && npm run demo     # a comment',
    "curl 'http://x/#frag' --data @f   # comment",
    '',
    'srv --port 8787 &   # a server',
    '```',
    '',
    '```',
    'not a command',
    '```',
    '',
    '```sh',
    'A=1 B=2 cmd --flag',
    '```',
  ].join('\n');

  it('reads commands per sh block with their README line, splitting && and marking & servers; other fences are not commands', () => {
    const blocks = readmeBlocks(markdown);
    expect(blocks.map((b) => b.line)).toEqual([3, 14]);
    expect(blocks[0].commands).toEqual([
      { text: 'npm install', line: 4, background: false },
      { text: 'npm run demo', line: 4, background: false },
      { text: "curl 'http://x/#frag' --data @f", line: 5, background: false },
      { text: 'srv --port 8787', line: 7, background: true },
    ]);
    expect(blocks[1].commands).toEqual([{ text: 'A=1 B=2 cmd --flag', line: 15, background: false }]);
    expect(stripComment('echo "a # b" # c')).toBe('echo "a # b" ');
  });

  it('a broken README command fails its block, with the README line and the output', async () => {
    const sandbox = await mkdtemp(join(tmpdir(), 'adline-readme-unit-'));
    sandboxes.push(sandbox);
    await mkdir(join(sandbox, 'examples'));
    const [block] = readmeBlocks(
      ['```sh', 'echo ok', `node ${join(REPO, 'bin', 'adline.js')} run examples/no-such-catalog.json   # broken`, 'echo never', '```'].join('\n'),
    );
    const outcomes = await runBlock(block, { sandbox, repo: REPO, env: process.env, standIns: {} });
    expect(outcomes.map((o) => o.ok)).toEqual([true, false]);
    expect(describeOutcomes(outcomes)).toMatch(/README\.md:3 FAILED [\s\S]*exited with 1[\s\S]*Cannot read the catalog file examples\/no-such-catalog\.json/);
  });

  it('a server that does not come up, or exits non-zero when stopped, fails its block; its port is swapped for a free one', async () => {
    const sandbox = await mkdtemp(join(tmpdir(), 'adline-readme-unit-'));
    sandboxes.push(sandbox);
    const server =
      `node -e "const s=require('net').createServer().listen(+process.argv[1],'127.0.0.1');` +
      `process.on('SIGTERM',()=>{s.close();process.exit(3)})" --port 8787`;
    const [block] = readmeBlocks(['```sh', `${server.replace('--port 8787', '8787 --port 8787')} &`, 'echo 8787', '```'].join('\n'));
    const outcomes = await runBlock(block, { sandbox, repo: REPO, env: process.env, standIns: {} });
    expect(outcomes[0].ok).toBe(true);
    expect(outcomes[0].result.stdout.trim()).not.toBe('8787');
    expect(outcomes[1]).toMatchObject({ ok: false, problem: 'the server exited with 3 when stopped' });
    const [never] = readmeBlocks(['```sh', 'node -e "process.exit(4)" 8787 --port 8787 &', 'echo unreachable', '```'].join('\n'));
    const failed = await runBlock(never, { sandbox, repo: REPO, env: process.env, standIns: {} });
    expect(failed[0]).toMatchObject({ ok: false });
    expect(failed[0].problem).toMatch(/exited with 4 before listening/);
  });
});
