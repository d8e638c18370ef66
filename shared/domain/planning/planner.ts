import type { Campaign } from '#domain/model/campaign';
import { rendererProfile } from '#domain/model/campaign';
import { clipRequestFor, promptFor } from '#domain/render/clip-plan';
import type { AspectFamily, ChannelSpec } from '#domain/model/channel-spec';
import { CHANNELS } from './channels.ts';
import { discountText, featureBullets, priceWithWas } from './copy.ts';
import { copyBoxColor } from './brand-style.ts';
import { besidePrice } from '#domain/render/price-row';
import { sharedEncode } from './shared-encode.ts';
import { outputKind } from '#domain/model/output-kinds';
import { contentHash, seedFrom } from '#domain/hash';
import { fitText, type FittedText } from './layout.ts';
import { layoutArea } from '#domain/planning/photo-layout';
import type { Product } from '#domain/model/product';
import type { RenderJob } from '#domain/model/render-job';
import { Storyboard, type Box, type Overlay, type StoryboardShot, type StoryboardStill } from '#domain/model/storyboard';
import type { OverlaySlot, Template, TemplateShot } from '#domain/model/template';
import { drawableText } from './text-metrics.ts';

/** Bumped whenever the planner's output changes for the same input: old ads then count as stale. */
export const PLANNER_VERSION = 'planner@3';

const FADE_SECONDS = 0.5;
const MIN_SHOT_SECONDS = 1.5;

export interface PlanInput {
  product: Product;
  campaign: Campaign;
  template: Template;
  channel: ChannelSpec;
  /**
   * Creative generation, 0 (the default) for the first plan. A refresh of a stale ad bumps it: every
   * seed changes and shots start from the next product photo; generation 0 keeps the original seeds.
   */
  generation?: number;
  /** The media toolchain's id: part of procedural render hashes (sharp makes those plates); absent, hashes as before. */
  toolchain?: string;
  /** Shots a reviewer asked to take again: storyboard shot index → take (1, 2, …); that shot gets the next seed (procedural: the next photo). */
  reseed?: Readonly<Record<number, number>>;
  /**
   * The host's placements (default: the registry). Video placements of the same size that can share an
   * encode are planned with their shared spec (shared-encode.ts), so their storyboards differ only in name.
   */
  siblings?: readonly ChannelSpec[];
}

export interface PlannedVariant {
  storyboard: Storyboard;
  /** Unique render jobs of this variant (none for image channels: banners are composed from the photo). */
  jobs: RenderJob[];
}

/** A template × product × channel combination the template was not made for (it still plans, validly). */
export function templateFits(
  template: Template,
  product: Pick<Product, 'images' | 'price' | 'compareAtPrice' | 'features' | 'description'>,
  channel?: Pick<ChannelSpec, 'id'>,
): boolean {
  const c = template.conditions;
  const discounted =
    !!product.compareAtPrice && product.compareAtPrice.currency === product.price.currency && product.compareAtPrice.amount > product.price.amount;
  return (
    product.images.length >= c.minImages &&
    (c.maxImages === undefined || product.images.length <= c.maxImages) &&
    (!c.requiresDiscount || discounted) &&
    (c.minFeatures === 0 || featureBullets(product).length >= c.minFeatures) &&
    (!c.channels || !channel || c.channels.includes(channel.id) || !CHANNELS.some((known) => known.id === channel.id))
  );
}

/** Plans one (product, template, channel) variant: timed shots, overlays in the safe zone, render jobs. */
export function planStoryboard(input: PlanInput): PlannedVariant {
  if (outputKind(input.channel.kind).plan === 'still') return planStill(input);
  return planVideo({ ...input, channel: sharedEncode(input.channel, input.siblings ?? CHANNELS).spec });
}

/** Seeds: generation 0 hashes exactly the parts it always did, so existing seeds stay put. */
function seedOf(generation: number, ...parts: Array<string | number>): number {
  return generation > 0 ? seedFrom(...parts, generation) : seedFrom(...parts);
}

function adDuration(template: Template, channel: ChannelSpec): number {
  return clamp(Math.min(channel.duration.target, template.maxSeconds ?? Infinity), channel.duration.min, channel.duration.max);
}

interface TimedShot {
  /** Index in the template (stable across channels, so family siblings share seeds and renders). */
  templateIndex: number;
  shot: TemplateShot;
  start: number;
  length: number;
  fade: number;
}

