import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { AssetNotFoundError, assertSafeKey, type AssetStore } from '#ports/asset-store';

/** Builds the S3 client adline uses, in AWS and against s3rver alike. */
export function makeS3Client(options: { endpoint?: string; region?: string; credentials?: S3ClientConfig['credentials'] } = {}): S3Client {
  const config: S3ClientConfig = {
    // With the default (WHEN_SUPPORTED) a stream body goes out as aws-chunked with a trailing checksum,
    // which s3rver stores verbatim, framing included: silent corruption. WHEN_REQUIRED is valid on AWS too.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
  if (options.region) config.region = options.region;
  if (options.credentials) config.credentials = options.credentials;
  if (options.endpoint) {
    config.endpoint = options.endpoint;
    config.forcePathStyle = true; // s3rver and other local endpoints have no virtual-host DNS
    config.region ??= 'us-east-1';
  }
  return new S3Client(config);
}

/**
 * The asset store on S3 (s3rver locally). `localPath` caches downloads under `cacheDir` and assumes
 * keys are written once (adline's keys carry content hashes); an overwritten key is not re-fetched.
 */
export class S3AssetStore implements AssetStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly cacheDir: string;
  private readonly downloads = new Map<string, Promise<string>>();

  constructor(options: { client: S3Client; bucket: string; cacheDir: string }) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.cacheDir = resolve(options.cacheDir);
  }

  async putBytes(key: string, bytes: Uint8Array | string, contentType: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: assertSafeKey(key), Body: bytes, ContentType: contentType }));
  }

  /** Streams the file; a single PutObject (up to 5 GB) because @aws-sdk/lib-storage is not a dependency. */
  async putFile(key: string, path: string, contentType: string): Promise<void> {
    assertSafeKey(key);
    const { size } = await stat(path);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: createReadStream(path),
        ContentLength: size,
        ContentType: contentType,
      }),
    );
  }

  async getBytes(key: string): Promise<Buffer> {
    const body = await this.getBody(key);
    return Buffer.from(await body.transformToByteArray());
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: assertSafeKey(key) }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async localPath(key: string): Promise<string> {
    const path = join(this.cacheDir, ...assertSafeKey(key).split('/'));
    // Concurrent callers of one key share one download.
    let pending = this.downloads.get(path);
    if (!pending) {
      pending = this.download(key, path).finally(() => this.downloads.delete(path));
      this.downloads.set(path, pending);
    }
    return pending;
  }

  /** Keys under `prefix` taken as a folder (`a/b` lists `a/b/...`, not `a/bc`), as FsAssetStore does; sorted. */
  async list(prefix: string): Promise<string[]> {
    const folder = prefix.replace(/\/+$/, '');
    const Prefix = folder ? `${assertSafeKey(folder)}/` : undefined;
    const keys: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix, ContinuationToken }));
      for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return keys.sort();
  }

  /** DeleteObject (a delete marker in a versioned bucket; the lifecycle rules expire the old version). */
  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: assertSafeKey(key) }));
    await rm(join(this.cacheDir, ...key.split('/')), { force: true });
  }

  /** A presigned GET URL (SigV4 query auth), valid for `expiresSeconds` (S3 allows at most 7 days). */
  async signedUrl(key: string, expiresSeconds: number): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: assertSafeKey(key) }), {
      expiresIn: Math.min(Math.max(1, Math.floor(expiresSeconds)), 604_800),
    });
  }

  private async download(key: string, path: string): Promise<string> {
    if (await isFile(path)) return path;
    const body = await this.getBody(key);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${randomUUID()}.tmp`;
    try {
      const source = body instanceof Readable ? body : Readable.fromWeb(body.transformToWebStream() as Parameters<typeof Readable.fromWeb>[0]);
      await pipeline(source, createWriteStream(temp));
      await rename(temp, path); // other processes never see a half-written file
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return path;
  }

  private async getBody(key: string) {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: assertSafeKey(key) }));
      if (!out.Body) throw new AssetNotFoundError(key);
      return out.Body;
    } catch (error) {
      if (isNotFound(error)) throw new AssetNotFoundError(key, { cause: error });
      throw error;
    }
  }
}

/**
 * GetObject says NoSuchKey; HeadObject has no body, so the SDK names its 404 NotFound. A bare 404 status
 * is not enough: NoSuchBucket is a 404 too, and a misconfigured bucket must not read as a missing asset.
 */
function isNotFound(error: unknown): boolean {
  const name = (error as { name?: unknown } | undefined)?.name;
  return name === 'NoSuchKey' || name === 'NotFound';
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
