import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdlineStack } from '#infra/adline-stack';
import { templateOnlyContext } from '#infra/cdk-context';
import { TRIGGER_TAG } from '#infra/constructs/adline-function';
import { exampleCampaignSchedules } from '#infra/example-campaigns';

type Resource = { Type: string; Properties: Record<string, any> };
let stack: AdlineStack;
let template: Template;

beforeAll(() => {
  stack = new AdlineStack(new App({ context: templateOnlyContext() }), 'AdlineTriggersTest', { shopifyEventBusName: 'aws.partner/shopify.com/123456/adline' });
  template = Template.fromStack(stack.triggers);
});

const fnFor = (trigger: string): [string, Resource] => {
  const found = Object.entries(
    template.findResources('AWS::Lambda::Function', { Properties: { Tags: Match.arrayWith([{ Key: TRIGGER_TAG, Value: trigger }]) } }),
  );
  expect(found, trigger).toHaveLength(1);
  return found[0] as [string, Resource];
};
const logicalId = (construct: { node: { defaultChild?: unknown } }) => stack.triggers.getLogicalId(construct.node.defaultChild as never);

describe('Shopify webhook endpoint', () => {
  it('is a public Function URL (the HMAC authenticates) on a function that reads the secret from Secrets Manager', () => {
    const [fnId, fn] = fnFor('shopify-webhook');
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': [fnId, 'Arn'] } });
    const secretId = logicalId(stack.triggers.shopifySecret);
    expect(fn.Properties.Environment.Variables.SHOPIFY_SECRET_ARN).toEqual({ Ref: secretId });
    const statements = Object.values(template.findResources('AWS::IAM::Policy') as Record<string, Resource>).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>,
    );
    expect(statements.some((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue') && JSON.stringify(s.Resource).includes(secretId))).toBe(true);
    expect(fn.Properties.Timeout).toBeLessThanOrEqual(10);
  });
});

describe('Shopify partner events', () => {
  it('routes the partner bus products/* events to an SQS queue (raw JSON) that feeds the events function', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: 'aws.partner/shopify.com/123456/adline',
      EventPattern: {
        source: [{ prefix: 'aws.partner/shopify.com' }],
        'detail-type': ['shopifyWebhook'],
        detail: { metadata: { 'X-Shopify-Topic': ['products/create', 'products/update', 'products/delete'] } },
      },
      Targets: Match.arrayWith([Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ShopifyEvents'), 'Arn'] } })]),
    });
    const [fnId] = fnFor('shopify-events');
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionName: { Ref: fnId }, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    template.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }) });
  });
  it('has no partner rule when no bus is configured', () => {
    const bare = Template.fromStack(new AdlineStack(new App({ context: templateOnlyContext() }), 'AdlineNoBus').triggers);
    expect(Object.values(bare.findResources('AWS::Events::Rule')).filter((r: any) => r.Properties.EventBusName)).toHaveLength(0);
  });
});

describe('uploads', () => {
  it('is a private bucket of its own with EventBridge notifications, and Object Created starts ingestion', () => {
    const bucketId = logicalId(stack.triggers.uploadsBucket);
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    const [fnId, fn] = fnFor('upload-ingest');
    expect(fn.Properties.Environment.Variables.UPLOADS_BUCKET).toEqual({ Ref: bucketId });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: [{ Ref: bucketId }] } } },
      // An event that cannot be delivered after the retries goes to a dead-letter queue, not nowhere.
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('UploadEventsDlq'), 'Arn'] } },
        }),
      ],
    });
    const notifications = template.findResources('Custom::S3BucketNotifications');
    expect(JSON.stringify(notifications)).toContain('EventBridgeConfiguration');
  });

  it('large uploads fan out through a Distributed Map whose ItemReader reads the parts list, each child starting one run', () => {
    const resource = template.toJSON().Resources[logicalId(stack.triggers.fanOut)] as Resource;
    const [, parts] = resource.Properties.DefinitionString['Fn::Join'] as [string, unknown[]];
    const asl = JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'TOKEN')).join(''));
    const map = asl.States[asl.StartAt];
    expect(map.ItemProcessor.ProcessorConfig.Mode).toBe('DISTRIBUTED');
    expect(map.ItemReader).toMatchObject({
      Resource: 'arn:TOKEN:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
      Parameters: { Bucket: 'TOKEN', 'Key.$': '$.catalogKey' },
    });
    const start = map.ItemProcessor.States[map.ItemProcessor.StartAt];
    expect(start).toMatchObject({ Resource: 'arn:TOKEN:states:::states:startExecution', Parameters: { 'Name.$': '$.runId', 'Input.$': '$' } });
    expect(start.Catch[0].ErrorEquals).toEqual(['StepFunctions.ExecutionAlreadyExistsException']);
    const [fnId, fn] = fnFor('upload-ingest');
    expect(fn.Properties.Environment.Variables.FANOUT_STATE_MACHINE_ARN).toEqual({ Ref: logicalId(stack.triggers.fanOut) });
    expect(fnId).toBeTruthy();
    // Logged like the workflow: every event, no execution data.
    expect(resource.Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
  });
});

describe('scheduled refresh', () => {
  it('has one EventBridge Scheduler schedule per example campaign, invoking the refresh function with the tick time', () => {
    const campaigns = exampleCampaignSchedules();
    expect(campaigns.map((c) => c.id)).toContain('spring-launch');
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')) as Resource[];
    expect(schedules).toHaveLength(campaigns.length);
    const [fnId] = fnFor('refresh');
    for (const campaign of campaigns) {
      const schedule = schedules.find((s) => s.Properties.ScheduleExpression === campaign.cron)!;
      expect(schedule, campaign.id).toBeDefined();
      expect(schedule.Properties.Target.Arn).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
      expect(JSON.parse(schedule.Properties.Target.Input)).toEqual({ campaignId: campaign.id, scheduledTime: '<aws.scheduler.scheduled-time>' });
    }
  });
});
