import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Campaign } from '#domain/model/campaign';
import type { ScheduledCampaign } from './constructs/triggers.ts';

const EXAMPLES = fileURLToPath(new URL('../examples/', import.meta.url));

/** The example campaigns that have a refresh schedule: the stack gets one EventBridge Scheduler schedule each. */
export function exampleCampaignSchedules(dir = EXAMPLES): ScheduledCampaign[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((file) => {
      const parsed = Campaign.safeParse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      return parsed.success && parsed.data.refresh ? [{ id: parsed.data.id, cron: parsed.data.refresh.cron }] : [];
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** The example campaign files (every examples/*.json that is a valid campaign): the stack deploys them. */
export function exampleCampaignFiles(dir = EXAMPLES): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .filter((file) => Campaign.safeParse(JSON.parse(readFileSync(join(dir, file), 'utf8'))).success)
    .map((file) => join(dir, file));
}

/** The refresh schedules of the given campaign files (those with `refresh.cron`), sorted by id. */
export function campaignSchedules(files: readonly string[]): ScheduledCampaign[] {
  return files
    .flatMap((file) => {
      const parsed = Campaign.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      return parsed.success && parsed.data.refresh ? [{ id: parsed.data.id, cron: parsed.data.refresh.cron }] : [];
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}
