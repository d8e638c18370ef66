import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';
import { binaryPaths } from '#media/ffmpeg';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  ffmpeg: string;
  ffprobe: string;
  packages: Record<string, string>;
  git: { commit: string; dirty: boolean };
}

const PACKAGES = ['aws-local-stepfunctions', 'aws-cdk-lib', 'sharp', 'dynalite', 'tsx', '@ffmpeg-installer/ffmpeg', '@ffprobe-installer/ffprobe', 'zod'];

/** What the figures were measured on: CPU, memory, Node, the ffmpeg build, key package versions, the commit. */
export function machineInfo(root: string): MachineInfo {
  const cpu = cpus();
  const { ffmpeg, ffprobe } = binaryPaths();
  return {
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${osType()} ${release()}`,
    node: process.version,
    ffmpeg: firstLine(ffmpeg, ['-version']),
    ffprobe: firstLine(ffprobe, ['-version']),
    packages: Object.fromEntries(PACKAGES.map((name) => [name, packageVersion(root, name)])),
    git: gitState(root),
  };
}

/** The 1-minute load average divided by the core count: above ~0.5 before a run, others share the CPU. */
/**
 * The share of all cores busy over the next `ms` (from /proc/stat), measured before the bench starts any
 * work of its own: what other processes are using right now. The 1-minute load average lags by minutes
 * (it still counts a test run that ended a minute ago). Undefined where /proc is missing.
 */
export async function busyShareNow(ms = 3000): Promise<number | undefined> {
  const read = async () => {
    const [cpu] = (await readFile('/proc/stat', 'utf8')).split('\n');
    const ticks = cpu!.trim().split(/\s+/).slice(1).map(Number);
    const idle = ticks[3]! + (ticks[4] ?? 0);
    return { idle, total: ticks.reduce((a, b) => a + b, 0) };
  };
  try {
    const a = await read();
    await new Promise((resolve) => setTimeout(resolve, ms));
    const b = await read();
    return Math.round((1 - (b.idle - a.idle) / Math.max(1, b.total - a.total)) * 100) / 100;
  } catch {
    return undefined;
  }
}

export function loadPerCore(): number {
  return Math.round((loadavg()[0] / Math.max(1, cpus().length)) * 100) / 100;
}

function firstLine(bin: string, args: string[]): string {
  try {
    return execFileSync(bin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')[0]
      .trim();
  } catch (error) {
    return `unavailable (${(error as Error).message.split('\n')[0]})`;
  }
}

function packageVersion(root: string, name: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

function gitState(root: string): { commit: string; dirty: boolean } {
  try {
    const quiet = { cwd: root, encoding: 'utf8' as const, stdio: ['ignore', 'pipe', 'ignore'] as Array<'ignore' | 'pipe'> };
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], quiet).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], quiet).trim();
    return { commit, dirty: status.length > 0 };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}
