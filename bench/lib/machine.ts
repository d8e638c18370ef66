import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
export function loadPerCore(): number {
  return Math.round((loadavg()[0] / Math.max(1, cpus().length)) * 100) / 100;
}

function firstLine(bin: string, args: string[]): string {
  try {
    return execFileSync(bin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0].trim();
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
