import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeS3Client, S3AssetStore } from '#adapters/aws/s3-asset-store';
import { loadStoreTemplates } from '#usecases/store-templates';
import { startS3, type StandIn } from '../../scripts/parity/stand-ins.ts';

const run = promisify(execFile);
let s3: StandIn;
let dir: string;
const env = () => ({ ...process.env, AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' });
const cli = (...args: string[]) =>
  run(process.execPath, ['bin/adline.js', 'campaign', 'put', ...args], { env: env() }).then(
    (r) => ({ ...r, code: 0 }),
    (e: { stdout: string; stderr: string; code: number }) => e,
  );

beforeAll(async () => {
  s3 = await startS3(['deployed-assets']);
  dir = await mkdtemp(join(tmpdir(), 'adline-put-'));
});
afterAll(async () => {
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('adline campaign put --bucket', () => {
  it('puts the campaign, its logo and templates in the bucket, where the Lambda template loader reads them', async () => {
    const out = await cli('examples/campaign.json', '--template', 'templates/product-hero.json', '--bucket', 'deployed-assets');
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const client = makeS3Client({ endpoint: s3.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const store = new S3AssetStore({ client, bucket: 'deployed-assets', cacheDir: join(dir, 'cache') });
    expect(JSON.parse((await store.getBytes('campaigns/spring-launch.json')).toString()).id).toBe('spring-launch');
    expect(await store.exists('brand/logo.png')).toBe(true);
    expect([...(await loadStoreTemplates(store)).keys()]).toEqual(['product-hero']);
    client.destroy();
  });

  it('refuses an invalid template or campaign before writing anything, naming the problem', async () => {
    await writeFile(join(dir, 'bad-template.json'), '{"id":"bad"}');
    const bad = await cli('--template', join(dir, 'bad-template.json'), '--bucket', 'deployed-assets');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/bad-template\.json/);
    await writeFile(join(dir, 'bad-campaign.json'), '{"id":"x"}');
    const badCampaign = await cli(join(dir, 'bad-campaign.json'), '--bucket', 'deployed-assets');
    expect(badCampaign.code).not.toBe(0);
    expect(badCampaign.stderr).toMatch(/invalid/);
  });
});