/** The shots a channel keeps and their frame timing. */
function timedShots(template: Template, channel: ChannelSpec): TimedShot[] {
  const duration = adDuration(template, channel);
  const kept = fitShots(template.shots, duration);
  const frames = timeline(
    kept.map((i) => template.shots[i]),
    duration,
    channel.fps,
  );
  return kept.map((templateIndex, i) => ({ templateIndex, shot: template.shots[templateIndex], ...frames[i] }));
}

/** The registry's video families, and the two that generative clips are rendered in (one per orientation). */
const REGISTRY_FAMILIES = new Set(CHANNELS.filter((c) => c.kind === 'video').map((c) => c.family.id));
const PORTRAIT_MASTER = CHANNELS.find((c) => c.kind === 'video' && c.family.id === '9:16')?.family;
const LANDSCAPE_MASTER = CHANNELS.find((c) => c.kind === 'video' && c.family.id === '16:9')?.family;

/**
 * The family a channel's shots are rendered in. A procedural plate is a still the assembler frames for each
 * channel, so every family keeps its own. A generative clip is the expensive part, and the assembler fits
 * any clip to its channel (cover, centred): every portrait or square registry placement (9:16, 4:5, 1:1, 2:3)
 * shares the 9:16 clip, the landscape ones the 16:9 clip. A family outside the registry keeps its own.
 */
