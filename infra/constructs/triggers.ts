import { Duration, NestedStack, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { AdlineFunction, TRIGGER_TAG, type TriggerName } from './adline-function.ts';
import { campaignFileKey } from '#domain/model/asset-keys';

/** A campaign that refreshes on a schedule: its id and its EventBridge Scheduler cron (`cron(...)`). */
export interface ScheduledCampaign {
  readonly id: string;
  readonly cron: string;
}

export interface TriggersProps {
  readonly table: dynamodb.ITable;
  readonly assets: s3.IBucket;
  readonly workflow: sfn.IStateMachine;
  /** Campaigns with `refresh.cron`: one schedule each. */
  readonly campaigns: readonly ScheduledCampaign[];
  /** The partner event bus Shopify's event source is associated with (aws.partner/shopify.com/<app-id>/<name>); no rule without it. */
  readonly shopifyEventBusName?: string;
  /** Campaign keys a product change renders for. Default: every scheduled campaign. */
  readonly webhookCampaignKeys?: readonly string[];
  /** The *.myshopify.com shops whose deliveries are accepted (SHOPIFY_SHOPS); others are refused and recorded. */
  readonly shopifyShops?: readonly string[];
  readonly autoDeleteObjects?: boolean;
  readonly logRetention?: logs.RetentionDays;
}

/**
 * How work arrives: the Shopify webhook (Function URL, secret in Secrets Manager), Shopify partner events
 * (EventBridge rule → SQS → function), the uploads bucket (Object Created → ingestion, with a Distributed
 * Map over the parts of large uploads), and one EventBridge Scheduler schedule per campaign. A nested
 * stack of the adline stack: deployed with it, its resources kept apart from the pipeline's.
 */
export class Triggers extends NestedStack {
  readonly webhookUrl: lambda.FunctionUrl;
  readonly shopifySecret: secretsmanager.Secret;
  readonly uploadsBucket: s3.Bucket;
  readonly fanOut: sfn.StateMachine;
  readonly functions: Record<TriggerName, AdlineFunction>;
  readonly schedules: scheduler.Schedule[];

  constructor(scope: Construct, id: string, props: TriggersProps) {
    super(scope, id);
    const campaignKeys = (props.webhookCampaignKeys ?? props.campaigns.map((c) => campaignFileKey(c.id))).join(',') || campaignFileKey('spring-launch');
    // Every trigger reads and writes the tracker and the assets and starts workflow runs (functions/commons/trigger-config.ts).
    const fn = (trigger: TriggerName, timeout = Duration.seconds(30)) => {
      const f = new AdlineFunction(this, `${trigger}-fn`, {
        entry: trigger,
        memorySize: 512,
        timeout,
        // Bundle the AWS SDK as the task functions do (CDK's default leaves @aws-sdk/* to the runtime's copy, an untested version;
        // the parity run found the trigger bundles importing packages they did not carry): externalModules: [].
        bundleAwsSdk: true,
        logRetention: props.logRetention,
        tag: { key: TRIGGER_TAG, value: trigger },
      })
        .bindTable(props.table, 'readWrite')
        .bindBucket(props.assets, 'readWrite')
        .bindStateMachine(props.workflow)
        .addEnvironment('CAMPAIGN_KEYS', campaignKeys);
      if (props.shopifyShops?.length) f.addEnvironment('SHOPIFY_SHOPS', props.shopifyShops.join(','));
      return f;
    };

    // Shopify HTTPS webhook: the HMAC is the authentication, so the URL itself is public.
    this.shopifySecret = new secretsmanager.Secret(this, 'ShopifySecret', {
      description: 'Shopify app client secret(s) for webhook HMACs: "current" or "current,previous" during a rotation.',
      generateSecretString: { excludePunctuation: true, passwordLength: 48 },
    });
    const webhook = fn('shopify-webhook', Duration.seconds(10)).bindSecret(this.shopifySecret, 'SHOPIFY_SECRET_ARN');
    this.webhookUrl = webhook.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });

    // Shopify partner events: rule → SQS (raw event text keeps 64-bit ids exact; retries and a DLQ for free) → function.
    const events_ = fn('shopify-events');
    if (props.shopifyEventBusName) {
      const dlq = new sqs.Queue(this, 'ShopifyEventsDlq', {
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        encryption: sqs.QueueEncryption.SQS_MANAGED,
      });
      const queue = new sqs.Queue(this, 'ShopifyEvents', {
        enforceSSL: true,
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        visibilityTimeout: Duration.seconds(180),
        deadLetterQueue: { queue: dlq, maxReceiveCount: 5 },
      });
      new events.Rule(this, 'ShopifyPartnerEvents', {
        eventBus: events.EventBus.fromEventBusName(this, 'ShopifyBus', props.shopifyEventBusName),
        eventPattern: {
          source: events.Match.prefix('aws.partner/shopify.com'),
          detailType: ['shopifyWebhook'],
          detail: { metadata: { 'X-Shopify-Topic': ['products/create', 'products/update', 'products/delete'] } },
        },
        targets: [new eventsTargets.SqsQueue(queue)],
      });
      events_.addEventSource(new SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true }));
    }

    // Uploads: a bucket of its own (marketing teams get write access to it only); keys are <campaign-id>/<file>.
    this.uploadsBucket = new s3.Bucket(this, 'Uploads', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      eventBridgeEnabled: true,
      autoDeleteObjects: props.autoDeleteObjects ?? false,
      removalPolicy: props.autoDeleteObjects ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'expire-uploads', expiration: Duration.days(90) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    this.fanOut = this.buildFanOut(props);
    const ingest = fn('upload-ingest', Duration.minutes(5))
      .bindBucket(this.uploadsBucket, 'read', 'UPLOADS_BUCKET')
      .bindStateMachine(this.fanOut, 'FANOUT_STATE_MACHINE_ARN');
    // An upload event EventBridge could not deliver after its retries lands here instead of being dropped.
    const uploadEventsDlq = new sqs.Queue(this, 'UploadEventsDlq', {
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
    });
    new events.Rule(this, 'UploadCreated', {
      description: 'A catalog landed in the uploads bucket: ingest it.',
      eventPattern: { source: ['aws.s3'], detailType: ['Object Created'], detail: { bucket: { name: [this.uploadsBucket.bucketName] } } },
      targets: [new eventsTargets.LambdaFunction(ingest, { retryAttempts: 4, maxEventAge: Duration.hours(2), deadLetterQueue: uploadEventsDlq })],
    });

    // Scheduled refresh: one schedule per campaign, sending the tick's time so the run id is deterministic.
    const refresh = fn('refresh', Duration.minutes(5));
    this.schedules = props.campaigns.map(
      (campaign) =>
        new scheduler.Schedule(this, `Refresh-${campaign.id}`, {
          description: `Refresh campaign ${campaign.id}: re-render what is stale.`,
          schedule: scheduler.ScheduleExpression.expression(campaign.cron),
          target: new schedulerTargets.LambdaInvoke(refresh, {
            input: scheduler.ScheduleTargetInput.fromObject({ campaignId: campaign.id, scheduledTime: scheduler.ContextAttribute.scheduledTime }),
            retryAttempts: 3,
            maxEventAge: Duration.hours(1),
          }),
        }),
    );
    this.functions = { 'shopify-webhook': webhook, 'shopify-events': events_, 'upload-ingest': ingest, refresh };
  }

  /**
   * The Distributed Map for large uploads: ItemReader reads `<catalog>.parts.json` (one run input per
   * part) and each child starts one workflow run named after the part; a name that already exists
   * (a retried ingestion) counts as started. Locally the same parts are started one by one instead.
   */
  private buildFanOut(props: TriggersProps): sfn.StateMachine {
    const start = new tasks.StepFunctionsStartExecution(this, 'StartPartRun', {
      stateMachine: props.workflow,
      name: sfn.JsonPath.stringAt('$.runId'),
      input: sfn.TaskInput.fromJsonPathAt('$'),
      integrationPattern: sfn.IntegrationPattern.REQUEST_RESPONSE,
    });
    start.addRetry({
      errors: ['StepFunctions.SfnException', 'States.TaskFailed'],
      interval: Duration.seconds(2),
      maxAttempts: 4,
      backoffRate: 2,
      jitterStrategy: sfn.JitterType.FULL,
    });
    start.addCatch(new sfn.Succeed(this, 'PartAlreadyStarted'), { errors: ['StepFunctions.ExecutionAlreadyExistsException'] });
    const map = new sfn.DistributedMap(this, 'Parts', {
      itemReader: new sfn.S3JsonItemReader({ bucket: props.assets, key: sfn.JsonPath.stringAt('$.catalogKey') }),
      maxConcurrency: 20,
      resultPath: sfn.JsonPath.DISCARD,
    }).itemProcessor(start);
    const logGroup = new logs.LogGroup(this, 'UploadFanOutLogs', {
      logGroupName: `/aws/vendedlogs/states/${this.stackName}-upload-fan-out`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const machine = new sfn.StateMachine(this, 'UploadFanOut', {
      definitionBody: sfn.DefinitionBody.fromChainable(map),
      stateMachineType: sfn.StateMachineType.STANDARD,
      tracingEnabled: true,
      // Part run inputs carry only keys, but keep execution data out of the logs like the workflow does.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    props.assets.grantRead(machine);
    props.workflow.grantStartExecution(machine);
    return machine;
  }
}
