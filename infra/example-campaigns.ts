import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Campaign } from '#domain/model/campaign';
import type { ScheduledCampaign } from './constructs/triggers.ts';

const EXAMPLES = fileURLToPath(new URL('../examples/', import.meta.url));

/** The campaign in a JSON file, or undefined when the JSON is not a valid campaign (examples/ holds other files too). */
function campaignIn(file: string): Campaign | undefined {
  const parsed = Campaign.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  return parsed.success ? parsed.data : undefined;
}

/** The example campaign files (every examples/*.json that is a valid campaign): the stack deploys them. */
export function exampleCampaignFiles(dir = EXAMPLES): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => join(dir, file))
    .filter((file) => campaignIn(file) !== undefined);
}

/** The refresh schedules of the given campaign files (those with `refresh.cron`), sorted by id. */
export function campaignSchedules(files: readonly string[]): ScheduledCampaign[] {
  return files
    .flatMap((file) => {
      const campaign = campaignIn(file);
      return campaign?.refresh ? [{ id: campaign.id, cron: campaign.refresh.cron }] : [];
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** The example campaigns that have a refresh schedule: the stack gets one EventBridge Scheduler schedule each. */
export function exampleCampaignSchedules(dir = EXAMPLES): ScheduledCampaign[] {
  return campaignSchedules(exampleCampaignFiles(dir));
}
