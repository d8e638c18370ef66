import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererProfile, type RendererSettings } from '#domain/model/campaign';
import { MODEL_PROFILES } from '#domain/render/models/index';
import { probeMedia } from '#media/ffmpeg';
import { BedrockRenderClient } from '#adapters/render/bedrock-render-client';
import { FalRenderClient } from '#adapters/render/fal-render-client';
import { HttpRenderClient } from '#adapters/render/http-render-client';
import type { RenderClient } from '#ports/render-client';
import { ReplicateRenderClient } from '#adapters/render/replicate-render-client';
import { SageMakerRenderClient } from '#adapters/render/sagemaker-render-client';
import { openLocalHost } from '../../local/local-host.ts';
import { followRun, uploadRunInput } from '../../local/local-run.ts';
import { startRenderServer, type RenderServer } from '../../local/render-server.ts';
import { productPhoto, writeCatalog } from '../support/catalog-fixture.ts';
import { startStandIns, type StandIns } from '../support/model-stand-ins.ts';
import { tinyChannel } from '../support/tiny-channels.ts';

// Nova Reel only makes 1280×720: it serves landscape placements; every other model follows the image's aspect.
const PORTRAIT = tinyChannel('tiktok', 180, 320);
const LANDSCAPE = tinyChannel('youtube-16x9', 320, 180);
const AWS = { region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 };

let root: string;
let standIns: StandIns;
let reference: RenderServer;

/** The real adapters, pointed at the stand-ins (keys and S3 are the only things that differ from AWS). */
function clients(settings: RendererSettings): RenderClient {
  const profile = rendererProfile(settings)!;
  const timeoutMs = 10_000;
  switch (settings.kind) {
    case 'fal':
      return new FalRenderClient({ endpoint: standIns.url, model: profile.model, key: 'fal-test', timeoutMs, profile });
    case 'replicate':
      return new ReplicateRenderClient({ endpoint: standIns.url, model: profile.model, token: 'r8-test', timeoutMs, profile });
    case 'bedrock':
      return new BedrockRenderClient({
        client: new BedrockRuntimeClient({ ...AWS, endpoint: standIns.h2Url }),
        model: profile.model,
        outputPrefix: 's3://standin/bedrock',
        objects: standIns.objects,
        profile,
      });
    case 'sagemaker':
      return new SageMakerRenderClient({
        client: new SageMakerRuntimeClient({ ...AWS, endpoint: standIns.url }),
        endpointName: profile.model,
        inputPrefix: 's3://standin/sagemaker-in',
        objects: standIns.objects,
        timeoutSeconds: 900,
        profile,
      });
    case 'http':
      return new HttpRenderClient({ endpoint: reference.url, timeoutMs });
    default:
      throw new Error(`no client for ${settings.kind}`);
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'adline-model-profiles-'));
  // Quarter-size clips (720p → 180×320, the tiny channel's size): each model's aspect, frame rate and frame count, 1/16 of the pixels.
  standIns = await startStandIns({ sizeScale: 0.25 });
  reference = await startRenderServer({ concurrency: 2 });
});

afterAll(async () => {
  await standIns?.close();
  await reference?.close();
  await rm(root, { recursive: true, force: true });
});

describe.concurrent('every model profile, one product through the local workflow against its stand-in', () => {
  for (const profile of MODEL_PROFILES) {
    it(
      profile.id,
      async () => {
        const channel = profile.id === 'bedrock-nova-reel' ? LANDSCAPE : PORTRAIT;
        const dir = join(root, profile.id);
        const files = await writeCatalog(join(dir, 'input'), [{ sku: 'MUG-1', title: 'Blue Mug', price: 12, images: ['mug.jpg'] }], [channel.id]);
        await writeFile(join(dir, 'input', 'mug.jpg'), await productPhoto('#2255cc'));
        const campaign = JSON.parse(await readFile(files.campaign, 'utf8'));
        const endpoint =
          profile.provider === 'http' ? reference.url : profile.provider === 'bedrock' || profile.provider === 'sagemaker' ? undefined : standIns.url;
        await writeFile(
          files.campaign,
          JSON.stringify({
            ...campaign,
            renderer: { kind: profile.provider, profile: profile.id, ...(endpoint ? { endpoint } : {}), pollSeconds: 1, timeoutSeconds: 120, maxAttempts: 2 },
          }),
        );
        const host = await openLocalHost({
          outDir: join(dir, 'out'),
          stateDir: join(dir, 'state'),
          inMemoryTracker: true,
          extraChannels: [PORTRAIT, LANDSCAPE],
          renderClients: clients,
          timing: { waitTimeOverrides: { RenderWait: 100 } },
        });
        try {
          const input = await uploadRunInput(host, {
            catalogPath: files.catalog,
            campaignPath: files.campaign,
            runId: `run-${profile.id.replace(/\./g, '-')}`,
            channels: [channel.id],
          });
          const { executionId } = await host.start(input, input.runId);
          const summary = await followRun(host, executionId);
          const renders = await host.deps.tracker.listRenders({ runId: input.runId });
          const ads = await host.deps.tracker.listAds({ runId: input.runId });

          // Every request the stand-in saw was accepted (no 4xx), first-pass yield 100 %, no fallback.
          const mine = standIns.requests.filter((r) => r.model === profile.model);
          expect(mine.filter((r) => r.status >= 400).map((r) => JSON.stringify(r.body).slice(0, 300))).toEqual([]);
          expect(summary.renders).toMatchObject({ firstPassYield: 1, finalYield: 1, fallbacks: 0 });
          expect(renders.length).toBeGreaterThan(0);
          for (const render of renders) {
            expect(render).toMatchObject({ state: 'SUCCEEDED', renderer: profile.provider, attempts: 1, fallback: false });
            expect(render.costUsd).toBeGreaterThan(0);
            // The stored clip is in the model's own shape (its fps), not the shot's: the assembler conformed it.
            const clip = await probeMedia(join(dir, 'out', render.output!.key));
            if (profile.output.fps) expect(clip.video!.fps).toBeCloseTo(profile.output.fps, 1);
          }
          // A valid variant for the placement: the channel's size, 30 fps, its length.
          expect(ads.filter((a) => a.status === 'published')).toHaveLength(1);
          const video = await probeMedia(join(dir, 'out', ads[0].outputs.video!));
          expect(video.video).toMatchObject({ codec: 'h264', width: channel.width, height: channel.height });
          expect(video.video!.fps).toBeCloseTo(channel.fps, 1);
          expect(Math.abs(video.durationSeconds - ads[0].durationSeconds!)).toBeLessThan(0.1);
        } finally {
          await host.close();
        }
        // Alone: 18–28 s per profile, ~70 s for the file on 2 shared cores; inside a loaded full suite, much more.
      },
      300_000,
    );
  }
});
