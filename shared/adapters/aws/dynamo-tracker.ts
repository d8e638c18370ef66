import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AdRecord, RunRecord } from '#domain/model/ad-record';
import { ProductWatermark } from '#domain/model/product-watermark';
import { RenderAttempt, RenderResult } from '#domain/model/render-job';
import { VersionConflictError, type AdKey, type Tracker } from '#ports/tracker';
import { conditionalWrite, isConditionalFailure } from './conditional-write.ts';
import { collectPages } from './dynamo-pages.ts';

/**
 * Key design: one partition per (campaign, product) so a 100k-SKU campaign spreads its writes;
 * renders and runs get their own partitions. GSI `byRun` lists a run's ads.
 */
export const TRACKER_KEYS = { partitionKey: 'pk', sortKey: 'sk', runIndex: 'byRun', runIndexKey: 'runId' } as const;

const adPk = (k: Pick<AdKey, 'campaignId' | 'sku'>) => `AD#${k.campaignId}#${k.sku}`;
const adSk = (k: Pick<AdKey, 'templateId' | 'channel'>) => `${k.templateId}#${k.channel}`;

/** The tracker on DynamoDB (dynalite locally). Single-item conditional writes only: dynalite has no transactions. */
export class DynamoTracker implements Tracker {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async getAd(key: AdKey): Promise<AdRecord | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: adPk(key), sk: adSk(key) }, ConsistentRead: true }));
    return Item ? AdRecord.parse(strip(Item)) : undefined;
  }

  async putAd(record: AdRecord, expectedVersion: number | undefined): Promise<void> {
    const item = { ...AdRecord.parse(record), pk: adPk(record), sk: adSk(record), kind: 'ad' };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': expectedVersion } }),
        }),
      );
    } catch (error) {
      if (isConditionalFailure(error)) throw new VersionConflictError(record, { cause: error });
      throw error;
    }
  }

  async listAds(filter: { campaignId?: string; runId?: string } = {}): Promise<AdRecord[]> {
    const items = await collectPages((startKey) =>
      filter.runId
        ? this.runQuery(filter.runId, 'ad', startKey)
        : this.doc.send(
            new ScanCommand({
              TableName: this.tableName,
              ExclusiveStartKey: startKey,
              FilterExpression: 'kind = :k',
              ExpressionAttributeValues: { ':k': 'ad' },
            }),
          ),
    );
    return items
      .map((item) => AdRecord.parse(strip(item)))
      .filter((ad) => !filter.campaignId || ad.campaignId === filter.campaignId)
      .sort((a, b) => adPk(a).localeCompare(adPk(b)) || adSk(a).localeCompare(adSk(b)));
  }

  async getRender(renderHash: string): Promise<RenderResult | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `RENDER#${renderHash}`, sk: 'RENDER' }, ConsistentRead: true }),
    );
    return Item ? RenderResult.parse(strip(Item)) : undefined;
  }

  async putRender(result: RenderResult): Promise<void> {
    const item = { ...RenderResult.parse(result), pk: `RENDER#${result.renderHash}`, sk: 'RENDER', kind: 'render' };
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  /** One page of a run's items of one kind, through the run index. */
  private runQuery(runId: string, kind: 'ad' | 'render', startKey: Record<string, unknown> | undefined) {
    return this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TRACKER_KEYS.runIndex,
        ExclusiveStartKey: startKey,
        KeyConditionExpression: 'runId = :r',
        FilterExpression: 'kind = :k',
        ExpressionAttributeValues: { ':r': runId, ':k': kind },
      }),
    );
  }

  async listRenders(filter: { runId: string }): Promise<RenderResult[]> {
    const items = await collectPages((startKey) => this.runQuery(filter.runId, 'render', startKey));
    return items.map((item) => RenderResult.parse(strip(item))).sort((a, b) => a.renderHash.localeCompare(b.renderHash));
  }

  async putAttemptIfAbsent(attempt: RenderAttempt): Promise<boolean> {
    return conditionalWrite(() =>
      this.doc.send(new PutCommand({ TableName: this.tableName, Item: attemptItem(attempt), ConditionExpression: 'attribute_not_exists(pk)' })),
    );
  }

  async getAttempt(renderHash: string, attempt: number): Promise<RenderAttempt | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `RENDER#${renderHash}`, sk: attemptSk(attempt) }, ConsistentRead: true }),
    );
    return Item ? RenderAttempt.parse(strip(Item)) : undefined;
  }

  async putAttempt(attempt: RenderAttempt): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: attemptItem(attempt) }));
  }

  async reserveBudget(runId: string, usd: number, limitUsd: number): Promise<boolean> {
    if (usd > limitUsd) return false;
    return conditionalWrite(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `RUN#${runId}`, sk: 'BUDGET' },
          UpdateExpression: 'SET spentUsd = if_not_exists(spentUsd, :zero) + :usd',
          ConditionExpression: 'attribute_not_exists(spentUsd) OR spentUsd <= :room',
          ExpressionAttributeValues: { ':zero': 0, ':usd': usd, ':room': limitUsd - usd },
        }),
      ),
    );
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: `RUN#${runId}`, sk: 'RUN' }, ConsistentRead: true }));
    return Item ? RunRecord.parse(strip(Item)) : undefined;
  }

  async putRun(run: RunRecord): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...RunRecord.parse(run), pk: `RUN#${run.runId}`, sk: 'RUN', kind: 'run' } }));
  }

  async listProductAds(campaignId: string, sku: string): Promise<AdRecord[]> {
    const items = await collectPages((startKey) =>
      this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': adPk({ campaignId, sku }) },
        }),
      ),
    );
    return items.map((item) => AdRecord.parse(strip(item)));
  }

  async claimDelivery(deliveryId: string, expiresAt: Date, now: Date): Promise<boolean> {
    return conditionalWrite(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: `DELIVERY#${deliveryId}`,
            sk: 'DELIVERY',
            kind: 'delivery',
            expiresAt: Math.floor(expiresAt.getTime() / 1000),
            claimedAt: now.toISOString(),
          },
          // TTL deletes lazily (up to days late), so an expired record counts as absent.
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': Math.floor(now.getTime() / 1000) },
        }),
      ),
    );
  }

  async releaseDelivery(deliveryId: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: `DELIVERY#${deliveryId}`, sk: 'DELIVERY' } }));
  }

  async getWatermark(sourceId: string): Promise<ProductWatermark | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `SOURCE#${sourceId}`, sk: 'WATERMARK' }, ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { updatedAtMs: _ms, ...rest } = strip(Item);
    return ProductWatermark.parse(rest);
  }

  async putWatermark(watermark: ProductWatermark, expected?: ProductWatermark | null): Promise<boolean> {
    const parsed = ProductWatermark.parse(watermark);
    const updatedAtMs = Date.parse(parsed.updatedAt);
    return conditionalWrite(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...parsed, updatedAtMs, pk: `SOURCE#${parsed.sourceId}`, sk: 'WATERMARK', kind: 'watermark' },
          ...watermarkCondition(updatedAtMs, expected),
        }),
      ),
    );
  }
}

/** The watermark's write condition: compare-and-set on the copy read (expected), or never backwards. */
function watermarkCondition(updatedAtMs: number, expected: ProductWatermark | null | undefined) {
  if (expected === null) return { ConditionExpression: 'attribute_not_exists(pk)' };
  if (expected === undefined) return { ConditionExpression: 'attribute_not_exists(pk) OR updatedAtMs <= :u', ExpressionAttributeValues: { ':u': updatedAtMs } };
  return {
    ConditionExpression: 'updatedAtMs = :eu AND contentHash = :eh AND deleted = :ed',
    ExpressionAttributeValues: { ':eu': Date.parse(expected.updatedAt), ':eh': expected.contentHash, ':ed': expected.deleted },
  };
}

const attemptSk = (attempt: number) => `ATTEMPT#${String(attempt).padStart(3, '0')}`;
const attemptItem = (attempt: RenderAttempt) => ({
  ...RenderAttempt.parse(attempt),
  pk: `RENDER#${attempt.renderHash}`,
  sk: attemptSk(attempt.attempt),
  kind: 'render-attempt',
});

function strip(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, kind: _kind, ...rest } = item;
  return rest;
}
