import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeS3Client, S3AssetStore } from '#adapters/aws/s3-asset-store';
import { AssetNotFoundError, InvalidAssetKeyError } from '#ports/asset-store';

// s3rver ships no types; this is the slice of it the test uses.
interface S3rverServer {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverCtor = new (options: {
  port: number;
  address: string;
  directory: string;
  silent: boolean;
  configureBuckets?: Array<{ name: string }>;
}) => S3rverServer;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverCtor;

const BUCKET = 'assets';
let server: S3rverServer;
let work: string;
let client: S3Client;
let store: S3AssetStore;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'adline-s3-'));
  server = new S3rver({ port: 0, address: '127.0.0.1', directory: join(work, 's3'), silent: true });
  const { port } = await server.run();
  client = makeS3Client({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  store = new S3AssetStore({ client, bucket: BUCKET, cacheDir: join(work, 'cache') });
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
  await rm(work, { recursive: true, force: true });
});

describe('S3AssetStore on s3rver', () => {
  it('presigns GET URLs that fetch the object without credentials, valid for the expiry asked; remove deletes', async () => {
    await store.putBytes('ads/c/S/t/reels.mp4', 'video-bytes', 'video/mp4');
    const url = new URL(await store.signedUrl('ads/c/S/t/reels.mp4', 3600));
    expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(new URL(await store.signedUrl('ads/c/S/t/reels.mp4', 30 * 86_400)).searchParams.get('X-Amz-Expires')).toBe('604800');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('video-bytes');
    // s3rver accepts any query signature, so the signature itself is checked by form only (SigV4 hex).
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    await store.delete('ads/c/S/t/reels.mp4');
    expect(await store.exists('ads/c/S/t/reels.mp4')).toBe(false);
  });

  it('round-trips bytes and strings', async () => {
    const bytes = randomBytes(1024);
    await store.putBytes('runs/r1/blob.bin', bytes, 'application/octet-stream');
    expect(Buffer.compare(await store.getBytes('runs/r1/blob.bin'), bytes)).toBe(0);
    await store.putBytes('runs/r1/doc.json', '{"a":1}', 'application/json');
    expect((await store.getBytes('runs/r1/doc.json')).toString('utf8')).toBe('{"a":1}');
  });

  it('streams a multi-megabyte file and reads it back byte-identical (aws-chunked checksum bug)', async () => {
    const source = join(work, 'big.bin');
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    await writeFile(source, bytes);
    await store.putFile('runs/r1/final.mp4', source, 'video/mp4');
    const back = await store.getBytes('runs/r1/final.mp4');
    expect(back.length).toBe(bytes.length);
    expect(Buffer.compare(back, bytes)).toBe(0);
  });

  it('configures the client to send and check checksums only when required', async () => {
    expect(await client.config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
    expect(await client.config.responseChecksumValidation()).toBe('WHEN_REQUIRED');
  });

  it('maps a missing key to AssetNotFoundError', async () => {
    const error = await store.getBytes('runs/nope/missing.bin').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssetNotFoundError);
    expect(error).toMatchObject({ code: 'ASSET_NOT_FOUND', key: 'runs/nope/missing.bin' });
    await expect(store.localPath('runs/nope/missing.bin')).rejects.toBeInstanceOf(AssetNotFoundError);
  });

  it('does not mistake a missing bucket for a missing asset', async () => {
    const other = new S3AssetStore({ client, bucket: 'no-such-bucket', cacheDir: join(work, 'cache2') });
    const error = await other.getBytes('a.bin').catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(AssetNotFoundError);
    expect(error).toMatchObject({ name: 'NoSuchBucket' });
  });

  it('tells whether a key exists', async () => {
    await store.putBytes('exists/yes.txt', 'y', 'text/plain');
    expect(await store.exists('exists/yes.txt')).toBe(true);
    expect(await store.exists('exists/no.txt')).toBe(false);
  });

  it('lists keys under a prefix as a folder', async () => {
    for (const key of ['list/a/1.txt', 'list/a/2.txt', 'list/a/sub/3.txt', 'list/ab/4.txt', 'list/b/5.txt']) {
      await store.putBytes(key, key, 'text/plain');
    }
    expect(await store.list('list/a')).toEqual(['list/a/1.txt', 'list/a/2.txt', 'list/a/sub/3.txt']);
    expect(await store.list('list/a/')).toEqual(['list/a/1.txt', 'list/a/2.txt', 'list/a/sub/3.txt']);
    expect(await store.list('list/none')).toEqual([]);
    expect(await store.list('')).toEqual(expect.arrayContaining(['list/b/5.txt', 'list/ab/4.txt']));
  });

  it('downloads once into the cache under the key path and reuses it', async () => {
    const bytes = randomBytes(4096);
    await store.putBytes('media/clip.bin', bytes, 'application/octet-stream');
    const [path, again] = await Promise.all([store.localPath('media/clip.bin'), store.localPath('media/clip.bin')]);
    expect(path).toBe(join(work, 'cache', 'media', 'clip.bin'));
    expect(again).toBe(path);
    expect(Buffer.compare(await readFile(path), bytes)).toBe(0);
    const first = await stat(path);
    // Overwrite the remote object: a cached read must not fetch it again.
    await store.putBytes('media/clip.bin', 'changed', 'text/plain');
    expect(await store.localPath('media/clip.bin')).toBe(path);
    expect((await stat(path)).mtimeMs).toBe(first.mtimeMs);
    expect(Buffer.compare(await readFile(path), bytes)).toBe(0);
  });

  it.each(['../x', '/abs', 'a//b', 'a/../b', 'a/./b', ''])('rejects the unsafe key %j everywhere', async (key) => {
    for (const call of [
      () => store.putBytes(key, 'x', 'text/plain'),
      () => store.putFile(key, join(work, 'big.bin'), 'video/mp4'),
      () => store.getBytes(key),
      () => store.exists(key),
      () => store.localPath(key),
    ]) {
      await expect(call()).rejects.toBeInstanceOf(InvalidAssetKeyError);
    }
  });

  it('rejects an unsafe list prefix', async () => {
    await expect(store.list('../x')).rejects.toBeInstanceOf(InvalidAssetKeyError);
    await expect(store.list('/abs')).rejects.toBeInstanceOf(InvalidAssetKeyError);
  });
});

