import type { ChannelSpec } from '#domain/channel-spec';
import type { Template } from '#domain/template';
import type { RenderClientFactory } from '#render/render-client';
import type { AssetStore } from './asset-store.ts';
import type { CutoutProvider } from './cutout.ts';
import type { ImageFetcher } from './image-fetcher.ts';
import type { Tracker } from './tracker.ts';

/** What every handler needs from the outside world; AWS and the local host each build one. */
export interface Deps {
  store: AssetStore;
  tracker: Tracker;
  /** Channel specs by id (the registry, plus any extra channels a host adds, such as small test sizes). */
  channels: ReadonlyMap<string, ChannelSpec>;
  /** Templates by id, loaded and validated from templates/. */
  templates: ReadonlyMap<string, Template>;
  /** Scratch folder for media work (Lambda: /tmp). */
  workDir: string;
  now: () => Date;
  /** Builds the render endpoint client for a campaign's renderer settings; default: from the environment. */
  renderClients?: RenderClientFactory;
  /** Fetches product photos named by URL behind the SSRF guard; without it, remote images are refused. */
  images?: ImageFetcher;
  /** Background removal for busy photos (ADLINE_CUTOUT); without it they get the full-bleed or blur-fill layouts. */
  cutout?: CutoutProvider;
}
