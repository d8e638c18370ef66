import { readdir, readFile } from 'node:fs/promises';

export interface RssPeaks {
  /** Peak resident memory of this Node process, MiB. */
  nodeMiB: number;
  /** Peak of this process plus every descendant (ffmpeg, ffprobe) at the same instant, MiB. */
  treeMiB: number;
  /** Peak of the descendants alone, MiB. */
  childrenMiB: number;
  samples: number;
}

/**
 * Samples the resident memory of this process and of its child processes (ffmpeg) every `everyMs`,
 * keeping the peaks. Children are read from /proc (Linux); elsewhere only the Node process is sampled.
 */
export function startRssSampler(everyMs = 100): { stop(): Promise<RssPeaks> } {
  const peaks: RssPeaks = { nodeMiB: 0, treeMiB: 0, childrenMiB: 0, samples: 0 };
  let busy = false;
  const sample = async () => {
    if (busy) return;
    busy = true;
    try {
      const node = process.memoryUsage().rss / 2 ** 20;
      const children = (await descendantsRssKiB(process.pid)) / 1024;
      peaks.nodeMiB = Math.max(peaks.nodeMiB, node);
      peaks.childrenMiB = Math.max(peaks.childrenMiB, children);
      peaks.treeMiB = Math.max(peaks.treeMiB, node + children);
      peaks.samples += 1;
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void sample(), everyMs);
  timer.unref();
  void sample();
  return {
    async stop() {
      clearInterval(timer);
      await sample();
      return peaks;
    },
  };
}

async function childPids(pid: number): Promise<number[]> {
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const all = await Promise.all(tasks.map((tid) => readFile(`/proc/${pid}/task/${tid}/children`, 'utf8').catch(() => '')));
  return all.join(' ').split(/\s+/).filter(Boolean).map(Number);
}

async function rssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) : 0;
}

/** Resident memory of every descendant of `pid`, KiB (0 where /proc is absent). */
async function descendantsRssKiB(pid: number, depth = 0): Promise<number> {
  if (depth > 4) return 0;
  let total = 0;
  for (const child of await childPids(pid)) {
    total += (await rssKiB(child)) + (await descendantsRssKiB(child, depth + 1));
  }
  return total;
}
