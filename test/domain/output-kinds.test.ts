import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ChannelSpec } from '#domain/model/channel-spec';
import { OUTPUT_KINDS, OutputKind, outputKindOfFile, rendersShots, type PlanMethod } from '#domain/model/output-kinds';
import { Storyboard } from '#domain/model/storyboard';
import { DeliveryItem, feedVideos } from '#domain/delivery/feed-formats';
import { CHANNELS } from '#domain/planning/channels';
import { planStoryboard } from '#domain/planning/planner';
import { encodeCount, sharedEncode } from '#domain/planning/shared-encode';
import { OUTPUT_KIND_STEPS } from '#usecases/output-kind-steps';
import { CAMPAIGN as campaign, TEMPLATES, product as makeProduct } from '../support/planner-fixtures.ts';

const KINDS = Object.keys(OUTPUT_KINDS);
const PLAN_METHODS: readonly PlanMethod[] = ['shots', 'still'];

/*
 * A new output kind is one entry in OUTPUT_KINDS (domain facts) and one in OUTPUT_KIND_STEPS (assemble and
 * validate). These tests hold the dispatch points to that: every schema's kind list is the registry's, every
 * kind has its steps and a plan method the planner knows, and no code outside the registries names a kind.
 */
describe('output-kind registry', () => {
  it('is the one list of kinds: the channel, storyboard and delivery schemas take exactly its keys', () => {
    expect(OutputKind.options).toEqual(KINDS);
    expect(ChannelSpec.shape.kind.options).toEqual(KINDS);
    expect(Storyboard.out.shape.kind.unwrap().options).toEqual(KINDS);
    expect(DeliveryItem.shape.kind.options).toEqual(KINDS);
  });

  it('gives every kind its assemble and validate steps, and nothing else', () => {
    // Type level: the steps are a total Record over the kinds (a kind without steps does not compile).
    expectTypeOf<keyof typeof OUTPUT_KIND_STEPS>().toEqualTypeOf<OutputKind>();
    expect(Object.keys(OUTPUT_KIND_STEPS).sort()).toEqual([...KINDS].sort());
    for (const kind of OutputKind.options) {
      expect(typeof OUTPUT_KIND_STEPS[kind].assemble, kind).toBe('function');
      expect(typeof OUTPUT_KIND_STEPS[kind].validate, kind).toBe('function');
    }
  });

  it('plans every kind by its plan method: shots give render jobs, a still none', () => {
    const template = TEMPLATES.find((t) => t.id === 'product-hero')!;
    const product = makeProduct({ images: ['images/a.jpg', 'images/b.jpg'] });
    for (const kind of OutputKind.options) {
      expect(PLAN_METHODS, kind).toContain(OUTPUT_KINDS[kind].plan);
      expect(['video', 'img'], kind).toContain(OUTPUT_KINDS[kind].shownAs);
      const channel = CHANNELS.find((c) => c.kind === kind);
      expect(channel, `a channel of kind ${kind} in the registry`).toBeDefined();
      const { storyboard, jobs } = planStoryboard({ product, campaign, template, channel: channel! });
      expect(storyboard.kind).toBe(kind);
      expect(jobs.length > 0, kind).toBe(rendersShots(kind));
      expect(storyboard.still !== undefined, kind).toBe(OUTPUT_KINDS[kind].plan === 'still');
    }
  });

  it('shares encodes and fills video feeds only for the kinds that say so', () => {
    for (const kind of OutputKind.options) {
      const channel = CHANNELS.find((c) => c.kind === kind)!;
      const group = sharedEncode(channel, CHANNELS).members;
      if (!OUTPUT_KINDS[kind].sharesEncodes) expect(group).toEqual([channel.id]);
      const item = { campaignId: 'c', sku: 's', productId: 's', templateId: 't', channel: 'tiktok', kind, url: 'u', posterUrl: 'p' };
      expect(feedVideos([item], 'tiktok').videos.length, kind).toBe(OUTPUT_KINDS[kind].feedVideo ? 1 : 0);
    }
    const banner = CHANNELS.find((c) => c.kind === 'image')!;
    expect(encodeCount([], CHANNELS)).toBe(0);
    expect(encodeCount([{ storyboard: {} as Storyboard, channel: banner }], CHANNELS)).toBe(0);
  });

  it('tells a published file’s kind from its extension', () => {
    expect(outputKindOfFile('ads/c/s/t/banner-300x250.png')).toBe('image');
    expect(outputKindOfFile('ads/c/s/t/banner-300x250.JPG')).toBe('image');
    expect(outputKindOfFile('ads/c/s/t/banner-300x250.jpeg')).toBe('image');
    expect(outputKindOfFile('ads/c/s/t/tiktok.mp4')).toBe('video');
    expect(outputKindOfFile('ads/c/s/t/tiktok')).toBe('video');
  });

  it('leaves no kind-named branch outside the registries', () => {
    const branch = /\bkind\s*[!=]==\s*'(video|image)'/;
    // The ChannelSpec refinements say what each kind's spec must hold (a video's duration, an image's
    // formats): shape rules of that schema, clearer as two lines there than as registry flags only they read.
    const allowedFiles = new Set(['shared/domain/model/channel-spec.ts']);
    const offenders: string[] = [];
    for (const dir of ['shared', 'local', 'functions']) {
      for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
        const path = join(dir, file);
        if (allowedFiles.has(path)) continue;
        readFileSync(path, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (branch.test(line)) offenders.push(`${path}:${i + 1}: ${line.trim()}`);
          });
      }
    }
    expect(offenders).toEqual([]);
    expect(branch.test("if (channel.kind === 'image') return")).toBe(true);
  });
});
