import type { Campaign } from './campaign.ts';
import type { ChannelSpec } from './channel-spec.ts';
import { priceLine, shortenAtWord } from './copy.ts';
import { contentHash, seedFrom } from './hash.ts';
import type { Product } from './product.ts';
import { RenderJob } from './render-job.ts';
import { Storyboard, type Box, type Overlay, type StoryboardShot } from './storyboard.ts';
import type { OverlaySlot, Template, TemplateShot } from './template.ts';

/** Bumped whenever the planner's output changes for the same input: old ads then count as stale. */
export const PLANNER_VERSION = 'planner@1';

const FADE_SECONDS = 0.5;
const MIN_SHOT_SECONDS = 1.5;
/** Average advance of Inter Bold in ems; an estimate until copy is measured with the font's metrics. */
const AVERAGE_GLYPH_EM = 0.58;

export interface PlanInput {
  product: Product;
  campaign: Campaign;
  template: Template;
  channel: ChannelSpec;
}

export interface PlannedVariant {
  storyboard: Storyboard;
  jobs: RenderJob[];
}

/** Plans one (product, template, channel) variant: timed shots, overlays in the safe zone, render jobs. */
export function planStoryboard({ product, campaign, template, channel }: PlanInput): PlannedVariant {
  const duration = clamp(channel.duration.target, channel.duration.min, channel.duration.max);
  const shots = fitShots(template.shots, duration);
  const frames = timeline(shots, duration, channel.fps);
  const family = channel.family;
  const background: [string, string] = [campaign.brand.colors.primary, campaign.brand.colors.secondary];

  const jobs: RenderJob[] = [];
  const storyShots: StoryboardShot[] = shots.map((shot, index) => {
    const seed = seedFrom(product.sku, `${template.id}@${template.version}`, family.id, index, 0);
    const imageKey = product.images.length > 0 ? product.images[shot.subject.image % product.images.length] : undefined;
    const { start, length, fade } = frames[index];
    const request = {
      schemaVersion: 1 as const,
      family: family.id,
      width: family.renderWidth,
      height: family.renderHeight,
      duration: round3(length / channel.fps),
      camera: shot.camera,
      imageKey,
      focus: shot.subject.focus,
      background,
      seed,
      prompt: fillPrompt(template.prompt, product, campaign, shot),
      negativePrompt: template.negativePrompt,
    };
    const renderHash = contentHash({ request, renderer: campaign.renderer.kind });
    if (!jobs.some((job) => job.renderHash === renderHash)) jobs.push(RenderJob.parse({ ...request, renderHash }));
    return {
      index,
      role: shot.role,
      start: round3(start / channel.fps),
      duration: round3(length / channel.fps),
      fadeIn: round3(fade / channel.fps),
      camera: shot.camera,
      renderHash,
      seed,
    };
  });

  const overlays = shots.flatMap((shot, index) => shot.overlays.map((slot) => overlayFor(slot, storyShots[index], { product, campaign, channel })));
  const body = {
    schemaVersion: 1 as const,
    plannerVersion: PLANNER_VERSION,
    sku: product.sku,
    productHash: product.productHash,
    campaignId: campaign.id,
    templateId: template.id,
    templateVersion: template.version,
    channel: channel.id,
    channelVersion: channel.version,
    width: channel.width,
    height: channel.height,
    fps: channel.fps,
    duration: round3(frames.at(-1)!.start / channel.fps + frames.at(-1)!.length / channel.fps),
    seed: seedFrom(product.sku, `${template.id}@${template.version}`, channel.id),
    shots: storyShots,
    overlays,
    audio: { kind: 'silent' as const },
  };
  return { storyboard: Storyboard.parse({ ...body, hash: contentHash(body) }), jobs };
}

