import type { Campaign } from '#domain/model/campaign';
import type { ChannelSpec } from '#domain/model/channel-spec';
import type { Product } from '#domain/model/product';
import type { RenderJob } from '#domain/model/render-job';
import type { Storyboard } from '#domain/model/storyboard';
import type { Template } from '#domain/model/template';

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
