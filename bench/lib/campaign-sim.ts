/**
 * Replays the workflow's per-product state sequence at campaign scale, as a discrete-event simulation:
 * Distributed Map slots → Plan → Render (Map, renderConcurrency) → Assemble+Validate (Map,
 * assembleConcurrency) → Publish, every task holding one Lambda slot from an account-wide pool for its
 * measured duration. Generative renders instead wait for a submit token (the provider's rate limit) and a
 * GPU endpoint slot. It answers: wall time, achieved rates, and which limit binds first.
 */
export interface SimInput {
  products: number;
  variantsPerProduct: number;
  renderJobsPerProduct: number;
  /** Median seconds per invocation of each task (measured). */
  seconds: { plan: number; render: number; assemble: number; validate: number; publish: number };
  distributedMapConcurrency: number;
  renderConcurrency: number;
  assembleConcurrency: number;
  lambdaConcurrency: number;
  /** Absent: shots are rendered procedurally in Lambda (measured). Present: on a GPU endpoint. */
  gpu?: { concurrency: number; submitsPerMinute: number; secondsPerShot: number };
}

export interface SimResult {
  wallSeconds: number;
  adsPerSecond: number;
  lambdaBusyShare: number;
  lambdaPeak: number;
  gpuBusyShare?: number;
  mapSlotsPeak: number;
  binding: string;
}

type Fn = () => void;

class Heap {
  private items: Array<{ t: number; seq: number; fn: Fn }> = [];
  private seq = 0;
  get size() {
    return this.items.length;
  }
  push(t: number, fn: Fn) {
    const a = this.items;
    a.push({ t, seq: this.seq++, fn });
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.less(a[p], a[i])) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  pop() {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l], a[m])) m = l;
        if (r < a.length && this.less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
  private less(x: { t: number; seq: number }, y: { t: number; seq: number }) {
    return x.t < y.t || (x.t === y.t && x.seq < y.seq);
  }
}

/** A pool of identical slots with a FIFO wait queue; tracks busy slot-seconds and the peak in use. */
class Pool {
  inUse = 0;
  peak = 0;
  busy = 0;
  private readonly queue: Fn[] = [];
  constructor(
    private readonly size: number,
    private readonly sim: { now: number; at(t: number, fn: Fn): void },
  ) {}
  /** Holds a slot for `seconds`, then calls `done`. */
  run(seconds: number, done: Fn) {
    const start = () => {
      this.inUse += 1;
      this.peak = Math.max(this.peak, this.inUse);
      this.busy += seconds;
      this.sim.at(this.sim.now + seconds, () => {
        this.inUse -= 1;
        const next = this.queue.shift();
        if (next) next();
        done();
      });
    };
    if (this.inUse < this.size) start();
    else this.queue.push(start);
  }
}

/** Runs the simulation; deterministic (every duration is the measured median). */
export function simulateCampaign(input: SimInput): SimResult {
  const heap = new Heap();
  const sim = { now: 0, at: (t: number, fn: Fn) => heap.push(t, fn) };
  const lambda = new Pool(input.lambdaConcurrency, sim);
  const gpu = input.gpu ? new Pool(input.gpu.concurrency, sim) : undefined;
  let nextSubmit = 0;
  let started = 0;
  let inFlight = 0;
  let mapPeak = 0;

  /** Runs `count` items at most `limit` at a time, each through `item(done)`, then calls `done`. */
  const mapState = (count: number, limit: number, item: (done: Fn) => void, done: Fn) => {
    if (count === 0) return done();
    let launched = 0;
    let finished = 0;
    const launch = () => {
      launched += 1;
      item(() => {
        finished += 1;
        if (launched < count) launch();
        else if (finished === count) done();
      });
    };
    for (let i = 0; i < Math.min(limit, count); i++) launch();
  };

  const renderShot = (done: Fn) => {
    if (!gpu || !input.gpu) return lambda.run(input.seconds.render, done);
    const interval = 60 / input.gpu.submitsPerMinute;
    const at = Math.max(sim.now, nextSubmit);
    nextSubmit = at + interval;
    sim.at(at, () => gpu.run(input.gpu!.secondsPerShot, done));
  };

  const product = (done: Fn) => {
    lambda.run(input.seconds.plan, () =>
      mapState(input.renderJobsPerProduct, input.renderConcurrency, renderShot, () =>
        mapState(
          input.variantsPerProduct,
          input.assembleConcurrency,
          (variantDone) => lambda.run(input.seconds.assemble, () => lambda.run(input.seconds.validate, variantDone)),
          () => lambda.run(input.seconds.publish, done),
        ),
      ),
    );
  };

  const startNext = () => {
    if (started >= input.products) return;
    started += 1;
    inFlight += 1;
    mapPeak = Math.max(mapPeak, inFlight);
    product(() => {
      inFlight -= 1;
      startNext();
    });
  };
  for (let i = 0; i < Math.min(input.distributedMapConcurrency, input.products); i++) startNext();
  while (heap.size > 0) {
    const event = heap.pop();
    sim.now = event.t;
    event.fn();
  }

  const wall = sim.now;
  const lambdaBusyShare = lambda.busy / (input.lambdaConcurrency * wall);
  const gpuBusyShare = gpu && input.gpu ? gpu.busy / (input.gpu.concurrency * wall) : undefined;
  const submitBound = input.gpu ? (input.products * input.renderJobsPerProduct) / (input.gpu.submitsPerMinute / 60) : 0;
  let binding = 'Distributed Map MaxConcurrency (raise it)';
  if (lambdaBusyShare > 0.8) binding = `Lambda concurrency (${input.lambdaConcurrency})`;
  if (gpuBusyShare !== undefined && gpuBusyShare > 0.8) binding = `GPU endpoint concurrency (${input.gpu!.concurrency})`;
  if (input.gpu && submitBound > 0.8 * wall) binding = `GPU provider submit rate (${input.gpu.submitsPerMinute}/min)`;
  return {
    wallSeconds: Math.round(wall),
    adsPerSecond: Math.round(((input.products * input.variantsPerProduct) / wall) * 100) / 100,
    lambdaBusyShare: Math.round(lambdaBusyShare * 1000) / 1000,
    lambdaPeak: lambda.peak,
    ...(gpuBusyShare === undefined ? {} : { gpuBusyShare: Math.round(gpuBusyShare * 1000) / 1000 }),
    mapSlotsPeak: mapPeak,
    binding,
  };
}
