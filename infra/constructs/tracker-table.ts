import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { TRACKER_KEYS } from '#adapters/aws/dynamo-tracker';

/** Attribute holding an item's expiry (epoch seconds); DynamoDB deletes expired items for free. */
export const TRACKER_TTL_ATTRIBUTE = 'expiresAt';

export interface TrackerTableProps {
  /** What happens to the table when the stack is deleted. Default: RETAIN (it is the record of every ad). */
  readonly removalPolicy?: RemovalPolicy;
}

/** The tracker: one item per ad, render and run, keyed exactly as the DynamoDB tracker adapter expects. */
export class TrackerTable extends dynamodb.Table {
  constructor(scope: Construct, id: string, props: TrackerTableProps = {}) {
    super(scope, id, {
      partitionKey: { name: TRACKER_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TRACKER_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: TRACKER_TTL_ATTRIBUTE,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.addGlobalSecondaryIndex({
      indexName: TRACKER_KEYS.runIndex,
      partitionKey: { name: TRACKER_KEYS.runIndexKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TRACKER_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }
}
