import type { AspectFamily, ChannelSpec } from '#domain/model/channel-spec';
import type { RenderJob } from '#domain/model/render-job';
import type { Template } from '#domain/model/template';
import { contentHash } from '#domain/hash';
import { rendersShots } from '#domain/model/output-kinds';
import { CHANNELS } from './channels.ts';
import { round3, timedShots } from './shot-timing.ts';

/** The registry's shot-rendering (video) families, and the two that generative clips are rendered in (one per orientation). */
const REGISTRY_FAMILIES = new Set(CHANNELS.filter((c) => rendersShots(c.kind)).map((c) => c.family.id));
export const PORTRAIT_MASTER = CHANNELS.find((c) => rendersShots(c.kind) && c.family.id === '9:16')?.family;
const LANDSCAPE_MASTER = CHANNELS.find((c) => rendersShots(c.kind) && c.family.id === '16:9')?.family;

/**
 * The family a channel's shots are rendered in. A procedural plate is a still the assembler frames for each
 * channel, so every family keeps its own. A generative clip is the expensive part, and the assembler fits
 * any clip to its channel (cover, centred): every portrait or square registry placement (9:16, 4:5, 1:1, 2:3)
 * shares the 9:16 clip, the landscape ones the 16:9 clip. A family outside the registry keeps its own.
 */
export function renderFamilyOf(channel: ChannelSpec, generative: boolean): AspectFamily {
  if (!generative || !REGISTRY_FAMILIES.has(channel.family.id)) return channel.family;
  return (channel.width <= channel.height ? PORTRAIT_MASTER : LANDSCAPE_MASTER) ?? channel.family;
}

const familyCache = new WeakMap<Template, Map<string, Map<number, number>>>();

/**
 * Seconds a generative render of each template shot lasts: the longest that shot runs on any channel
 * rendered in the same family (registry channels plus this one). Every sibling then asks for the same
 * render and the assembler trims it to its own slot, so TikTok, Reels, Stories, Shorts, Snapchat and the
 * 4:5, 1:1 and 2:3 placements share their portrait shots.
 */
export function familyShotSeconds(template: Template, channel: ChannelSpec): Map<number, number> {
  let byFamily = familyCache.get(template);
  if (!byFamily) familyCache.set(template, (byFamily = new Map()));
  const family = renderFamilyOf(channel, true).id;
  const key = `${family}|${channel.id}@${channel.version}`;
  let seconds = byFamily.get(key);
  if (!seconds) {
    seconds = new Map();
    const siblings = [channel, ...CHANNELS.filter((c) => rendersShots(c.kind) && c.id !== channel.id && renderFamilyOf(c, true).id === family)];
    for (const sibling of siblings) {
      for (const t of timedShots(template, sibling)) seconds.set(t.templateIndex, Math.max(seconds.get(t.templateIndex) ?? 0, round3(t.length / sibling.fps)));
    }
    byFamily.set(key, seconds);
  }
  return seconds;
}

const renderHashes = new Map<string, string>();

/** contentHash of a render request, remembered: family siblings and templates ask for the same plates again and again. */
export function renderHashOf(request: Omit<RenderJob, 'renderHash'>, renderer: string, model: string | undefined, toolchain: string | undefined): string {
  const key = JSON.stringify([
    renderer,
    model ?? null,
    toolchain ?? null,
    request.family,
    request.width,
    request.height,
    request.duration,
    request.camera,
    request.imageKey ?? null,
    request.focus,
    request.background,
    request.seed,
    request.prompt,
    request.negativePrompt,
    request.schemaVersion,
    request.detail ?? null,
    request.area ?? null,
  ]);
  let hash = renderHashes.get(key);
  if (hash === undefined) {
    hash = contentHash({ request, renderer, model, toolchain });
    if (renderHashes.size >= 50_000) renderHashes.clear();
    renderHashes.set(key, hash);
  }
  return hash;
}

/** Appended to the prompt of a portrait clip, which the 4:5, 1:1 and 2:3 placements crop top and bottom. */
export const CROP_NOTE = ' Keep the product centred in the middle third of the frame, with clear space above and below it.';
