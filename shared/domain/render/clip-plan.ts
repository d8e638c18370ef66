import type { Campaign } from '#domain/model/campaign';
import { rendererProfile } from '#domain/model/campaign';
import { featureBullets, htmlToText } from '#domain/planning/copy';
import { planClip, type ClipRequest, type ModelProfile } from './model-profile.ts';
import type { Product } from '#domain/model/product';
import type { CameraMove, TemplateShot } from '#domain/model/template';

/**
 * What a generative render job asks its model for: the clip (length, fps, resolution, aspect from the
 * model profile) and the prompt (storyboard shot + product facts in the model's camera words, within its
 * prompt limit). Pure and deterministic: the same input gives the same request bytes.
 */

const CAMERA_WORDS: Record<CameraMove, string> = {
  static: 'static camera',
  'push-in': 'slow push-in',
  'pull-out': 'slow pull-out',
  'pan-left': 'slow pan left',
  'pan-right': 'slow pan right',
  'tilt-up': 'slow tilt up',
  'tilt-down': 'slow tilt down',
  parallax: 'gentle parallax move',
};

const COLOURS = [
  'black',
  'white',
  'grey',
  'gray',
  'silver',
  'gold',
  'red',
  'orange',
  'yellow',
  'green',
  'blue',
  'navy',
  'teal',
  'purple',
  'pink',
  'brown',
  'beige',
  'cream',
  'ivory',
  'tan',
  'olive',
  'burgundy',
];
const MATERIALS = [
  'ceramic',
  'porcelain',
  'stoneware',
  'glass',
  'steel',
  'stainless steel',
  'aluminium',
  'aluminum',
  'brass',
  'copper',
  'wood',
  'oak',
  'walnut',
  'bamboo',
  'leather',
  'suede',
  'cotton',
  'linen',
  'wool',
  'silk',
  'canvas',
  'nylon',
  'polyester',
  'plastic',
  'rubber',
  'marble',
  'concrete',
  'paper',
  'mesh',
];

/** The clip to ask for a shot shown at most `shotSeconds` in a `width`×`height` family; undefined for procedural campaigns. */
export function clipRequestFor(campaign: Campaign, shot: { seconds: number; width: number; height: number }): ClipRequest | undefined {
  const profile = rendererProfile(campaign.renderer);
  return profile ? planClip(profile, shot, campaign.renderer.clip) : undefined;
}

/** A tag like "color:blue" / "material:oak", else the first known word in the title, description or tags. */
function attribute(product: Product, keys: string[], words: string[]): string | undefined {
  for (const tag of product.tags) {
    const m = /^([a-z]+)\s*[:=]\s*(.+)$/i.exec(tag);
    if (m && keys.includes(m[1].toLowerCase())) return m[2].trim().toLowerCase();
  }
  const text = ` ${[product.title, htmlToText(product.description ?? ''), ...product.tags]
    .join(' ')
    .toLowerCase()
    .replace(/[^a-z ]+/g, ' ')} `;
  return words.find((w) => text.includes(` ${w} `));
}

/** The first sentence of the description, as plain text. */
function firstSentence(description: string): string {
  const text = htmlToText(description).replace(/\s+/g, ' ').trim();
  const end = text.search(/[.!?](\s|$)/);
  return (end > 0 ? text.slice(0, end + 1) : text).slice(0, 240);
}

/**
 * The prompt for one generative shot: the template's pattern filled in with the model's camera words,
 * the product (colour, material, category), the shot's focus and lighting, the description's first
 * sentence and the features, then, for clips other placements crop, the framing note. Parts are
 * dropped from the end (features first) until it fits the model's prompt limit.
 */
export function promptFor(input: {
  product: Product;
  campaign: Campaign;
  shot: TemplateShot;
  pattern: string;
  cropNote: string;
  profile?: ModelProfile;
}): string {
  const { product, campaign, shot, profile } = input;
  const camera = profile?.cameraWords[shot.camera] ?? CAMERA_WORDS[shot.camera] ?? shot.camera;
  const colour = attribute(product, ['color', 'colour'], COLOURS);
  const material = attribute(product, ['material'], MATERIALS);
  const category = product.category ?? 'product';
  const subject = [colour, material, category.toLowerCase()].filter(Boolean).join(' ');
  const brand = product.brand ?? campaign.brand.name;
  const values: Record<string, string> = {
    title: product.title,
    brand,
    category,
    camera,
    focus: shot.subject.focus,
    role: shot.role,
    lighting: shot.lighting,
  };
  // The template's pattern (its words for the shot) with the model's camera words, then the product facts.
  const head = input.pattern.replace(/\{(\w+)\}/g, (match, name: string) => values[name] ?? match);
  const facts = `The product: a ${subject}${colour || material ? '' : ` (${product.title})`}, ${shot.subject.focus} of frame, ${shot.lighting}.`;
  const description = product.description ? firstSentence(product.description) : '';
  const features = featureBullets(product);
  const parts = [head, facts, description, features.length ? `Features: ${features.join('; ')}.` : '', input.cropNote.trim()].filter(Boolean);
  const limit = profile?.request.promptMaxChars ?? 2000;
  // Drop optional parts (features, then description) before truncating the head.
  for (const drop of [2, 1]) {
    if (parts.join(' ').length <= limit) break;
    const optional = drop === 2 ? parts.findIndex((p) => p.startsWith('Features: ')) : parts.indexOf(description);
    if (optional > 0) parts.splice(optional, 1);
  }
  const text = parts.join(' ');
  return text.length <= limit ? text : `${text.slice(0, limit - 1).replace(/\s+\S*$/, '')}…`;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
