import type { ChannelSpec } from '#domain/model/channel-spec';
import type { Template } from '#domain/model/template';
import type { RenderClientFactory } from '#ports/render-client';
import type { AssetStore } from './asset-store.ts';
import type { CutoutProvider } from './cutout.ts';
import type { ImageFetcher } from './image-fetcher.ts';
import type { MediaEngine } from './media-engine.ts';
import type { Tracker } from './tracker.ts';

/** What every handler needs from the outside world; AWS and the local host each build one from a DepsTable. */
export interface Deps {
  store: AssetStore;
  tracker: Tracker;
  /** Channel specs by id (the registry, plus any extra channels a host adds, such as small test sizes). */
  channels: ReadonlyMap<string, ChannelSpec>;
  /** Templates by id, loaded and validated (from templates/ locally, from the assets bucket in AWS). */
  templates: ReadonlyMap<string, Template>;
  /** Scratch folder for media work (Lambda: /tmp). */
  workDir: string;
  now: () => Date;
  /** Builds the render endpoint client for a campaign's renderer settings (keys come from the host). */
  renderClients: RenderClientFactory;
  /** Fetches product photos named by URL behind the SSRF guard. */
  images: ImageFetcher;
  /** The media toolchain's id (shared/media/toolchain-version.ts); set only to simulate another ffmpeg/sharp. */
  toolchain?: string;
  /** ffmpeg, ffprobe and sharp: every encode, render, probe and photo analysis the use cases need. */
  media: MediaEngine;
  /** Background removal for busy photos (ADLINE_CUTOUT); null: they get the full-bleed or blur-fill layouts. */
  cutout: CutoutProvider | null;
}

/** The ports every host must build (the optional fields are test seams). */
type RequiredPort = { [K in keyof Deps]-?: undefined extends Deps[K] ? never : K }[keyof Deps];

/**
 * One builder per port: each host (functions/commons/aws-deps.ts, local/local-host.ts) writes one such
 * table, so a port one host wires and the other does not is a type error, never a runtime surprise.
 */
export type DepsTable<Context> = { [K in RequiredPort]: (context: Context) => Deps[K] | Promise<Deps[K]> };

/** Every port name of Deps, in one list (test/functions/deps-table.test.ts checks each host builds each). */
export const DEPS_PORTS = [
  'store',
  'tracker',
  'channels',
  'templates',
  'workDir',
  'now',
  'renderClients',
  'images',
  'cutout',
  'media',
] as const satisfies ReadonlyArray<keyof Deps>;
// A port added to Deps but not to DEPS_PORTS fails to type-check here.
const _allPorts: Record<Exclude<RequiredPort, (typeof DEPS_PORTS)[number]>, never> = {};
void _allPorts;

export class MissingPortError extends Error {
  override readonly name = 'MissingPortError';
  readonly code = 'PORT_MISSING';
  constructor(
    readonly port: string,
    host: string,
  ) {
    super(`The ${host} host built no "${port}" port: add its builder to the host's deps table.`);
  }
}

/** Builds Deps from a host's table, every port in DEPS_PORTS; a builder yielding nothing fails naming the port. */
export async function buildDeps<Context>(table: DepsTable<Context>, context: Context, host: string): Promise<Deps> {
  const entries = await Promise.all(
    DEPS_PORTS.map(async (port) => {
      const builder = (table as Partial<DepsTable<Context>>)[port];
      const value = builder ? await builder(context) : undefined;
      // null is a deliberate "none" (no cut-out configured); undefined means the host forgot the port.
      if (value === undefined) throw new MissingPortError(port, host);
      return [port, value] as const;
    }),
  );
  return Object.fromEntries(entries) as unknown as Deps;
}
