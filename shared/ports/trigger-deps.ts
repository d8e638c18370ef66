import type { AssetStore } from '#ports/asset-store';
import type { RunStarter } from '#ports/run-starter';
import type { Tracker } from '#ports/tracker';
import type { FeedUrls } from '#usecases/delivery-feeds';

/** What the triggers (webhooks, uploads, refresh) need: they write inputs, consult the tracker and start runs. */
export interface TriggerDeps {
  store: AssetStore;
  tracker: Tracker;
  /** Starts one workflow run (Step Functions in AWS, the local engine locally); deterministic names dedupe. */
  starter: RunStarter;
  /**
   * Starts the Distributed Map that fans a large catalog's parts out into runs (AWS). Absent locally:
   * the parts are started one by one through `starter` and run inline on the local engine.
   */
  fanOut?: RunStarter;
  now: () => Date;
  /** How delivery feeds link the ads (local: the server's URL; AWS: presigned, with this expiry). */
  feedUrls?: FeedUrls;
}
