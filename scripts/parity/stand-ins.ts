/**
 * Local stand-ins for the AWS services a deployed adline talks to, each on loopback port 0: S3 (s3rver),
 * DynamoDB (dynalite), Secrets Manager and Step Functions (small servers speaking their JSON protocols:
 * POST /, `X-Amz-Target: <service>.<Operation>`, `application/x-amz-json-1.x`). The Lambda bundles reach
 * them through the SDK's standard endpoint variables (AWS_ENDPOINT_URL_S3, _DYNAMODB, _SECRETS_MANAGER, _SFN).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dynalite from 'dynalite';

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

export interface StandIn {
  endpoint: string;
  close(): Promise<void>;
}

/** s3rver with the given buckets, in a temporary folder removed on close. */
export async function startS3(buckets: string[]): Promise<StandIn> {
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverCtor;
  const dir = await mkdtemp(join(tmpdir(), 'adline-s3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', directory: dir, silent: true, configureBuckets: buckets.map((name) => ({ name })) });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** dynalite in memory, tables flipping to ACTIVE at once. */
export async function startDynamo(): Promise<StandIn> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A JSON-protocol error as the SDK parses it (`__type` names the exception). */
export class JsonProtocolError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

type Operations = Record<string, (body: Record<string, unknown>) => Promise<unknown> | unknown>;

/** A server for one AWS JSON-protocol service: dispatches on X-Amz-Target `<prefix>.<Operation>`. */
export async function startJsonService(
  prefix: string,
  operations: Operations,
): Promise<StandIn & { calls: Array<{ operation: string; body: Record<string, unknown> }> }> {
  const calls: Array<{ operation: string; body: Record<string, unknown> }> = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith(`${prefix}.`) ? target.slice(prefix.length + 1) : '';
      const handler = operations[operation];
      if (req.method !== 'POST' || !handler)
        return send(400, { __type: 'UnknownOperationException', message: `${target || 'no X-Amz-Target'} is not served by this stand-in.` });
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        calls.push({ operation, body });
        send(200, (await handler(body)) ?? {});
      } catch (error) {
        if (error instanceof JsonProtocolError) return send(error.status, { __type: error.type, message: error.message });
        send(500, { __type: 'InternalFailure', message: (error as Error).message });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Secrets Manager's GetSecretValue over its JSON protocol (secretsmanager.GetSecretValue), from a map of ARN → value. */
export function startSecretsManager(secrets: ReadonlyMap<string, string>) {
  return startJsonService('secretsmanager', {
    GetSecretValue: ({ SecretId }) => {
      const value = secrets.get(String(SecretId));
      if (value === undefined) throw new JsonProtocolError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      return { ARN: SecretId, Name: String(SecretId).split(':').at(-1), SecretString: value, VersionId: 'v1', VersionStages: ['AWSCURRENT'], CreatedDate: 0 };
    },
  });
}
