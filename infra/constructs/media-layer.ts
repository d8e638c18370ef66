import { createHash } from 'node:crypto';
import { constants, cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerImage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/**
 * Packages the media tasks load at run time instead of bundling: native binaries (sharp, ffmpeg, ffprobe)
 * and files found on disk through `require.resolve` (the Inter and Noto Sans JP fonts that text overlays render with).
 */
export const MEDIA_PACKAGES = [
  'sharp',
  '@ffmpeg-installer/ffmpeg',
  '@ffprobe-installer/ffprobe',
  // One font family per script (shared/media/fonts.ts FONTS): the layer ships the bold TTF of each, nothing else.
  '@expo-google-fonts/inter',
  '@expo-google-fonts/noto-sans',
  '@expo-google-fonts/noto-sans-jp',
  '@expo-google-fonts/noto-sans-kr',
  '@expo-google-fonts/noto-sans-sc',
  '@expo-google-fonts/noto-sans-tc',
  '@expo-google-fonts/noto-sans-arabic',
  '@expo-google-fonts/noto-sans-devanagari',
  '@expo-google-fonts/noto-sans-thai',
  '@embedpdf/fonts-hebrew',
] as const;

/**
 * The media engine draws bold only (shared/media/fonts.ts): every other weight, the preview PNGs and the
 * Hebrew package's regular TTF and JS stay out of the 250 MB layer. Folders are kept so the copy can descend.
 */
export const FONT_FILE_KEPT = (path: string): boolean => {
  const p = path.replace(/\\/g, '/');
  if (/@expo-google-fonts\/[^/]+\/\d00[A-Za-z_]+/.test(p)) return /\/700Bold(\/[^/]+\.ttf)?$/.test(p);
  if (/@expo-google-fonts\/[^/]+\/[^/]+\.png$/.test(p)) return false;
  if (/@embedpdf\/fonts-hebrew\/fonts\/[^/]+\.ttf$/.test(p)) return /-Bold\.ttf$/.test(p);
  return true;
};

const FONT_PACKAGE = /^@expo-google-fonts\/|^@embedpdf\/fonts-/;

/** esbuild `externalModules` for functions that use the layer. */
export const MEDIA_EXTERNALS = ['sharp', '@ffmpeg-installer/*', '@ffprobe-installer/*', '@expo-google-fonts/*', '@embedpdf/fonts-hebrew'];

/** The Lambda platform the layer is built for; optional platform packages for anything else are left out. */
const TARGET = { os: 'linux', cpu: 'x64', libc: 'glibc' } as const;

/** Platform binaries that must be present, or the layer would deploy and then fail at the first render. */
const REQUIRED_BINARIES = ['@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64', '@ffmpeg-installer/linux-x64', '@ffprobe-installer/linux-x64'];

/** Bump to force a rebuild when the copying rules below change. */
const BUILDER_VERSION = '3';

interface PackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  libc?: string[];
}

export interface MediaLayerProps {
  /** The node_modules folder to copy from. Default: the repository's own. */
  readonly nodeModulesDir?: string;
}

/**
 * One Lambda layer with sharp, ffmpeg, ffprobe (linux-x64) and the Inter fonts, copied from the repo's node_modules at
 * synth time by local bundling: no Docker, no network, no npm install. Its asset hash is the list of
 * package versions, so an unchanged layer is neither copied again nor re-uploaded.
 */
export class MediaLayer extends lambda.LayerVersion {
  /** `name@version` of every package in the layer, sorted. */
  readonly packages: readonly string[];

  constructor(scope: Construct, id: string, props: MediaLayerProps = {}) {
    const nodeModules = props.nodeModulesDir ?? fileURLToPath(new URL('../../node_modules', import.meta.url));
    const closure = mediaPackageClosure(nodeModules);
    const packages = [...closure.values()].map((p) => `${p.name}@${p.version}`).sort();
    super(scope, id, {
      // CloudFormation caps a layer description at 256 characters: the binaries by version, the fonts by count.
      description: `adline media runtime (linux-x64): ${MEDIA_PACKAGES.filter((name) => !FONT_PACKAGE.test(name))
        .map((name) => `${name}@${closure.get(name)?.version}`)
        .join(', ')}; ${MEDIA_PACKAGES.filter((name) => FONT_PACKAGE.test(name)).length} bold font families (Inter, Noto)`.slice(0, 256),
      compatibleRuntimes: [lambda.Runtime.NODEJS_22_X],
      compatibleArchitectures: [lambda.Architecture.X86_64],
      code: lambda.Code.fromAsset(nodeModules, {
        assetHash: createHash('sha256').update(JSON.stringify({ BUILDER_VERSION, TARGET, packages })).digest('hex'),
        bundling: {
          // Never used: local bundling always succeeds or throws. CDK requires an image to be named.
          image: DockerImage.fromRegistry('none-needed'),
          local: {
            tryBundle(outputDir: string): boolean {
              const missing = REQUIRED_BINARIES.filter((name) => !closure.has(name));
              if (missing.length > 0) {
                throw new Error(
                  `The media layer needs ${missing.join(', ')} in ${nodeModules}. ` +
                    'Install the linux-x64 builds too: npm install --os=linux --cpu=x64 --libc=glibc sharp @ffmpeg-installer/ffmpeg @ffprobe-installer/ffprobe',
                );
              }
              const target = join(outputDir, 'nodejs', 'node_modules');
              for (const name of closure.keys()) {
                mkdirSync(dirname(join(target, name)), { recursive: true });
                // Reflink where the filesystem can (instant, no extra space), else a plain copy; keeps the exec bits.
                cpSync(join(nodeModules, name), join(target, name), { recursive: true, mode: constants.COPYFILE_FICLONE, filter: FONT_FILE_KEPT });
              }
              return true;
            },
          },
        },
      }),
    });
    this.packages = packages;
  }
}

/** Every package the media packages need at run time, for the target platform only, keyed by name. */
export function mediaPackageClosure(nodeModules: string): Map<string, PackageJson> {
  const found = new Map<string, PackageJson>();
  const visit = (name: string, optional: boolean, parentDir?: string): void => {
    // A dependency nested under its parent's own node_modules travels with the parent's folder.
    if (found.has(name) || (parentDir !== undefined && existsSync(join(parentDir, 'node_modules', name)))) return;
    const manifestPath = join(nodeModules, name, 'package.json');
    if (!existsSync(manifestPath)) {
      if (optional) return;
      throw new Error(`The media layer needs ${name}, but ${manifestPath} does not exist. Run npm install.`);
    }
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as PackageJson;
    if (optional && !fitsTarget(manifest)) return;
    found.set(name, manifest);
    const dir = join(nodeModules, name);
    for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, false, dir);
    for (const dep of Object.keys(manifest.optionalDependencies ?? {})) visit(dep, true, dir);
  };
  for (const name of MEDIA_PACKAGES) visit(name, false);
  return found;
}

/** npm's own os/cpu/libc filter, applied for Lambda's platform instead of the build machine's. */
function fitsTarget(manifest: PackageJson): boolean {
  const allows = (list: string[] | undefined, value: string) => {
    if (list === undefined || list.includes(`!${value}`)) return list === undefined;
    const positive = list.filter((entry) => !entry.startsWith('!'));
    return positive.length === 0 || positive.includes(value);
  };
  return allows(manifest.os, TARGET.os) && allows(manifest.cpu, TARGET.cpu) && allows(manifest.libc, TARGET.libc);
}
