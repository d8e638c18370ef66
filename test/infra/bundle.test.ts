import { execFileSync } from 'node:child_process';
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

// The real synth, as `cdk synth` runs it (esbuild bundles every function, the media layer is copied), less
// the built-in CloudFormation validation: ~3 s that `npm run synth` spends anyway.
let outdir: string;
let assets: Record<TaskName | 'layer', string>;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'adline-cdk-'));
  const app = new App({ outdir, context: { ...cdkJsonContext(), 'aws:cdk:enable-asset-metadata': true, '@aws-cdk/core:validateAgainstDefaultRules': false } });
  const template = Template.fromStack(new AdlineStack(app, 'AdlineBundle'));
  const assetPath = (resource: { Metadata?: Record<string, string> }) => join(outdir, resource.Metadata!['aws:asset:path']);
  const layer = Object.values(template.findResources('AWS::Lambda::LayerVersion'))[0];
  const found: Partial<Record<TaskName | 'layer', string>> = { layer: assetPath(layer) };
  for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
    const task = (fn.Properties.Tags as Array<{ Key: string; Value: TaskName }>).find((t) => t.Key === TASK_TAG)!.Value;
    found[task] = assetPath(fn);
  }
  assets = found as typeof assets;
});

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const bundle = (task: TaskName) => readFileSync(join(assets[task], 'index.mjs'), 'utf8');
/**
 * A module reference to a package that only the media layer provides: a static import, a dynamic import or a
 * runtime require (plain strings naming a font file, as the planner's font metrics carry, are not references).
 */
const LAYER_PACKAGE =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire(?:\.resolve)?\s*\(\s*)["'](sharp|@ffmpeg-installer\/ffmpeg|@ffprobe-installer\/ffprobe|@expo-google-fonts\/[a-z-]+|@embedpdf\/fonts-hebrew)(\/[^"']*)?["']/;

describe('function bundles', () => {
  it.each(TASK_NAMES)('%s: an ESM bundle with require defined, a source map and the templates', (task) => {
    expect(bundle(task).startsWith("import { createRequire as __adlineCreateRequire } from 'node:module'; const require =")).toBe(true);
    expect(existsSync(join(assets[task], 'index.mjs.map'))).toBe(true);
    expect(readdirSync(join(assets[task], 'templates')).sort()).toEqual(readdirSync(join(REPO_ROOT, 'templates')).sort());
  });

  it.each(TASK_NAMES)('%s: leaves layer packages out of the bundle exactly when it has the layer', (task) => {
    // Media packages stay external (they find binaries and fonts on disk); other functions have no layer.
    expect(LAYER_PACKAGE.test(bundle(task))).toBe(TASK_PROFILES[task].mediaLayer);
  });
});

describe('media layer', () => {
  it('holds sharp, ffmpeg and ffprobe for linux-x64 under nodejs/node_modules', () => {
    const modules = join(assets.layer, 'nodejs', 'node_modules');
    for (const name of ['@expo-google-fonts/inter', 'sharp', '@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64', '@ffmpeg-installer/ffmpeg', '@ffmpeg-installer/linux-x64', '@ffprobe-installer/ffprobe', '@ffprobe-installer/linux-x64']) {
      expect(existsSync(join(modules, name, 'package.json')), name).toBe(true);
    }
    accessSync(join(modules, '@ffmpeg-installer/linux-x64/ffmpeg'), constants.X_OK);
    accessSync(join(modules, '@ffprobe-installer/linux-x64/ffprobe'), constants.X_OK);
    expect(readdirSync(join(modules, '@img')).filter((name) => !/linux-x64|^colour$/.test(name))).toEqual([]);
  });

  it('ships one bold TTF per script font and stays well under Lambda\'s 250 MB unzipped limit', () => {
    const files: Array<{ path: string; size: number }> = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else files.push({ path, size: statSync(path).size });
      }
    };
    walk(assets.layer);
    const fonts = files.filter((f) => f.path.endsWith('.ttf')).map((f) => f.path.slice(f.path.lastIndexOf('/') + 1)).sort();
    expect(fonts).toEqual([...new Set(Object.values(FONTS).map((f) => f.files.bold.slice(f.files.bold.lastIndexOf('/') + 1)))].sort());
    expect(files.some((f) => f.path.endsWith('.ttf.png'))).toBe(false);
    // The layer and the largest function bundle share the 250 MB (unzipped) budget; keep 30 MB for code.
    const layerBytes = files.reduce((n, f) => n + f.size, 0);
    expect(layerBytes).toBeLessThan(220 * 1024 * 1024);
  });

  it('every handler loads in a Lambda-like layout (code in var/task, the layer only for media tasks)', () => {
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
          return `process.env.TEMPLATES_DIR = ${JSON.stringify(join(dir, 'templates'))}; out[${JSON.stringify(task)}] = typeof (await import(${JSON.stringify(join(dir, 'index.mjs'))})).handler;`;
        }),
        'console.log(JSON.stringify(out));',
      ].join('\n');
      const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: root,
        env: { PATH: process.env.PATH, TABLE_NAME: 'adline-test', ASSETS_BUCKET: 'adline-test', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual(Object.fromEntries(TASK_NAMES.map((task) => [task, 'function'])));
      const ffmpeg = execFileSync(join(root, 'with-layer', 'node_modules', '@ffmpeg-installer/linux-x64/ffmpeg'), ['-hide_banner', '-version'], { encoding: 'utf8' });
      expect(ffmpeg).toMatch(/^ffmpeg version/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