function renderFamilyOf(channel: ChannelSpec, generative: boolean): AspectFamily {
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
function familyShotSeconds(template: Template, channel: ChannelSpec): Map<number, number> {
  let byFamily = familyCache.get(template);
  if (!byFamily) familyCache.set(template, (byFamily = new Map()));
  const family = renderFamilyOf(channel, true).id;
  const key = `${family}|${channel.id}@${channel.version}`;
  let seconds = byFamily.get(key);
  if (!seconds) {
    seconds = new Map();
    const siblings = [channel, ...CHANNELS.filter((c) => c.kind === 'video' && c.id !== channel.id && renderFamilyOf(c, true).id === family)];
    for (const sibling of siblings) {
      for (const t of timedShots(template, sibling)) seconds.set(t.templateIndex, Math.max(seconds.get(t.templateIndex) ?? 0, round3(t.length / sibling.fps)));
    }
    byFamily.set(key, seconds);
  }
  return seconds;
}

function planVideo({ product, campaign, template, channel, generation = 0, toolchain, reseed }: PlanInput): PlannedVariant {
  const shots = timedShots(template, channel);
  const background: [string, string] = [campaign.brand.colors.primary, campaign.brand.colors.secondary];
  const templateKey = `${template.id}@${template.version}`;
  const generative = campaign.renderer.kind !== 'procedural';
  const family = renderFamilyOf(channel, generative);
  const renderSeconds = generative ? familyShotSeconds(template, channel) : undefined;
  // The portrait clip is shared with the 4:5, 1:1 and 2:3 placements, which crop it: ask for room around the product.
  const cropNote = generative && family === PORTRAIT_MASTER ? CROP_NOTE : '';

  const jobs: RenderJob[] = [];
  const storyShots: StoryboardShot[] = shots.map(({ templateIndex, shot, start, length, fade }, index) => {
    const take = reseed?.[index] ?? 0;
    const base = seedOf(generation, product.sku, templateKey, family.id, templateIndex, 0);
    const seed = take > 0 ? seedFrom(base, 'take', take) : base;
    const imageKey = imageFor(product, shot.subject.image + (generative ? 0 : take), generation);
    // A procedural plate is a still: only the photo, crop, size and colours make it, so shots (and
    // templates) that show the same photo share one plate. Generative shots carry the move, length, seed and prompt.
    const request = {
      schemaVersion: 1 as const,
      family: family.id,
      width: family.renderWidth,
      height: family.renderHeight,
      duration: generative ? renderSeconds!.get(templateIndex)! : 1,
      camera: generative ? shot.camera : ('static' as const),
      imageKey,
      focus: shot.subject.focus,
      background,
      seed: generative ? seed : 0,
      prompt: generative ? promptFor({ product, campaign, shot, pattern: template.prompt, cropNote, profile: rendererProfile(campaign.renderer) }) : '',
      negativePrompt: generative ? template.negativePrompt : '',
      ...(generative
        ? { clip: clipRequestFor(campaign, { seconds: renderSeconds!.get(templateIndex)!, width: family.renderWidth, height: family.renderHeight }) }
        : {}),
      // A procedural plate is laid out by photo class inside the family's clear area; detail shots crop closer.
      ...(generative ? {} : { area: layoutArea(channel), ...(shot.role === 'detail' ? { detail: true } : {}) }),
    };
    // The model is part of the hash (absent for procedural, so those hashes are unchanged): a new model is a new render.
    // So is the toolchain for procedural plates; a paid endpoint's render does not change with the local ffmpeg.
    const renderHash = renderHashOf(request, campaign.renderer.kind, campaign.renderer.model, generative ? undefined : toolchain);
    if (!jobs.some((job) => job.renderHash === renderHash)) jobs.push({ ...request, renderHash });
    return {
      index,
      role: shot.role,
      start: round3(start / channel.fps),
      duration: round3(length / channel.fps),
      fadeIn: round3(fade / channel.fps),
      ...(fade > 0 && shot.transition !== 'fade' && shot.transition !== 'cut' ? { transition: shot.transition } : {}),
      camera: shot.camera,
      renderHash,
      seed,
    };
  });

  const copy = copyFor(product, campaign);
  let featureOffset = 0;
  const overlays = shots.flatMap(({ shot }, index) => {
    const s = storyShots[index];
    const start = round3(s.start + Math.min(s.fadeIn, s.duration / 2));
    const end = round3(s.start + s.duration);
    const placed = layoutVideoShot(shot.overlays, copy, channel, campaign, featureOffset);
    featureOffset += shot.overlays.filter((slot) => slot === 'feature').length;
    return placed.map((o) => ({ ...o, start, end }));
  });
  const last = storyShots.at(-1)!;
  return {
    storyboard: finish({
      ...header(product, campaign, template, channel, generation, 'video'),
      duration: round3(last.start + last.duration),
      shots: storyShots,
      overlays,
    }),
    jobs,
  };
}

const renderHashes = new Map<string, string>();

/** contentHash of a render request, remembered: family siblings and templates ask for the same plates again and again. */
function renderHashOf(request: Omit<RenderJob, 'renderHash'>, renderer: string, model: string | undefined, toolchain: string | undefined): string {
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

function header(product: Product, campaign: Campaign, template: Template, channel: ChannelSpec, generation: number, kind: 'video' | 'image') {
  return {
    schemaVersion: 1 as const,
    kind,
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
    seed: seedOf(generation, product.sku, `${template.id}@${template.version}`, channel.id),
    ...(generation > 0 ? { generation } : {}),
    audio: { kind: 'silent' as const },
  };
}

function finish(body: Omit<Storyboard, 'hash'>): Storyboard {
  // Built field by field above, so the schema check is a guard, not a conversion: hash what is returned.
  const storyboard = { ...body, hash: contentHash(body) };
  return CHECK_SCHEMA ? Storyboard.parse(storyboard) : storyboard;
}

// Validating every storyboard costs ~30% of planning time; the property tests parse every one they make.
const CHECK_SCHEMA = true;

function imageFor(product: Product, index: number, generation: number): string | undefined {
  return product.images.length > 0 ? product.images[(index + generation) % product.images.length] : undefined;
}

/** Drops optional shots, lowest priority first, until every shot can last at least MIN_SHOT_SECONDS; returns template indices. */
function fitShots(shots: readonly TemplateShot[], duration: number): number[] {
  const kept = shots.map((_, i) => i);
  while (kept.length > 1 && duration / kept.length < MIN_SHOT_SECONDS) {
    const droppable = kept.filter((i) => shots[i].optional).sort((a, b) => shots[a].priority - shots[b].priority || b - a)[0];
    if (droppable === undefined) break;
    kept.splice(kept.indexOf(droppable), 1);
  }
  return kept;
}

/** Splits the ad's frames between shots by weight; incoming fades overlap the previous shot. */
function timeline(shots: readonly TemplateShot[], duration: number, fps: number) {
  const total = Math.round(duration * fps);
  const fades = shots.map((s, i) => (i > 0 && s.transition !== 'cut' ? Math.round(FADE_SECONDS * fps) : 0));
  const available = total + fades.reduce((a, b) => a + b, 0);
  const lengths = apportion(
    available,
    shots.map((s) => s.weight),
  );
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

interface Copy {
  /** Absent when no shipped font draws the title: the ad has no headline (reported as a text notice), never another text. */
  headline?: string;
  brand: string;
  features: string[];
  price: string;
  /** The compare-at price inside `price`, drawn struck through. */
  was?: string;
  discount?: string;
  /** Absent when no shipped font draws the campaign's CTA (a text notice says so). */
  cta?: string;
  /** Language of the copy: picks the CJK font for Han. */
  locale: string;
}

const copyCache = new WeakMap<Product, WeakMap<Campaign, Copy>>();

/** The product's copy, made drawable by the shipped fonts (emoji and uncovered scripts are dropped); once per product and campaign. */
function copyFor(product: Product, campaign: Campaign): Copy {
  let byCampaign = copyCache.get(product);
  if (!byCampaign) copyCache.set(product, (byCampaign = new WeakMap()));
  let copy = byCampaign.get(campaign);
  if (!copy) byCampaign.set(campaign, (copy = makeCopy(product, campaign)));
  return copy;
}

function makeCopy(product: Product, campaign: Campaign): Copy {
  // The product's brand, else the campaign's; one no font draws is left out (a text notice), not replaced.
  const brand = drawableText(product.brand ?? campaign.brand.name);
  const discount = discountText(product.price, product.compareAtPrice, campaign.locale);
  return {
    // A title no font draws is left out (and reported by textNotices), never swapped for the brand.
    headline: drawableText(product.title) || undefined,
    brand,
    features: featureBullets(product).map(drawableText).filter(Boolean),
    ...priceCopy(product, campaign),
    discount: discount ? drawableText(discount) : undefined,
    cta: drawableText(campaign.cta) || undefined,
    locale: product.locale ?? campaign.locale,
  };
}

/** The price line (new price, then the compare-at price to strike through) as drawable text. */
function priceCopy(product: Product, campaign: Campaign): { price: string; was?: string } {
  const { line, was } = priceWithWas(product.price, product.compareAtPrice, campaign.locale);
  const drawnWas = was ? drawableText(was) : '';
  return { price: drawableText(line), ...(drawnWas ? { was: drawnWas } : {}) };
}

type SlotStyle = { color: string; background: string; preferred: number; maxLines: number; whole?: boolean };

function slotStyle(slot: OverlaySlot, campaign: Campaign, short: number): SlotStyle {
  const { accent, text } = campaign.brand.colors;
  const dark = copyBoxColor(campaign.brand.colors.primary);
  switch (slot) {
    case 'headline':
      return { color: '#ffffff', background: dark, preferred: short * 0.075, maxLines: 2 };
    case 'brand':
      return { color: '#ffffff', background: dark, preferred: short * 0.045, maxLines: 1 };
    case 'feature':
      return { color: '#ffffff', background: dark, preferred: short * 0.055, maxLines: 2 };
    case 'price':
      return { color: '#ffffff', background: dark, preferred: short * 0.065, maxLines: 2, whole: true };
    case 'discount':
      return { color: text, background: accent, preferred: short * 0.09, maxLines: 1, whole: true };
    case 'cta':
      return { color: text, background: accent, preferred: short * 0.055, maxLines: 1 };
  }
}

const TOP_SLOTS: ReadonlySet<OverlaySlot> = new Set(['headline', 'brand', 'feature']);

/** The text of one slot; the n-th feature slot of a template shows the n-th bullet. */
function slotText(slot: OverlaySlot, copy: Copy, featureIndex: number): string | undefined {
  switch (slot) {
    case 'headline':
      return copy.headline;
    case 'brand':
      return copy.brand || undefined;
    case 'feature':
      return copy.features[featureIndex];
    case 'price':
      return copy.price;
    case 'discount':
      return copy.discount;
    case 'cta':
      return copy.cta;
  }
}

type Placed = Omit<Overlay, 'start' | 'end'>;

function overlayOf(slot: OverlaySlot, fit: FittedText, box: Box, style: SlotStyle, was?: string): Placed {
  const text = fit.lines.join('\n');
  return {
    slot,
    text,
    box,
    fontPx: fit.fontPx,
    font: fit.font,
    color: style.color,
    background: style.background,
    ...(slot === 'price' && was && text.includes(was) ? { strikethrough: was } : {}),
    ...(slot === 'cta' ? { shape: 'pill' as const } : {}),
  };
}

/** The CTA is a button: wider than its text by BUTTON_PAD em, so the pill's round ends clear the letters. */
const BUTTON_PAD = 0.8;

/** A fitted text widened into a button when it is the CTA and the width allows. */
function asButton(slot: OverlaySlot, fit: FittedText, maxW: number): FittedText {
  // Taller by the shadow under the button's face (#media/text-image buttonShadow).
  return slot === 'cta' ? { ...fit, w: Math.min(maxW, fit.w + Math.round(fit.fontPx * BUTTON_PAD)), h: fit.h + Math.max(1, Math.round(fit.h * 0.07)) } : fit;
}

/**
 * Lays out one video shot's slots: top band (headline, brand, feature) stacked down from the safe
 * top, bottom band (price, discount, cta) stacked up from the safe bottom, each box centred in the safe
 * area. If the bands would meet, lower-priority slots shrink to one line, then drop (headline, price and
 * cta are kept last).
 */
function layoutVideoShot(slots: readonly OverlaySlot[], copy: Copy, channel: ChannelSpec, campaign: Campaign, featureOffset: number): Placed[] {
  const safe = safeArea(channel);
  const short = Math.min(channel.width, channel.height);
  const gap = Math.max(4, Math.round(channel.minTextPx * 0.3));
  // Feature bullets advance through the template: each feature slot shows the next unused bullet.
  const requests = slots
    .map((slot, i) => ({
      slot,
      text: slotText(slot, copy, featureOffset + slots.slice(0, i).filter((x) => x === 'feature').length),
      style: slotStyle(slot, campaign, short),
    }))
    .filter((r): r is { slot: OverlaySlot; text: string; style: SlotStyle } => !!r.text);
  for (let squeeze = 0; squeeze < 3; squeeze++) {
    const top: Array<{ slot: OverlaySlot; fit: FittedText; style: SlotStyle }> = [];
    const bottom: typeof top = [];
    for (const r of requests) {
      if (squeeze === 2 && (r.slot === 'brand' || r.slot === 'feature')) continue;
      const fit = fitText({
        locale: copy.locale,
        text: r.text,
        minPx: channel.minTextPx,
        preferredPx: Math.max(channel.minTextPx, r.style.preferred),
        maxBoxWidth: safe.w,
        maxLines: squeeze > 0 ? 1 : r.style.maxLines,
        maxBoxHeight: safe.h,
        whole: r.style.whole,
      });
      if (fit) (TOP_SLOTS.has(r.slot) ? top : bottom).push({ slot: r.slot, fit: asButton(r.slot, fit, safe.w), style: r.style });
    }
    const height = [...top, ...bottom].reduce((h, p) => h + p.fit.h + gap, 0);
    if (height > safe.h && squeeze < 2) continue;
    const placed: Placed[] = [];
    let y = safe.y;
    for (const p of top) {
      placed.push(overlayOf(p.slot, p.fit, centre(safe, p.fit, y), p.style));
      y += p.fit.h + gap;
    }
    let bottomY = safe.y + safe.h;
    for (const p of [...bottom].reverse()) {
      bottomY -= p.fit.h;
      if (bottomY < y) break;
      placed.push(overlayOf(p.slot, p.fit, centre(safe, p.fit, bottomY), p.style, copy.was));
      bottomY -= gap;
    }
    addDiscountBadge(placed, copy, channel, campaign, safe, gap);
    return placed.filter((o) => o.box.y + o.box.h <= safe.y + safe.h);
  }
  return [];
}

/** Beside a struck-through price, the discount badge (when the shot has no badge of its own and the row fits). */
function addDiscountBadge(placed: Placed[], copy: Copy, channel: ChannelSpec, campaign: Campaign, safe: Box, gap: number): void {
  const i = placed.findIndex((o) => o.slot === 'price');
  if (i < 0 || !copy.discount || !copy.was || placed.some((o) => o.slot === 'discount')) return;
  const price = placed[i];
  const style = slotStyle('discount', campaign, 0);
  const fit = fitText({
    locale: copy.locale,
    text: copy.discount,
    minPx: channel.minTextPx,
    preferredPx: Math.max(channel.minTextPx, Math.round(price.fontPx * 0.8)),
    maxBoxWidth: safe.w,
    maxLines: 1,
    maxBoxHeight: price.box.h,
    whole: true,
  });
  const row = fit && besidePrice(price.box, fit, safe, gap);
  if (!fit || !row) return;
  placed[i] = { ...price, box: row.price };
  placed.push(overlayOf('discount', fit, row.badge, style));
}

function centre(area: Box, fit: FittedText, y: number): Box {
  const w = Math.min(fit.w, area.w);
  return { x: area.x + Math.floor((area.w - w) / 2), y, w, h: fit.h };
}

/** The rectangle of the frame that no platform UI covers. */
export function safeArea(channel: ChannelSpec): Box {
  const { top, bottom, left, right } = channel.safeZone;
  return { x: left, y: top, w: channel.width - left - right, h: channel.height - top - bottom };
}

/** Appended to the prompt of a portrait clip, which the 4:5, 1:1 and 2:3 placements crop top and bottom. */
const CROP_NOTE = ' Keep the product centred in the middle third of the frame, with clear space above and below it.';

function fillPrompt(pattern: string, product: Product, campaign: Campaign, shot: TemplateShot): string {
  const values: Record<string, string> = {
    title: product.title,
    brand: product.brand ?? campaign.brand.name,
    category: product.category ?? 'product',
    camera: shot.camera.replace('-', ' '),
    focus: shot.subject.focus,
    role: shot.role,
    lighting: shot.lighting,
  };
  return pattern.replace(/\{(\w+)\}/g, (match, name: string) => values[name] ?? match);
}

/**
 * Plans a display banner: one still with the product photo, headline, price and CTA. Wide banners
 * (728×90, 320×50, 320×100, 970×250) lay out in a row — photo | headline over price | CTA — and the
 * others in a column — headline / photo / price and CTA. No render jobs: the composer draws the photo.
 */
function planStill({ product, campaign, template, channel, generation = 0 }: PlanInput): PlannedVariant {
  const hero = template.shots.find((s) => s.role === 'hero') ?? template.shots[0];
  const imageKey = imageFor(product, hero.subject.image, generation);
  const copy = copyFor(product, campaign);
  const layout = channel.width / channel.height >= 2.5 ? rowLayout(copy, channel, campaign, !!imageKey) : columnLayout(copy, channel, campaign, !!imageKey);
  const still: StoryboardStill = {
    ...(imageKey ? { imageKey } : {}),
    ...(layout.productBox && imageKey ? { productBox: layout.productBox } : {}),
    focus: hero.subject.focus,
    background: [campaign.brand.colors.primary, campaign.brand.colors.secondary],
  };
  return {
    storyboard: finish({
      ...header(product, campaign, template, channel, generation, 'image'),
      duration: 0,
      shots: [],
      overlays: layout.overlays.map((o) => ({ ...o, start: 0, end: 0 })),
      still,
    }),
    jobs: [],
  };
}

interface StillLayout {
  overlays: Placed[];
  productBox?: Box;
}

function fitSlot(
  slot: OverlaySlot,
  text: string | undefined,
  channel: ChannelSpec,
  campaign: Campaign,
  preferred: number,
  maxBoxWidth: number,
  maxBoxHeight: number,
  maxLines: number,
  locale?: string,
): { fit: FittedText; style: SlotStyle } | undefined {
  if (!text) return undefined;
  const style = slotStyle(slot, campaign, 0);
  const fit = fitText({
    locale,
    text,
    minPx: channel.minTextPx,
    preferredPx: Math.max(channel.minTextPx, preferred),
    maxBoxWidth,
    maxBoxHeight,
    maxLines,
    whole: style.whole,
  });
  return fit && { fit: asButton(slot, fit, maxBoxWidth), style };
}

function rowLayout(copy: Copy, channel: ChannelSpec, campaign: Campaign, hasImage: boolean): StillLayout {
  const safe = safeArea(channel);
  const gap = Math.max(4, Math.round(safe.h * 0.08));
  const overlays: Placed[] = [];
  const productW = hasImage ? Math.min(safe.h, Math.floor(safe.w * 0.25)) : 0;
  const productBox = productW > 0 ? { x: safe.x, y: safe.y + Math.floor((safe.h - productW) / 2), w: productW, h: productW } : undefined;
  let right = safe.x + safe.w;
  const cta = fitSlot('cta', copy.cta, channel, campaign, safe.h * 0.3, Math.floor(safe.w * 0.3), safe.h, 1, copy.locale);
  if (cta) {
    right -= cta.fit.w;
    overlays.push(overlayOf('cta', cta.fit, { x: right, y: safe.y + Math.floor((safe.h - cta.fit.h) / 2), w: cta.fit.w, h: cta.fit.h }, cta.style));
    right -= gap;
  }
  const left = safe.x + (productW > 0 ? productW + gap : 0);
  const colW = right - left;
  const price = colW > 0 ? fitSlot('price', copy.price, channel, campaign, safe.h * 0.24, colW, safe.h, 1, copy.locale) : undefined;
  const headRoom = safe.h - (price ? price.fit.h + Math.round(gap / 2) : 0);
  const headline = colW > 0 ? fitSlot('headline', copy.headline, channel, campaign, safe.h * 0.3, colW, headRoom, 2, copy.locale) : undefined;
  const stack = [headline && { slot: 'headline' as const, ...headline }, price && { slot: 'price' as const, ...price }].filter((x) => !!x);
  const stackH = stack.reduce((h, p) => h + p.fit.h, 0) + (stack.length > 1 ? Math.round(gap / 2) : 0);
  let y = safe.y + Math.floor((safe.h - stackH) / 2);
  for (const p of stack) {
    overlays.push(overlayOf(p.slot, p.fit, { x: left, y, w: p.fit.w, h: p.fit.h }, p.style, copy.was));
    y += p.fit.h + Math.round(gap / 2);
  }
  return { overlays, productBox };
}

function columnLayout(copy: Copy, channel: ChannelSpec, campaign: Campaign, hasImage: boolean): StillLayout {
  const safe = safeArea(channel);
  const gap = Math.max(4, Math.round(Math.min(safe.w, safe.h) * 0.04));
  const overlays: Placed[] = [];
  const tall = safe.h / safe.w > 1.5;
  const headline = fitSlot(
    'headline',
    copy.headline,
    channel,
    campaign,
    safe.w * (tall ? 0.12 : 0.08),
    safe.w,
    Math.floor(safe.h * 0.35),
    tall ? 3 : 2,
    copy.locale,
  );
  let top = safe.y;
  if (headline) {
    overlays.push(overlayOf('headline', headline.fit, centre(safe, headline.fit, top), headline.style));
    top += headline.fit.h + gap;
  }
  // Price and CTA side by side when both fit, else the CTA under the price.
  let bottom = safe.y + safe.h;
  const cta = fitSlot('cta', copy.cta, channel, campaign, safe.w * 0.07, safe.w, Math.floor(safe.h * 0.2), 1, copy.locale);
  const price = fitSlot('price', copy.price, channel, campaign, safe.w * 0.08, safe.w, Math.floor(safe.h * 0.2), 1, copy.locale);
  if (cta && price && price.fit.w + gap + cta.fit.w <= safe.w) {
    const rowH = Math.max(cta.fit.h, price.fit.h);
    const x0 = safe.x + Math.floor((safe.w - price.fit.w - gap - cta.fit.w) / 2);
    overlays.push(
      overlayOf('price', price.fit, { x: x0, y: bottom - rowH + Math.floor((rowH - price.fit.h) / 2), w: price.fit.w, h: price.fit.h }, price.style, copy.was),
    );
    overlays.push(
      overlayOf('cta', cta.fit, { x: x0 + price.fit.w + gap, y: bottom - rowH + Math.floor((rowH - cta.fit.h) / 2), w: cta.fit.w, h: cta.fit.h }, cta.style),
    );
    bottom -= rowH + gap;
  } else {
    for (const [slot, p] of [
      ['cta', cta],
      ['price', price],
    ] as const) {
      if (!p || bottom - p.fit.h < top) continue;
      bottom -= p.fit.h;
      overlays.push(overlayOf(slot, p.fit, centre(safe, p.fit, bottom), p.style, copy.was));
      bottom -= gap;
    }
  }
  const productH = bottom - top;
  const productBox = hasImage && productH >= Math.max(16, safe.h * 0.15) ? { x: safe.x, y: top, w: safe.w, h: productH } : undefined;
  return { overlays, productBox };
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const round3 = (x: number) => Math.round(x * 1000) / 1000;
