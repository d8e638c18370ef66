import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CHANNELS } from '#domain/planning/channels';
import { planCatalog, planCatalogInputs, readCatalogInputs } from '#local/plan-catalog';
import { describePlan } from '#local/commands/plan';

const run = promisify(execFile);

describe('adline plan', () => {
  it('prints identical bytes twice, with no timestamps or absolute paths, and renders nothing', async () => {
    const args = ['bin/adline.js', 'plan', 'examples/catalog.json', '--channels', 'all', '--json'];
    const [a, b] = [await run(process.execPath, args, { maxBuffer: 1 << 26 }), await run(process.execPath, args, { maxBuffer: 1 << 26 })];
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toContain(process.cwd());
    expect(a.stdout).not.toMatch(/20\d\d-\d\d-\d\dT/);
    const plan = JSON.parse(a.stdout);
    expect(plan.channels).toEqual(CHANNELS.map((c) => c.id));
    expect(plan.products.map((p: { sku: string }) => p.sku)).toEqual(['NW-MUG-001', 'NW-SNK-002', 'NW-LMP-003']);
  });

  it('needs at most a third of shots × channels as render jobs for one product on every video channel, and says so', async () => {
    const video = CHANNELS.filter((c) => c.kind === 'video').map((c) => c.id);
    const plan = await planCatalog({ catalogPath: 'examples/catalog.json', campaignPath: 'examples/campaign.json', channels: video });
    for (const product of plan.products) {
      expect(product.stats.videoVariants).toBe(video.length);
      expect(product.stats.jobs * 3).toBeLessThanOrEqual(product.stats.shotSlots);
    }
    expect(plan.summary.line).toMatch(/→ \d+ render jobs \(\d+% fewer/);
    expect(describePlan(plan)).toMatch(/render jobs \(\d+% fewer, 0\.\d\d of shots × channels\)\n$/);
  });

  it('plans catalog inputs read once: the same plan as planCatalog, and again for another renderer without touching the inputs', async () => {
    const opts = { catalogPath: 'examples/catalog.json', campaignPath: 'examples/campaign.json', channels: ['tiktok', 'feed-4x5'] };
    const inputs = await readCatalogInputs(opts);
    expect(inputs.items.map((i) => i.sku)).toEqual(['NW-MUG-001', 'NW-SNK-002', 'NW-LMP-003']);
    const plan = planCatalogInputs(inputs);
    expect(plan).toEqual(await planCatalog(opts));
    const renderer = { ...inputs.campaign.renderer, kind: 'http' as const, endpoint: 'https://quote.invalid' };
    const generative = planCatalogInputs(inputs, { renderer });
    expect(generative).toEqual(await planCatalog({ ...opts, renderer }));
    expect(generative.products.flatMap((p) => p.jobs.map((j) => j.renderHash))).not.toEqual(plan.products.flatMap((p) => p.jobs.map((j) => j.renderHash)));
    expect(inputs.campaign.renderer.kind).toBe('procedural');
    expect(planCatalogInputs(inputs)).toEqual(plan);
  });
});
