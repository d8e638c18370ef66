import { ChannelSpec } from '#domain/model/channel-spec';
import { describeIssues } from '#domain/model/json-document';
import type { AssetStore } from '#ports/asset-store';

/** Where extra channel specs live in the asset store (the stack deploys its `channelFiles` there). */
export const CHANNELS_PREFIX = 'channels';

export class ChannelFileError extends Error {
  override readonly name = 'ChannelFileError';
  readonly code = 'CHANNEL_FILE_INVALID';
}

/** Extra channel specs from `channels/*.json` (one spec or an array per file); none: an empty list. */
export async function loadStoreChannels(store: AssetStore, prefix = CHANNELS_PREFIX): Promise<ChannelSpec[]> {
  const specs: ChannelSpec[] = [];
  for (const key of (await store.list(prefix)).filter((k) => k.endsWith('.json')).sort()) {
    const json: unknown = JSON.parse((await store.getBytes(key)).toString('utf8'));
    for (const entry of Array.isArray(json) ? json : [json]) {
      const parsed = ChannelSpec.safeParse(entry);
      if (!parsed.success)
        throw new ChannelFileError(`Channel file ${key} is invalid: ${describeIssues(parsed.error.issues)}. Fix it or remove it from the store.`);
      specs.push(parsed.data);
    }
  }
  return specs;
}
