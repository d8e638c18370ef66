import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { campaignSchedules, exampleCampaignFiles, exampleCampaignSchedules } from '#infra/example-campaigns';

const dir = mkdtempSync(join(tmpdir(), 'adline-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the example campaigns the stack deploys and schedules', () => {
  const example = JSON.parse(readFileSync(new URL('../../examples/campaign.json', import.meta.url), 'utf8')) as { id: string; refresh?: unknown };
  writeFileSync(join(dir, 'b-scheduled.json'), JSON.stringify({ ...example, id: 'b-scheduled' }));
  writeFileSync(join(dir, 'a-unscheduled.json'), JSON.stringify({ ...example, id: 'z-unscheduled', refresh: undefined }));
  writeFileSync(join(dir, 'catalog.json'), JSON.stringify([{ sku: 'not a campaign' }]));
  writeFileSync(join(dir, 'notes.txt'), 'not json');

  it('deploys every valid campaign file, sorted by name, and skips other JSON', () => {
    expect(exampleCampaignFiles(dir)).toEqual([join(dir, 'a-unscheduled.json'), join(dir, 'b-scheduled.json')]);
  });

  it('schedules only the campaigns with refresh.cron, by id', () => {
    expect(exampleCampaignSchedules(dir)).toEqual([{ id: 'b-scheduled', cron: (example.refresh as { cron: string }).cron }]);
    expect(campaignSchedules([join(dir, 'a-unscheduled.json')])).toEqual([]);
  });
});
