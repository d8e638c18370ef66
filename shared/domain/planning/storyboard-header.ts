import type { Campaign } from '#domain/model/campaign';
import type { ChannelSpec } from '#domain/model/channel-spec';
import type { Product } from '#domain/model/product';
import { Storyboard } from '#domain/model/storyboard';
import type { Template } from '#domain/model/template';
import { contentHash } from '#domain/hash';
import { seedOf } from './generation.ts';

/**
 * Bumped whenever the planner's output changes for the same input: old ads then count as stale.
 * planner@4: storyboards carry their frame timing (`frames`, and each shot's startFrame, frames and fadeFrames).
 */
export const PLANNER_VERSION = 'planner@4';

/** The fields every storyboard starts with: versions, identity, size, fps, seed and silent audio. */
export function storyboardHeader(product: Product, campaign: Campaign, template: Template, channel: ChannelSpec, generation: number, kind: 'video' | 'image') {
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

/** Hashes the storyboard's content into it and checks it against the schema. */
export function finishStoryboard(body: Omit<Storyboard, 'hash'>): Storyboard {
  // Built field by field by the planner, so the schema check is a guard, not a conversion: hash what is returned.
  return Storyboard.parse({ ...body, hash: contentHash(body) });
}