/** Drops optional shots, lowest priority first, until every shot can last at least MIN_SHOT_SECONDS. */
function fitShots(shots: readonly TemplateShot[], duration: number): TemplateShot[] {
  const kept = [...shots];
  while (kept.length > 1 && duration / kept.length < MIN_SHOT_SECONDS) {
    const droppable = kept.filter((s) => s.optional).sort((a, b) => a.priority - b.priority)[0];
    if (!droppable) break;
    kept.splice(kept.indexOf(droppable), 1);
  }
  return kept;
}

/** Splits the ad's frames between shots by weight; incoming fades overlap the previous shot. */
function timeline(shots: readonly TemplateShot[], duration: number, fps: number) {
  const total = Math.round(duration * fps);
  const fades = shots.map((s, i) => (i > 0 && s.transition === 'fade' ? Math.round(FADE_SECONDS * fps) : 0));
  const available = total + fades.reduce((a, b) => a + b, 0);
  const weights = shots.map((s) => s.weight);
  const lengths = apportion(available, weights);
  let cursor = 0;
  return shots.map((_, i) => {
    const start = i === 0 ? 0 : cursor - fades[i];
    cursor = start + lengths[i];
    return { start, length: lengths[i], fade: fades[i] };
  });
}

/** Largest-remainder split of `total` integer units in proportion to `weights`. */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const floors = exact.map(Math.floor);
  let left = total - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) if (left-- > 0) floors[i] += 1;
  return floors;
}

function overlayFor(slot: OverlaySlot, shot: StoryboardShot, ctx: { product: Product; campaign: Campaign; channel: ChannelSpec }): Overlay {
  const { product, campaign, channel } = ctx;
  const safe = safeArea(channel);
  const fontPx = Math.max(channel.minTextPx, Math.round(Math.min(channel.width, channel.height) * (slot === 'headline' ? 0.06 : 0.05)));
  const rowH = Math.ceil(fontPx * 1.6);
  const maxChars = Math.max(4, Math.floor((safe.w - fontPx) / (fontPx * AVERAGE_GLYPH_EM)));
  const colors = campaign.brand.colors;
  const start = round3(shot.start + Math.min(shot.fadeIn, shot.duration / 2));
  const end = round3(shot.start + shot.duration);
  const rows: Record<OverlaySlot, { row: number; text: string; color: string; background: string }> = {
    headline: { row: 0, text: shortenAtWord(product.title, maxChars), color: '#ffffff', background: '#000000b3' },
    brand: { row: 1, text: shortenAtWord(product.brand ?? campaign.brand.name, maxChars), color: '#ffffff', background: '#000000b3' },
    feature: { row: 1, text: shortenAtWord(product.features[0] ?? product.title, maxChars), color: '#ffffff', background: '#000000b3' },
    price: { row: -2, text: priceLine(product.price, product.compareAtPrice, campaign.locale), color: '#ffffff', background: '#000000b3' },
    cta: { row: -1, text: shortenAtWord(campaign.cta, maxChars), color: colors.text, background: colors.accent },
  };
  const { row, text, color, background } = rows[slot];
  const gap = Math.round(rowH * 0.3);
  const y = row >= 0 ? safe.y + row * (rowH + gap) : safe.y + safe.h + row * (rowH + gap) + gap;
  const box: Box = { x: safe.x, y, w: safe.w, h: rowH };
  return { slot, text, box, fontPx, color, background, start, end };
}

/** The rectangle of the frame that no platform UI covers. */
export function safeArea(channel: ChannelSpec): Box {
  const { top, bottom, left, right } = channel.safeZone;
  return { x: left, y: top, w: channel.width - left - right, h: channel.height - top - bottom };
}

function fillPrompt(pattern: string, product: Product, campaign: Campaign, shot: TemplateShot): string {
  const values: Record<string, string> = { title: product.title, brand: product.brand ?? campaign.brand.name, camera: shot.camera.replace('-', ' ') };
  return pattern.replace(/\{(\w+)\}/g, (match, name: string) => values[name] ?? match);
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const round3 = (x: number) => Math.round(x * 1000) / 1000;