describe('S3AssetStore.list pagination on s3rver', () => {
  // s3rver encrypts continuation tokens with DES, which OpenSSL 3 (Node >= 17) only has in its legacy
  // provider: any truncated ListObjectsV2 answers 500 in-process. A child with --openssl-legacy-provider pages fine.
  let child: ChildProcess | undefined;
  let pagedClient: S3Client | undefined;
  const dir = () => join(work, 's3-paged');

  afterAll(async () => {
    pagedClient?.destroy();
    if (child && child.exitCode === null) {
      const exited = once(child, 'exit');
      child.kill();
      await exited;
    }
  });

  it('follows continuation tokens across pages', async () => {
    const script = `import S3rver from 's3rver';
      const s = new S3rver({ port: 0, address: '127.0.0.1', directory: process.argv[1], silent: true, configureBuckets: [{ name: 'paged' }] });
      const { port } = await s.run();
      process.stdout.write(port + '\\n');`;
    child = spawn(process.execPath, ['--openssl-legacy-provider', '--input-type=module', '-e', script, dir()], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    pagedClient = makeS3Client({
      endpoint: `http://127.0.0.1:${Number(line)}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const paged = new S3AssetStore({ client: pagedClient, bucket: 'paged', cacheDir: join(work, 'cache-paged') });
    const keys = ['p/a/1.txt', 'p/a/2.txt', 'p/a/3.txt', 'p/a/4/5.txt', 'p/b/6.txt'];
    for (const key of keys) await paged.putBytes(key, key, 'text/plain');

    // Pages of one key, so the loop has to follow four continuation tokens.
    const requests: Array<string | undefined> = [];
    pagedClient.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'ListObjectsV2Command') {
          const input = args.input as { MaxKeys?: number; ContinuationToken?: string };
          input.MaxKeys = 1;
          requests.push(input.ContinuationToken);
        }
        return next(args);
      },
      { step: 'initialize', name: 'onePerPage' },
    );

    expect(await paged.list('p/a')).toEqual(keys.slice(0, 4));
    expect(requests).toHaveLength(4);
    expect(requests[0]).toBeUndefined();
    expect(requests.slice(1).every((token) => typeof token === 'string' && token.length > 0)).toBe(true);
  });
});
