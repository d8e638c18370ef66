import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsAssetStore } from '#adapters/local/fs-asset-store';
import type { AssetStore } from '#ports/asset-store';
import { storeCampaignFile } from '../../local/local-run.ts';

const campaign = (brand: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    schemaVersion: 1,
    id: 'logo-test',
    name: 'Logo test',
    brand: { name: 'B', colors: { primary: '#203040', secondary: '#6080a0', text: '#101010', accent: '#ffcc33' }, ...brand },
    templates: ['product-hero'],
    channels: ['tiktok'],
    cta: 'Buy',
    ...extra,
  });

describe('storeCampaignFile: a campaign and the brand files it names reach the store', () => {
  let root: string;
  let store: AssetStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-campaign-file-'));
    store = new FsAssetStore(join(root, 'out'));
    await mkdir(join(root, 'in', 'brand'), { recursive: true });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('uploads a logo beside the campaign under the key the campaign names, and stores the campaign as written', async () => {
    await copyFile('examples/brand/logo.png', join(root, 'in', 'brand', 'logo.png'));
    const text = campaign({ logo: 'brand/logo.png' });
    await writeFile(join(root, 'in', 'campaign.json'), text);
    const { campaignKey, campaign: stored } = await storeCampaignFile(store, join(root, 'in', 'campaign.json'));
    expect(campaignKey).toBe('campaigns/logo-test.json');
    expect(stored.brand.logo).toBe('brand/logo.png');
    expect(await store.getBytes('brand/logo.png')).toEqual(await readFile('examples/brand/logo.png'));
    expect((await store.getBytes(campaignKey)).toString('utf8')).toBe(text);
  });

  it('keeps a logo key the store already holds', async () => {
    await store.putBytes('shared/logo.png', await readFile('examples/brand/logo.png'), 'image/png');
    await writeFile(join(root, 'in', 'campaign.json'), campaign({ logo: 'shared/logo.png' }));
    await expect(storeCampaignFile(store, join(root, 'in', 'campaign.json'))).resolves.toMatchObject({ campaign: { brand: { logo: 'shared/logo.png' } } });
  });

  it('refuses a logo or music that is neither beside the campaign nor in the store, naming the field and the fix', async () => {
    await writeFile(join(root, 'in', 'campaign.json'), campaign({ logo: 'brand/missing.png' }));
    await expect(storeCampaignFile(store, join(root, 'in', 'campaign.json'))).rejects.toThrow(
      /brand\.logo "brand\/missing\.png" is neither a file beside the campaign .* fix the path or remove brand\.logo/,
    );
    await writeFile(join(root, 'in', 'campaign.json'), campaign({}, { music: '../outside.mp3' }));
    await writeFile(join(root, 'outside.mp3'), 'not inside the campaign folder');
    await expect(storeCampaignFile(store, join(root, 'in', 'campaign.json'))).rejects.toThrow(/music "\.\.\/outside\.mp3" is neither/);
    expect(await store.exists('campaigns/logo-test.json')).toBe(false);
  });
});
