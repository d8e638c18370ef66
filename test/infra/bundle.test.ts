import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { makeS3Client } from '#adapters/aws/s3-asset-store';
import { startS3, type StandIn } from '../../scripts/parity/stand-ins.ts';
import { accessSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdlineStack } from '#infra/adline-stack';
import { cdkJsonContext } from '#infra/cdk-context';
import { REPO_ROOT, TASK_PROFILES, TASK_TAG } from '#infra/constructs/adline-function';
import { TASK_NAMES, type TaskName } from '#infra/workflow';
import { FONTS } from '#media/fonts';

const execFileAsync = promisify(execFile);

// The real synth, as `cdk synth` runs it (esbuild bundles every function, the media layer is copied), less
// the built-in CloudFormation validation: ~3 s that `npm run synth` spends anyway.
let outdir: string;
let assets: Record<TaskName | 'layer' | 'deployment', string>;
let s3: StandIn;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'adline-cdk-'));
  const app = new App({ outdir, context: { ...cdkJsonContext(), 'aws:cdk:enable-asset-metadata': true, '@aws-cdk/core:validateAgainstDefaultRules': false } });
  const template = Template.fromStack(new AdlineStack(app, 'AdlineBundle'));
  const assetPath = (resource: { Metadata?: Record<string, string> }) => join(outdir, resource.Metadata!['aws:asset:path']);
  const layer = Object.values(template.findResources('AWS::Lambda::LayerVersion')).find((l) =>
    String(l.Properties.Description).startsWith('adline media runtime'),
  )!;
  const found: Partial<Record<TaskName | 'layer' | 'deployment', string>> = { layer: assetPath(layer) };
  // The deployment's source: the asset whose hash names the zip its custom resource copies.
  const deployment = Object.values(template.findResources('Custom::CDKBucketDeployment'))[0];
  const zip = String((deployment.Properties.SourceObjectKeys as string[])[0]);
  found.deployment = join(outdir, `asset.${zip.replace(/\.zip$/, '')}`);
  for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
    const task = (fn.Properties.Tags as Array<{ Key: string; Value: TaskName }> | undefined)?.find((t) => t.Key === TASK_TAG)?.Value;
    if (task) found[task] = assetPath(fn); // the other one is CDK's BucketDeployment handler
  }
  assets = found as typeof assets;
}, 300_000); // 14 esbuild bundles and the layer copy: over two minutes when the cores are shared

beforeAll(async () => {
  // The functions read their templates from the assets bucket at cold start: an S3 stand-in holds them.
  s3 = await startS3(['adline-test']);
  const client = makeS3Client({ endpoint: s3.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  for (const file of readdirSync(join(REPO_ROOT, 'templates'))) {
    await client.send(new PutObjectCommand({ Bucket: 'adline-test', Key: `templates/${file}`, Body: readFileSync(join(REPO_ROOT, 'templates', file)) }));
  }
  client.destroy();
});

afterAll(async () => {
  rmSync(outdir, { recursive: true, force: true });
  await s3?.close();
});

const bundle = (task: TaskName) => readFileSync(join(assets[task], 'index.mjs'), 'utf8');
/**
 * A module reference to a package that only the media layer provides: a static import, a dynamic import or a
 * runtime require (plain strings naming a font file, as the planner's font metrics carry, are not references).
 */
const LAYER_PACKAGE = new RegExp(
  String.raw`(?:\bfrom\s*|\bimport\s*\(\s*|\brequire(?:\.resolve)?\s*\(\s*)["']` +
    String.raw`(sharp|@ffmpeg-installer\/ffmpeg|@ffprobe-installer\/ffprobe|@expo-google-fonts\/[a-z-]+|@embedpdf\/fonts-hebrew)(\/[^"']*)?["']`,
);

describe('function bundles', () => {
  it.each(TASK_NAMES)('%s: an ESM bundle with require defined and a source map; no templates (read from the bucket)', (task) => {
    expect(bundle(task).startsWith("import { createRequire as __adlineCreateRequire } from 'node:module'; const require =")).toBe(true);
    expect(existsSync(join(assets[task], 'index.mjs.map'))).toBe(true);
    expect(existsSync(join(assets[task], 'templates'))).toBe(false);
  });

  it('the BucketDeployment source holds every template, the example campaign and its logo', () => {
    const files = (dir: string, prefix = ''): string[] =>
      readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(dir, join(prefix, e.name)) : [join(prefix, e.name)]));
    expect(files(assets.deployment).sort()).toEqual(
      ['brand/logo.png', 'campaigns/spring-launch.json', ...readdirSync(join(REPO_ROOT, 'templates')).map((f) => `templates/${f}`)].sort(),
    );
  });

  it.each(TASK_NAMES)('%s: leaves layer packages out of the bundle exactly when it has the layer', (task) => {
    // Media packages stay external (they find binaries and fonts on disk); other functions have no layer.
    expect(LAYER_PACKAGE.test(bundle(task))).toBe(TASK_PROFILES[task].mediaLayer);
  });
});

