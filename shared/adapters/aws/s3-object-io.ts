import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { classifyAwsError } from '#ports/render-errors';

/** Reads and writes provider inputs and outputs at s3:// URIs (Bedrock and SageMaker async exchange files through S3). */
export interface ObjectIo {
  put(uri: string, bytes: Uint8Array | string, contentType: string): Promise<void>;
  /** undefined when no object exists there (yet). */
  get(uri: string): Promise<Buffer | undefined>;
}

/** Splits s3://bucket/key into its parts. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) throw new Error(`"${uri}" is not an s3://bucket/key URI.`);
  return { bucket: match[1], key: match[2] };
}

/** ObjectIo on S3 (s3rver in tests). */
export class S3ObjectIo implements ObjectIo {
  constructor(private readonly client: S3Client) {}

  async put(uri: string, bytes: Uint8Array | string, contentType: string): Promise<void> {
    const { bucket, key } = parseS3Uri(uri);
    try {
      await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: contentType }));
    } catch (error) {
      throw classifyAwsError('s3', error);
    }
  }

  async get(uri: string): Promise<Buffer | undefined> {
    const { bucket, key } = parseS3Uri(uri);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await out.Body!.transformToByteArray());
    } catch (error) {
      if (error instanceof NoSuchKey || (error as Error).name === 'NoSuchKey') return undefined;
      throw classifyAwsError('s3', error);
    }
  }
}
