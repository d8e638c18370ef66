import type { AddressInfo } from 'node:net';
import { mkdir, rm } from 'node:fs/promises';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { DynamoTracker, TRACKER_KEYS } from '#adapters/aws/dynamo-tracker';

export const LOCAL_TABLE = 'adline-local';

export interface LocalTracker {
  tracker: DynamoTracker;
  close(): Promise<void>;
}

/** Starts dynalite on loopback (persisted under `dir`, or in memory) and the real DynamoDB tracker adapter on it. */
export async function openLocalTracker(dir?: string): Promise<LocalTracker> {
  if (dir) await mkdir(dir, { recursive: true });
  let db = await startDynalite(dir);
  if (dir && (await tableStatus(db.client, LOCAL_TABLE)) === 'CREATING') {
    // A process killed between CreateTable and the table turning ACTIVE (dynalite flips it on a timer)
    // leaves it CREATING for ever: writes get ResourceNotFound and DeleteTable is refused. Such a table
    // never held an item, and it is the folder's only table, so the folder starts afresh.
    await db.close();
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    db = await startDynalite(dir);
  }
  await ensureTable(db.client, LOCAL_TABLE);
  await waitUntilActive(db.client, LOCAL_TABLE);
  return { tracker: new DynamoTracker(db.client, LOCAL_TABLE), close: db.close };
}

async function startDynalite(dir?: string): Promise<{ client: DynamoDBClient; close(): Promise<void> }> {
  const server = dynalite({ ...(dir ? { path: dir } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'local-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    client,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** dynalite answers CreateTable with CREATING and flips to ACTIVE on a timer; a write before the flip is refused. */
async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let waited = 0; (await tableStatus(client, tableName)) !== 'ACTIVE'; waited += 10) {
    if (waited > 10_000) throw new Error(`The local tracker table ${tableName} did not become ACTIVE; delete the state folder's ddb/ and run again.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function tableStatus(client: DynamoDBClient, tableName: string): Promise<string | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.TableStatus;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
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
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [partitionKey, sortKey, runIndexKey].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
      KeySchema: [
        { AttributeName: partitionKey, KeyType: 'HASH' },
        { AttributeName: sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: runIndex,
          KeySchema: [
            { AttributeName: runIndexKey, KeyType: 'HASH' },
            { AttributeName: sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
}
