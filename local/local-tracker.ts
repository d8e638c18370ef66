import type { AddressInfo } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { DynamoTracker, TRACKER_KEYS } from '#adapters/dynamo-tracker';

export const LOCAL_TABLE = 'adline-local';

export interface LocalTracker {
  tracker: DynamoTracker;
  close(): Promise<void>;
}

/** Starts dynalite on loopback (persisted under `dir`, or in memory) and the real DynamoDB tracker adapter on it. */
export async function openLocalTracker(dir?: string): Promise<LocalTracker> {
  if (dir) await mkdir(dir, { recursive: true });
  const server = dynalite({ ...(dir ? { path: dir } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`, region: 'local-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(client, LOCAL_TABLE);
  return {
    tracker: new DynamoTracker(client, LOCAL_TABLE),
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Creates the tracker table with the same keys and index as the CDK stack, if it does not exist. */
async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const { partitionKey, sortKey, runIndex, runIndexKey } = TRACKER_KEYS;
  await client.send(new CreateTableCommand({
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [partitionKey, sortKey, runIndexKey].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
    KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }, { AttributeName: sortKey, KeyType: 'RANGE' }],
    GlobalSecondaryIndexes: [{
      IndexName: runIndex,
      KeySchema: [{ AttributeName: runIndexKey, KeyType: 'HASH' }, { AttributeName: sortKey, KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'ALL' },
    }],
  }));
}
