import { z } from 'zod';
import { campaignFileKey } from '#domain/model/asset-keys';
import { refreshCampaign, type RefreshOutcome } from '#triggers/refresh-campaign';
import type { TriggerDeps } from '#ports/trigger-deps';

/** The input each EventBridge Scheduler schedule sends: its campaign and the tick's scheduled time. */
export const RefreshEvent = z.object({ campaignId: z.string().regex(/^[a-z0-9-]{1,64}$/), scheduledTime: z.string().datetime() });

/** Scheduled refresh: one deterministic run id per campaign and tick, so a redelivered tick starts nothing new. */
export const makeHandler =
  (deps: TriggerDeps) =>
  async (event: unknown): Promise<RefreshOutcome> => {
    const { campaignId, scheduledTime } = RefreshEvent.parse(event);
    const tick = scheduledTime.replace(/[-:]/g, '').replace(/\.\d+/, '').replace(/Z$/, 'Z');
    return refreshCampaign(deps, { campaignKey: campaignFileKey(campaignId), runId: `refresh-${campaignId}-${tick}`.slice(0, 64) });
  };
