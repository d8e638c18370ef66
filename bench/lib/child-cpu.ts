import { readFileSync } from 'node:fs';

/**
 * CPU seconds (user + system) of this process's finished, reaped children so far: Linux's cutime and
 * cstime in /proc/self/stat (clock ticks, 100 per second). Taken before and after an ffmpeg call, the
 * difference is that call's CPU time, which barely moves with other processes' load, unlike wall time.
 * Undefined where /proc is missing.
 */
export function reapedChildrenCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the parenthesized command name; cutime and cstime are fields 16 and 17 of the whole line.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}
