import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { AdlineFunction, REPO_ROOT, taskFunctionProps, type Access } from './constructs/adline-function.ts';
import { AssetsBucket } from './constructs/assets-bucket.ts';
import { MediaLayer } from './constructs/media-layer.ts';
import { ReliabilityAlarms } from './constructs/reliability-alarms.ts';
import { ReviewSite } from './constructs/review-site.ts';
import { TrackerTable } from './constructs/tracker-table.ts';
import { Triggers, type ScheduledCampaign } from './constructs/triggers.ts';
import { campaignSchedules, exampleCampaignFiles, exampleCampaignSchedules } from './example-campaigns.ts';
import { CampaignDeployment } from './constructs/campaign-deployment.ts';
import { RenderProviderAccess, type RenderProviders } from './constructs/render-providers.ts';
import { join } from 'node:path';
import { WorkflowStateMachine } from './constructs/workflow-state-machine.ts';
import { TASK_NAMES, type TaskName, type WorkflowOptions } from './workflow.ts';

export interface AdlineStackProps extends StackProps {
  /** Empty and delete the assets bucket with the stack (dev stacks). Default: false. */
  readonly autoDeleteObjects?: boolean;
  /** Map concurrency limits. Default: 10 products, 6 encodes at once (renders: the campaign's renderer.concurrency). */
  readonly concurrency?: Partial<WorkflowOptions>;
  /** Retention of function and execution logs. Default: one month. */
  readonly logRetention?: logs.RetentionDays;
  /** Campaigns refreshed on a schedule (one EventBridge Scheduler schedule each). Default: the deployed campaign files with `refresh.cron`. */
  readonly scheduledCampaigns?: readonly ScheduledCampaign[];
  /** Partner event bus of the Shopify event source (aws.partner/shopify.com/<app-id>/<name>); the EventBridge rule needs it. */
  readonly shopifyEventBusName?: string;
  /** The *.myshopify.com shops whose deliveries are accepted (the shop header is not signed). Default: any. */
  readonly shopifyShops?: readonly string[];
  /** Generative render providers the render functions may call (keys, models, endpoints). Default: none. */
  readonly renderProviders?: RenderProviders;
  /** Campaign files put into the assets bucket with the stack (campaigns/<id>.json). Default: the examples. */
  readonly campaignFiles?: readonly string[];
  /** Extra channel spec files put into the bucket as channels/<file> (e.g. small test sizes). Default: none. */
  readonly channelFiles?: readonly string[];
}

/** What each task may do with the tracker table and the assets bucket (from its use case); least privilege. */
export const TASK_ACCESS: Record<TaskName, { table: Access; bucket: Access }> = {
  prepare: { table: 'readWrite', bucket: 'read' },
  plan: { table: 'read', bucket: 'readWrite' },
  'render-submit': { table: 'readWrite', bucket: 'readWrite' },
  'render-poll': { table: 'readWrite', bucket: 'readWrite' },
  'render-fallback': { table: 'readWrite', bucket: 'readWrite' },
  assemble: { table: 'read', bucket: 'readWrite' },
  validate: { table: 'read', bucket: 'read' },
  publish: { table: 'readWrite', bucket: 'readWrite' },
  'record-failure': { table: 'readWrite', bucket: 'read' },
  summarize: { table: 'readWrite', bucket: 'readWrite' },
};

/** The tasks that call the generative render providers. */
export const RENDER_TASKS = ['render-submit', 'render-poll', 'render-fallback'] as const satisfies readonly TaskName[];

export const DEFAULT_CONCURRENCY: WorkflowOptions = { productConcurrency: 10, assembleConcurrency: 6 };

/** adline on AWS: the assets bucket, the tracker table, one function per task and the workflow state machine. */
export class AdlineStack extends Stack {
  readonly bucket: AssetsBucket;
  readonly table: TrackerTable;
  readonly mediaLayer: MediaLayer;
  readonly functions: Record<TaskName, lambda.IFunction>;
  readonly stateMachine: sfn.StateMachine;
  readonly triggers: Triggers;
  readonly campaigns: CampaignDeployment;
  readonly renderProviders: RenderProviderAccess;
  readonly reviewSite: ReviewSite;

