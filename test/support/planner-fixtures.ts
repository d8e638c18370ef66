import { readdirSync, readFileSync } from 'node:fs';
import { Campaign } from '#domain/model/campaign';
import type { Overlay, Storyboard } from '#domain/model/storyboard';
import { Product } from '#domain/model/product';
import type { ChannelSpec } from '#domain/model/channel-spec';
import { safeArea } from '#domain/planning/overlay-layout';
import { blockHeight, textInset } from '#domain/planning/layout';
import { anyFontHas, hasGlyph, measureText, textLineHeight } from '#domain/planning/text-metrics';
import { parseTemplateFile } from '#domain/planning/template-catalog';
import type { Template } from '#domain/model/template';

/** Every template in templates/, parsed. */
export const TEMPLATES: Template[] = readdirSync('templates')
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => parseTemplateFile(f, readFileSync(`templates/${f}`, 'utf8')));

export const CAMPAIGN = Campaign.parse({
  schemaVersion: 1,
  id: 'c',
  name: 'C',
  brand: { name: 'Brand', colors: { primary: '#112233', secondary: '#445566', text: '#000000', accent: '#ffcc00' } },
  templates: ['product-hero'],
  channels: ['tiktok'],
});

/** A product with defaults filled in, from partial fields. */
export function product(fields: Record<string, unknown>): Product {
  return Product.parse({
    schemaVersion: 1,
    source: 'json',
    productHash: 'p1',
    sku: 'SKU-1',
    title: 'Harbor Ceramic Mug',
    price: { amount: 18, currency: 'USD' },
    ...fields,
  });
}

/** Every rule a storyboard must keep on its channel; returns the broken ones as sentences (empty = fine). */
export function storyboardProblems(sb: Storyboard, channel: ChannelSpec): string[] {
  const problems: string[] = [];
  const safe = safeArea(channel);
  const inside = (b: { x: number; y: number; w: number; h: number }) =>
    b.x >= safe.x && b.y >= safe.y && b.x + b.w <= safe.x + safe.w && b.y + b.h <= safe.y + safe.h;
  for (const o of sb.overlays) problems.push(...overlayProblems(o, channel, inside));
  if (sb.kind === 'video') {
    if (sb.duration < channel.duration.min - 1e-9 || sb.duration > channel.duration.max + 1e-9)
      problems.push(`duration ${sb.duration} outside ${channel.duration.min}–${channel.duration.max}`);
    const last = sb.shots.at(-1)!;
    if (Math.abs(last.start + last.duration - sb.duration) > 0.01) problems.push('shots do not end with the ad');
    for (const o of sb.overlays) if (o.end > sb.duration + 1e-9 || o.start >= o.end) problems.push(`${o.slot} timed ${o.start}–${o.end}`);
  } else {
    if (sb.shots.length !== 0 || sb.duration !== 0 || !sb.still) problems.push('an image storyboard is one still');
    if (sb.still?.productBox && !inside(sb.still.productBox)) problems.push('product box outside the safe zone');
  }
  // Overlays shown together must not cover each other.
  for (let i = 0; i < sb.overlays.length; i++) {
    for (let j = i + 1; j < sb.overlays.length; j++) {
      const [a, b] = [sb.overlays[i], sb.overlays[j]];
      const together = a.start === b.start && a.end === b.end;
      const overlap = a.box.x < b.box.x + b.box.w && b.box.x < a.box.x + a.box.w && a.box.y < b.box.y + b.box.h && b.box.y < a.box.y + a.box.h;
      if (together && overlap) problems.push(`${a.slot} overlaps ${b.slot}`);
    }
  }
  return problems;
}

function overlayProblems(o: Overlay, channel: ChannelSpec, inside: (b: Overlay['box']) => boolean): string[] {
  const problems: string[] = [];
  const font = o.font ?? 'inter';
  if (!inside(o.box)) problems.push(`${o.slot} box ${JSON.stringify(o.box)} outside the safe zone`);
  if (o.fontPx < channel.minTextPx) problems.push(`${o.slot} at ${o.fontPx}px < ${channel.minTextPx}px`);
  const { padX, padY } = textInset(o.fontPx, o.box.w, o.box.h);
  const lines = o.text.split('\n');
  for (const line of lines) {
    if (line.trim() === '') problems.push(`${o.slot} has an empty line`);
    if (measureText(line, font, o.fontPx) > o.box.w - 2 * padX) problems.push(`${o.slot} line "${line}" overflows its box`);
    // Pango falls back through every shipped font, so a glyph must be in the overlay's font or in one of them.
    for (const ch of line)
      if (ch !== ' ' && !hasGlyph(font, ch.codePointAt(0)!) && !anyFontHas(ch.codePointAt(0)!)) problems.push(`${o.slot} has "${ch}" that no font has`);
  }
  if (blockHeight(lines.length, textLineHeight(lines.join(''), font, 1)) * o.fontPx > o.box.h - 2 * padY + 1)
    problems.push(`${o.slot}: ${lines.length} lines overflow the box height`);
  return problems;
}
