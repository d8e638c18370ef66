import { runFfmpeg } from '#media/ffmpeg';
import { startRenderServer, type HttpFault, type RenderServer } from '../../local/render-server.ts';
import { productPhoto } from '../support/catalog-fixture.ts';

/** What the server does to one attempt of a shot. */
export type Outcome = 'ok' | 'blank' | 'wrong-size' | 'wrong-product' | 'never-finish' | 'fail';

/** A shot's fate on the fault server: HTTP faults on its first submit/status, then one outcome per attempt. */
export interface Schedule {
  submitFault?: HttpFault;
  statusHang?: boolean;
  outcomes: Outcome[];
}

export interface FaultServer extends RenderServer {
  /** The schedule each shot (renderHash) was given, in first-seen order. */
  assigned: Map<string, Schedule>;
}

/**
 * The reference render server with injected faults: 5xx and 429 (Retry-After) on submit, a status
 * request that hangs, jobs that never finish or fail, and blank, wrong-size or wrong-product clips.
 * Shots get schedules in the order they are first seen, cycling through `schedules`.
 */
export async function startFaultServer(schedules: Schedule[]): Promise<FaultServer> {
  const assigned = new Map<string, Schedule>();
  const submitFaulted = new Set<string>();
  const statusHung = new Set<string>();
  const otherProduct = await productPhoto('#e0e020');
  const scheduleOf = (renderHash: string) => {
    if (!assigned.has(renderHash)) assigned.set(renderHash, schedules[assigned.size % schedules.length]);
    return assigned.get(renderHash)!;
  };
  const server = await startRenderServer({
    // As many jobs at once as the test keeps in flight (2 products × 2 shots), so no job queues into its timeout.
    concurrency: 4,
    hooks: {
      onSubmit(request, attempt, key) {
        const schedule = scheduleOf(request.renderHash);
        if (attempt === 1 && schedule.submitFault && !submitFaulted.has(key)) {
          submitFaulted.add(key);
          return schedule.submitFault;
        }
        return undefined;
      },
      onStatus(job) {
        const schedule = scheduleOf(job.request.renderHash);
        if (job.attempt === 1 && schedule.statusHang && !statusHung.has(job.id)) {
          statusHung.add(job.id);
          return 'hang';
        }
        return undefined;
      },
      async produce(job, outPath, render) {
        const r = job.request;
        const outcome = scheduleOf(r.renderHash).outcomes[job.attempt - 1] ?? 'ok';
        switch (outcome) {
          case 'never-finish':
            return 'never';
          case 'fail':
            return 'fail';
          // The gate judges conformability now: a clip half the size still conforms, one of the wrong aspect does not.
          case 'wrong-size':
            return render({ width: r.height, height: r.width });
          case 'wrong-product':
            return render({ image: { contentType: 'image/jpeg', data: otherProduct.toString('base64') } });
          case 'blank':
            await runFfmpeg([
              '-f',
              'lavfi',
              '-i',
              `color=c=0x7f7f7f:s=${r.width}x${r.height}:r=${r.fps}:d=${r.duration}`,
              '-c:v',
              'libx264',
              '-preset',
              'ultrafast',
              '-pix_fmt',
              'yuv420p',
              outPath,
            ]);
            return;
          default:
            return render();
        }
      },
    },
  });
  return Object.assign(server, { assigned });
}

/** The yield figures a run should report for the schedules the server handed out (maxAttempts per shot). */
export function expectedYield(assigned: Map<string, Schedule>, maxAttempts: number) {
  let firstPass = 0;
  let final = 0;
  let attempts = 0;
  for (const schedule of assigned.values()) {
    const outcomes = Array.from({ length: maxAttempts }, (_, i) => schedule.outcomes[i] ?? 'ok');
    const passAt = outcomes.indexOf('ok');
    if (passAt === 0) firstPass += 1;
    if (passAt >= 0) final += 1;
    attempts += passAt >= 0 ? passAt + 1 : maxAttempts;
  }
  const shots = assigned.size;
  return { shots, firstPass, final, fallbacks: shots - final, attempts };
}
