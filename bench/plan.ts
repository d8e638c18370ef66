/**
 * Planner throughput: storyboards per second over a mix of products (short, long, CJK, emoji titles,
 * 0–6 photos, with and without discounts) × every template × every channel. Planning is pure and
 * per product, so it scales by process: the bench runs one planner per core (2 by default, the target
 * machine) at the same time and adds their rates.
 * Each of 3 rounds (--rounds) runs one planner alone, then one per core together; medians, min and max.
 * Run: npm run bench:plan [-- --workers N] [-- --seconds S] [-- --rounds R]   (a measurement, not a test)
 */
import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Campaign } from '#domain/model/campaign';
import { CHANNELS } from '#domain/planning/channels';
import { planStoryboard } from '#domain/planning/planner';
import { Product } from '#domain/model/product';
import { parseTemplateFile } from '#domain/planning/template-catalog';

const templates = readdirSync('templates')
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => parseTemplateFile(f, readFileSync(`templates/${f}`, 'utf8')));
const campaign = Campaign.parse(JSON.parse(readFileSync('examples/campaign.json', 'utf8')));
const titles = [
  'Harbor Ceramic Mug',
  'Trailrunner Everyday Sneaker with recycled mesh upper and an all-day cushioned sole for city and trail',
  '有田焼 マグカップ 職人の手作り',
  'Crème brûlée torch 🔥 — pro edition',
  'Überraschungsgeschenkverpackungsset',
];
const products = titles.flatMap((title, i) =>
  [0, 2, 6].map((images) =>
    Product.parse({
      schemaVersion: 1,
      source: 'json',
      productHash: `p${i}-${images}`,
      sku: `SKU-${i}-${images}`,
      title,
      description: '<ul><li>Dishwasher safe</li><li>350&nbsp;ml</li><li>Made in Japan</li></ul>',
      price: { amount: 18 + i, currency: i % 2 ? 'EUR' : 'USD' },
      ...(images % 4 === 2 ? { compareAtPrice: { amount: 30 + i, currency: i % 2 ? 'EUR' : 'USD' } } : {}),
      images: Array.from({ length: images }, (_, k) => `images/${i}-${k}.jpg`),
    }),
  ),
);
const combos = products.flatMap((product) => templates.flatMap((template) => CHANNELS.map((channel) => ({ product, campaign, template, channel }))));

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const seconds = arg('seconds', 3);

/** One planner loop: warm up (JIT, Intl formatters, caches), then plan for `seconds`. */
function measure(): { planned: number; seconds: number } {
  for (const input of combos) planStoryboard(input);
  let planned = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    for (const input of combos) planStoryboard(input);
    planned += combos.length;
  }
  return { planned, seconds: (performance.now() - started) / 1000 };
}

/** Runs `workers` planner processes at once and returns their summed rate (storyboards per second). */
async function round(workers: number): Promise<number> {
  const results = await Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise<{ planned: number; seconds: number }>((resolve, reject) => {
          const child = fork(fileURLToPath(import.meta.url), process.argv.slice(2), { env: { ...process.env, ADLINE_BENCH_WORKER: '1' } });
          child.once('message', (m) => resolve(m as { planned: number; seconds: number }));
          child.once('error', reject);
          child.once('exit', (code) => code !== 0 && reject(new Error(`bench worker exited with ${code}`)));
        }),
    ),
  );
  return Math.round(results.reduce((sum, r) => sum + r.planned / r.seconds, 0));
}

const spreadOf = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, max: sorted.at(-1)! };
};

if (process.env.ADLINE_BENCH_WORKER) {
  process.send!(measure());
} else {
  const workers = arg('workers', Math.min(2, availableParallelism()));
  const rounds = arg('rounds', 3);
  // Alternating rounds: one planner process alone (the per-core rate), then one per core together.
  const single: number[] = [];
  const all: number[] = [];
  for (let i = 0; i < rounds; i++) {
    single.push(await round(1));
    all.push(await round(workers));
  }
  const one = spreadOf(single);
  const many = spreadOf(all);
  const load = loadavg()[0].toFixed(1);
  const verdict = many.median >= 5000 ? 'MET' : 'NOT met';
  process.stdout.write(
    `bench:plan  ${combos.length} product × template × channel combinations, ` +
      `${rounds} alternating rounds of ${seconds} s; ${availableParallelism()} cores, load average ${load}\n`,
  );
  process.stdout.write(`  1 planner process:      median ${one.median}/s  [min ${one.min}, max ${one.max}]\n`);
  process.stdout.write(
    `  ${workers} planner processes:    median ${many.median}/s  [min ${many.min}, max ${many.max}]  (${(many.median / one.median).toFixed(2)}× one process)\n`,
  );
  process.stdout.write(`  target ≥ 5000 storyboards/s on a 2-core machine → ${verdict}\n`);
  process.stdout.write(
    JSON.stringify({
      bench: 'plan',
      storyboardsPerSecond: many,
      workers,
      singleProcess: one,
      rounds,
      seconds,
      combinations: combos.length,
      loadAverage: Number(load),
      node: process.version,
    }) + '\n',
  );
}
