import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Campaign } from '#domain/model/campaign';
import { RenderJob } from '#domain/model/render-job';
import { probeMedia } from '#media/ffmpeg';
import { quoteJobs } from '#domain/render/quote';
import { openLocalHost } from '../../local/local-host.ts';
import { followRun, uploadRunInput } from '../../local/local-run.ts';
import { startRenderServer, type RenderServer } from '../../local/render-server.ts';
import { productPhoto, writeCatalog } from '../support/catalog-fixture.ts';
import { TINY_CHANNELS } from '../support/tiny-channels.ts';

const CHANNEL = TINY_CHANNELS[0];

/** Runs the tiny catalog through the whole local workflow with the given renderer settings. */
async function runWith(root: string, name: string, files: { catalog: string; campaign: string }, renderer: Record<string, unknown>) {
  const campaignPath = join(root, `campaign-${name}.json`);
  const campaign = JSON.parse(await readFile(files.campaign, 'utf8'));
  await writeFile(campaignPath, JSON.stringify({ ...campaign, renderer }));
  const host = await openLocalHost({
    outDir: join(root, `out-${name}`),
    stateDir: join(root, `state-${name}`),
    inMemoryTracker: true,
    extraChannels: TINY_CHANNELS,
    timing: { waitTimeOverrides: { RenderWait: 50 } },
  });
  try {
    const input = await uploadRunInput(host, { catalogPath: files.catalog, campaignPath, runId: `run-${name}`, channels: [CHANNEL.id] });
    const { executionId } = await host.start(input, input.runId);
    const summary = await followRun(host, executionId);
    const ads = await host.deps.tracker.listAds({ runId: input.runId });
    const renders = await host.deps.tracker.listRenders({ runId: input.runId });
    return { summary, ads, renders, outDir: join(root, `out-${name}`) };
  } finally {
    await host.close();
  }
}

describe('the http render protocol, end to end against the reference render server', () => {
  let root: string;
  let server: RenderServer;
  let files: { catalog: string; campaign: string };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-http-render-'));
    server = await startRenderServer({ concurrency: 2 });
    const dir = join(root, 'input');
    files = await writeCatalog(
      dir,
      [
        { sku: 'HTTP-1', title: 'Blue Bottle', price: 12, images: ['blue.jpg'] },
        { sku: 'HTTP-2', title: 'Green Box', price: 30, compareAt: 40, images: ['green.jpg'] },
      ],
      [CHANNEL.id],
    );
    await writeFile(join(dir, 'blue.jpg'), await productPhoto('#2255cc'));
    await writeFile(join(dir, 'green.jpg'), await productPhoto('#22aa55'));
  });

  afterAll(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('publishes the same ads (products, channels, durations) as the procedural path, from real MP4 clips', async () => {
    const procedural = await runWith(root, 'procedural', files, { kind: 'procedural' });
    const http = await runWith(root, 'http', files, { kind: 'http', endpoint: server.url, pollSeconds: 1, timeoutSeconds: 60 });

    const shape = (ads: typeof http.ads) =>
      ads
        .filter((a) => a.status === 'published')
        .map((a) => `${a.sku}/${a.templateId}/${a.channel}/${a.durationSeconds}`)
        .sort();
    expect(shape(http.ads)).toEqual(shape(procedural.ads));
    expect(shape(http.ads).length).toBeGreaterThanOrEqual(2);
    expect(http.summary.failed).toBe(0);

    // Every shot went over HTTP once, came back as a clip, passed the gate on the first attempt, and was paid once.
    expect(server.jobs.length).toBe(http.renders.length);
    expect(new Set(server.jobs.map((j) => j.request.renderHash)).size).toBe(server.jobs.length);
    for (const render of http.renders) {
      expect(render).toMatchObject({ state: 'SUCCEEDED', renderer: 'http', endpoint: 'http', attempts: 1, fallback: false });
      expect(render.output?.kind).toBe('clip');
      const clip = await probeMedia(join(http.outDir, render.output!.key));
      expect(clip.video).toMatchObject({ codec: 'h264', width: CHANNEL.family.renderWidth, height: CHANNEL.family.renderHeight });
    }
    expect(http.summary.renders).toMatchObject({ shots: http.renders.length, firstPassYield: 1, finalYield: 1, fallbacks: 0 });
    expect(http.summary.renders!.byEndpoint.http.costUsd).toBeGreaterThan(0);
    // plan --quote's figures for the jobs this run planned match the render seconds it recorded (within 10 %).
    const jobs = await Promise.all(
      http.renders.map(async (r) => RenderJob.parse(JSON.parse(await readFile(join(http.outDir, `render-jobs/${r.renderHash}.json`), 'utf8')))),
    );
    const quote = quoteJobs(jobs, Campaign.shape.renderer.parse({ kind: 'http', endpoint: server.url }));
    expect(Math.abs(quote.renderSeconds - http.summary.renders!.videoSeconds) / http.summary.renders!.videoSeconds).toBeLessThanOrEqual(0.1);
    expect(quote.costUsd).toBeCloseTo(http.summary.renders!.costUsd, 4);
    for (const ad of http.ads) {
      const probe = await probeMedia(join(http.outDir, ad.outputs.video!));
      expect(probe.video).toMatchObject({ width: CHANNEL.width, height: CHANNEL.height });
    }
  });
});
