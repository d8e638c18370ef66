import { Option, type Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { AdRecord } from '#domain/model/ad-record';
import { Campaign } from '#domain/model/campaign';
import { ChannelSpec } from '#domain/model/channel-spec';
import { channelRegistry, selectChannels } from '#domain/planning/channels';
import { parseDocument } from '#domain/model/json-document';
import { openLocalHost, PACKAGE_ROOT, type LocalHost } from '../local-host.ts';

export const EXAMPLES = join(PACKAGE_ROOT, 'examples');

/** A --campaign option defaulting to the example campaign, shown in --help by its place in the repository (not this machine's path). */
export function campaignOption(flags: string, description: string): Option {
  return new Option(flags, description).default(join(EXAMPLES, 'campaign.json'), "adline's examples/campaign.json");
}

export interface StorageOptions {
  out: string;
  state: string;
  /** A JSON array of extra ChannelSpecs (small test sizes, a private channel) registered next to the built-in ones. */
  channelsFile?: string;
}

/** The --channels-file option (default from ADLINE_CHANNELS_FILE): extra channel specs; one with a built-in id replaces it. */
export function channelsFileOption(): Option {
  return new Option(
    '--channels-file <file>',
    'JSON array of extra channel specs to register (e.g. small test sizes); a spec with a built-in id replaces it',
  ).env('ADLINE_CHANNELS_FILE');
}

/** Adds the options every command that touches the asset store and tracker shares. */
export function withStorageOptions(cmd: Command): Command {
  return cmd
    .option('--out <dir>', 'where ads, posters and the gallery are written', 'out')
    .option('--state <dir>', 'where the tracker database lives', '.adline')
    .addOption(channelsFileOption());
}

/** The built-in channel registry plus the channels file's specs (if any). */
export async function registryFor(opts: { channelsFile?: string }): Promise<{ extraChannels?: ChannelSpec[]; registry: ReadonlyMap<string, ChannelSpec> }> {
  const extraChannels = opts.channelsFile ? await readChannelsFile(opts.channelsFile) : undefined;
  return { extraChannels, registry: channelRegistry(extraChannels) };
}

/**
 * Checks a command's channel ids against the registry before anything starts: `all` becomes every
 * registered placement, and an unknown id is an UnknownChannelError naming the known ones. Without
 * --channels, the campaign file's own channels are checked (and undefined returned: the campaign's apply).
 */
export async function resolveChannelIds(
  ids: readonly string[] | undefined,
  registry: ReadonlyMap<string, ChannelSpec>,
  campaignPath?: string,
): Promise<string[] | undefined> {
  if (ids) return selectChannels(ids, registry).map((c) => c.id);
  if (campaignPath) {
    // An unreadable or invalid campaign is reported later, with its field, by the step that stores it.
    const campaign = Campaign.safeParse(
      await readFile(campaignPath, 'utf8')
        .then((t) => JSON.parse(t) as unknown)
        .catch(() => undefined),
    );
    if (campaign.success) selectChannels(campaign.data.channels, registry);
  }
  return undefined;
}

/** Reads extra channel specs from a JSON file, naming the file and the field when one is invalid. */
export async function readChannelsFile(path: string): Promise<ChannelSpec[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the channels file ${path}: ${(error as Error).message}`);
  }
  return parseDocument(text, z.array(ChannelSpec), `Channels file ${path}`, (problem) =>
    problem.kind === 'not-json' ? new Error(`Cannot read the channels file ${path}: ${problem.detail}`) : new Error(problem.message),
  );
}

/** Opens the local host for one command and always closes it. */
export async function withHost<T>(opts: StorageOptions, work: (host: LocalHost) => Promise<T>): Promise<T> {
  const { extraChannels } = await registryFor(opts);
  const host = await openLocalHost({ outDir: opts.out, stateDir: opts.state, extraChannels });
  try {
    return await work(host);
  } finally {
    await host.close();
  }
}

/** Prints ads as an aligned table. */
export function printAds(ads: AdRecord[], outDir: string): void {
  const rows = ads.map((ad) => [
    ad.sku,
    ad.channel,
    ad.templateId,
    ad.status,
    ad.durationSeconds ? `${ad.durationSeconds.toFixed(1)} s` : '',
    ad.bytes ? `${(ad.bytes / 1e6).toFixed(2)} MB` : '',
    ad.outputs.video ? join(outDir, ad.outputs.video) : (ad.reason ?? ''),
  ]);
  const header = ['sku', 'channel', 'template', 'status', 'length', 'size', 'file / reason'];
  const widths = header.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i].length))));
  const format = (r: string[]) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ');
  process.stdout.write(`${[format(header), ...rows.map(format)].join('\n')}\n`);
}

/** Parses "a,b,c" into a list of ids. */
export function parseList(value: string): string[] {
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new Error('give at least one id, e.g. tiktok,feed-4x5');
  return ids;
}