  constructor(scope: Construct, id: string, props: AdlineStackProps = {}) {
    super(scope, id, props);
    this.bucket = new AssetsBucket(this, 'Assets', { autoDeleteObjects: props.autoDeleteObjects });
    this.table = new TrackerTable(this, 'Tracker');
    this.mediaLayer = new MediaLayer(this, 'MediaLayer');
    this.campaigns = new CampaignDeployment(this, 'Campaigns', {
      bucket: this.bucket,
      campaignFiles: props.campaignFiles ?? exampleCampaignFiles(),
      templatesDir: join(REPO_ROOT, 'templates'),
      channelFiles: props.channelFiles,
    });

    const functions = {} as Record<TaskName, AdlineFunction>;
    for (const task of TASK_NAMES) {
      functions[task] = new AdlineFunction(
        this,
        `${pascalCase(task)}Fn`,
        taskFunctionProps(task, { mediaLayer: this.mediaLayer, logRetention: props.logRetention }),
      )
        .bindTable(this.table, TASK_ACCESS[task].table)
        .bindBucket(this.bucket, TASK_ACCESS[task].bucket);
    }
    this.functions = functions;
    this.renderProviders = new RenderProviderAccess(this, 'RenderProviders', { providers: props.renderProviders ?? {}, bucket: this.bucket });
    // The render functions call, poll and cancel provider jobs; no other function gets a provider key or grant.
    for (const task of RENDER_TASKS) functions[task].bindRenderer(this.renderProviders);

    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', {
      functions,
      concurrency: { ...DEFAULT_CONCURRENCY, ...props.concurrency },
      logRetention: props.logRetention,
    }).stateMachine;

    this.triggers = new Triggers(this, 'Triggers', {
      table: this.table,
      assets: this.bucket,
      workflow: this.stateMachine,
      campaigns: props.scheduledCampaigns ?? (props.campaignFiles ? campaignSchedules(props.campaignFiles) : exampleCampaignSchedules()),
      shopifyEventBusName: props.shopifyEventBusName,
      shopifyShops: props.shopifyShops,
      autoDeleteObjects: props.autoDeleteObjects,
      logRetention: props.logRetention,
    });
    new CfnOutput(this, 'ShopifyWebhookUrl', {
      value: this.triggers.webhookUrl.url,
      description: 'Subscribe Shopify product webhooks here; put the app secret in ShopifySecret.',
    });
    new CfnOutput(this, 'UploadsBucketName', {
      value: this.triggers.uploadsBucket.bucketName,
      description: 'Drop catalogs here as <campaign-id>/<file>.csv|json|jsonl.',
    });
    this.reviewSite = new ReviewSite(this, 'ReviewSite', {
      table: this.table,
      assets: this.bucket,
      workflow: this.stateMachine,
      campaignIds: (props.scheduledCampaigns ?? exampleCampaignSchedules()).map((c) => c.id),
      autoDeleteObjects: props.autoDeleteObjects,
      logRetention: props.logRetention,
    });
    new CfnOutput(this, 'ReviewAppUrl', {
      value: `https://${this.reviewSite.distribution.distributionDomainName}/review/index.html`,
      description: 'The review app; add reviewers to the ReviewSite user pool (group adline-admins or campaign-<id>).',
    });
    // Last: it discovers every state machine and dead-letter queue created above.
    new ReliabilityAlarms(this, 'Alarms');

    new CfnOutput(this, 'StateMachineArn', { value: this.stateMachine.stateMachineArn, description: 'Start runs here.' });
    new CfnOutput(this, 'AssetsBucketName', { value: this.bucket.bucketName, description: 'Uploads, renders and published ads.' });
    new CfnOutput(this, 'TrackerTableName', { value: this.table.tableName, description: 'Ad, render and run records.' });
  }
}

function pascalCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_match, _dash: string, letter: string) => letter.toUpperCase());
}