describe('media layer', () => {
  it('holds sharp, ffmpeg and ffprobe for linux-x64 under nodejs/node_modules', () => {
    const modules = join(assets.layer, 'nodejs', 'node_modules');
    for (const name of [
      '@expo-google-fonts/inter',
      'sharp',
      '@img/sharp-linux-x64',
      '@img/sharp-libvips-linux-x64',
      '@ffmpeg-installer/ffmpeg',
      '@ffmpeg-installer/linux-x64',
      '@ffprobe-installer/ffprobe',
      '@ffprobe-installer/linux-x64',
    ]) {
      expect(existsSync(join(modules, name, 'package.json')), name).toBe(true);
    }
    accessSync(join(modules, '@ffmpeg-installer/linux-x64/ffmpeg'), constants.X_OK);
    accessSync(join(modules, '@ffprobe-installer/linux-x64/ffprobe'), constants.X_OK);
    expect(readdirSync(join(modules, '@img')).filter((name) => !/linux-x64|^colour$/.test(name))).toEqual([]);
  });

  it("ships one bold TTF per script font and stays well under Lambda's 250 MB unzipped limit", () => {
    const files: Array<{ path: string; size: number }> = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else files.push({ path, size: statSync(path).size });
      }
    };
    walk(assets.layer);
    const fonts = files
      .filter((f) => f.path.endsWith('.ttf'))
      .map((f) => f.path.slice(f.path.lastIndexOf('/') + 1))
      .sort();
    expect(fonts).toEqual([...new Set(Object.values(FONTS).map((f) => f.files.bold.slice(f.files.bold.lastIndexOf('/') + 1)))].sort());
    expect(files.some((f) => f.path.endsWith('.ttf.png'))).toBe(false);
    // The layer and the largest function bundle share the 250 MB (unzipped) budget; keep 30 MB for code.
    const layerBytes = files.reduce((n, f) => n + f.size, 0);
    expect(layerBytes).toBeLessThan(220 * 1024 * 1024);
  });

  it('every handler loads in a Lambda-like layout (code in var/task, the layer only for media tasks)', async () => {
    // Lambda resolves /opt/nodejs/node_modules for ESM imports and NODE_PATH requires; a parent
    // node_modules stands in for it here. Functions without the layer get none, so a missed dependency fails.
    const root = mkdtempSync(join(tmpdir(), 'adline-lambda-'));
    try {
      mkdirSync(join(root, 'with-layer'));
      symlinkSync(join(assets.layer, 'nodejs', 'node_modules'), join(root, 'with-layer', 'node_modules'));
      const script = [
        'const out = {};',
        ...TASK_NAMES.map((task) => {
          const dir = join(root, TASK_PROFILES[task].mediaLayer ? 'with-layer' : 'bare', task, 'var', 'task');
          mkdirSync(dir, { recursive: true });
          cpSync(assets[task], dir, { recursive: true });
          return `out[${JSON.stringify(task)}] = typeof (await import(${JSON.stringify(join(dir, 'index.mjs'))})).handler;`;
        }),
        'console.log(JSON.stringify(out));',
      ].join('\n');
      const stdout = await execFileAsync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          TABLE_NAME: 'adline-test',
          ASSETS_BUCKET: 'adline-test',
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'S3RVER',
          AWS_SECRET_ACCESS_KEY: 'S3RVER',
          AWS_ENDPOINT_URL_S3: s3.endpoint,
        },
        encoding: 'utf8',
      }).then((r) => r.stdout);
      expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual(Object.fromEntries(TASK_NAMES.map((task) => [task, 'function'])));
      const ffmpeg = execFileSync(join(root, 'with-layer', 'node_modules', '@ffmpeg-installer/linux-x64/ffmpeg'), ['-hide_banner', '-version'], {
        encoding: 'utf8',
      });
      expect(ffmpeg).toMatch(/^ffmpeg version/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
