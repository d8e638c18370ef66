import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { NO_MEDIA, NoMediaLayerError } from '../../functions/commons/no-media.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardedImageFetcher } from '#adapters/http/image-fetcher';
import { makeS3Client } from '#adapters/aws/s3-asset-store';
import { AWS_DEPS, awsDeps } from '#functions/commons/aws-deps';
import { renderEnvironment } from '#functions/commons/render-secrets';
import { LOCAL_DEPS, openLocalHost } from '#local/local-host';
import { buildDeps, DEPS_PORTS, MissingPortError, type Deps, type DepsTable } from '#ports/deps';
import { startS3, startSecretsManager, type StandIn } from '../../scripts/parity/stand-ins.ts';

let s3: StandIn;
const env = () => ({ TABLE_NAME: 't', ASSETS_BUCKET: 'assets', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_S3: s3.endpoint });

beforeAll(async () => {
  s3 = await startS3(['assets']);
  // What Lambda's runtime would put in the environment; s3rver accepts only its own key pair.
  Object.assign(process.env, { AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' });
  const client = makeS3Client({ endpoint: s3.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  for (const file of await readdir('templates')) {
    await client.send(
      new PutObjectCommand({ Bucket: 'assets', Key: `templates/${file}`, Body: await readFile(`templates/${file}`), ContentType: 'application/json' }),
    );
  }
  client.destroy();
});
afterAll(async () => {
  await s3?.close();
});

const present = (deps: Deps) => DEPS_PORTS.filter((port) => deps[port] !== undefined);

describe('one deps table per host', () => {
  it('both tables name every port of Deps', () => {
    expect(Object.keys(AWS_DEPS).sort()).toEqual([...DEPS_PORTS].sort());
    expect(Object.keys(LOCAL_DEPS).sort()).toEqual([...DEPS_PORTS].sort());
  });

  it('the Lambda deps build every port, templates from the bucket and the SSRF-guarded fetcher', async () => {
    const deps = await awsDeps(env());
    expect(present(deps)).toEqual([...DEPS_PORTS]);
    expect([...deps.templates.keys()].sort()).toEqual((await readdir('templates')).map((f) => f.replace(/\.json$/, '')).sort());
    expect(deps.images).toBeInstanceOf(GuardedImageFetcher);
    // The real guard, not a permissive stand-in: loopback and http are refused in Lambda.
    await expect(deps.images.fetch('https://127.0.0.1/photo.jpg')).rejects.toMatchObject({ code: 'SSRF_BLOCKED' });
    await expect(deps.images.fetch('http://example.com/photo.jpg')).rejects.toMatchObject({ code: 'IMAGE_URL_REFUSED' });
  });

  it('the local host builds the same ports', async () => {
    const root = await mkdtemp(join(tmpdir(), 'adline-deps-'));
    const host = await openLocalHost({ inMemoryTracker: true, stateDir: join(root, 'state'), outDir: join(root, 'out') });
    try {
      expect(present(host.deps)).toEqual([...DEPS_PORTS]);
    } finally {
      await host.close();
      await rm(root, { recursive: true, force: true });
    }
  });

  it('functions without the media layer get a media port that refuses by name', async () => {
    await expect(NO_MEDIA.toolchainId()).rejects.toBeInstanceOf(NoMediaLayerError);
    await expect(NO_MEDIA.inspectImage(new Uint8Array(), 'x')).rejects.toThrow(/no media layer.*TASK_PROFILES/);
  });

  it('a table that lacks a port fails to build, naming the port (the type forbids it too)', async () => {
    for (const port of DEPS_PORTS) {
      const table = { ...AWS_DEPS, [port]: undefined } as unknown as DepsTable<Parameters<typeof AWS_DEPS.store>[0]>;
      const error = await buildDeps(
        table,
        { config: { TABLE_NAME: 't', ASSETS_BUCKET: 'assets', AWS_REGION: 'us-east-1' }, env: env(), media: NO_MEDIA },
        'Lambda',
      ).catch((e: unknown) => e);
      expect(error, port).toBeInstanceOf(MissingPortError);
      expect((error as MissingPortError).port).toBe(port);
    }
  });
});

describe('provider keys from Secrets Manager', () => {
  it('reads each <NAME>_SECRET_ARN once, over the JSON protocol, into the render factory environment', async () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:adline-fal-AbCdEf';
    const sm = await startSecretsManager(new Map([[arn, 'fal-key-0123456789']]));
    try {
      const client = new SecretsManagerClient({ region: 'us-east-1', endpoint: sm.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
      const out = await renderEnvironment({ FAL_KEY_SECRET_ARN: arn, OTHER: 'y' }, () => client);
      expect(out).toMatchObject({ FAL_KEY: 'fal-key-0123456789', OTHER: 'y' });
      expect(out.REPLICATE_API_TOKEN).toBeUndefined();
      expect(sm.calls).toEqual([{ operation: 'GetSecretValue', body: { SecretId: arn } }]);
      await expect(renderEnvironment({ REPLICATE_API_TOKEN_SECRET_ARN: `${arn}-missing` }, () => client)).rejects.toThrow(/can't find/);
      client.destroy();
    } finally {
      await sm.close();
    }
  });
});
