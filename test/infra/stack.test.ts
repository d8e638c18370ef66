import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRACKER_KEYS } from '#adapters/aws/dynamo-tracker';
import { AdlineStack, TASK_ACCESS } from '#infra/adline-stack';
import { templateOnlyContext } from '#infra/cdk-context';
import { TASK_PROFILES, TASK_TAG } from '#infra/constructs/adline-function';
import { definitionFromTemplate, stateNamesOf, synthesizedStateNames } from '#infra/synthesized-definition';
import { TASK_NAMES, type TaskName } from '#infra/workflow';

const STATE_NAMES = [
  'Prepare',
  'Products',
  'ProcessProduct',
  'Plan',
  'RenderShots',
  'RenderSubmit',
  'RenderWait',
  'RenderPoll',
  'RenderNext',
  'RenderFallback',
  'Rendered',
  'AssembleVariants',
  'Assemble',
  'Validate',
  'Publish',
  'RecordFailure',
  'Summarize',
];
const MEDIA_TASKS: TaskName[] = ['render-submit', 'render-poll', 'render-fallback', 'assemble', 'validate'];

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };

let stack: AdlineStack;
let template: Template;

/** Builds the template once for the file: a synth costs most of this suite's time. */
beforeAll(() => {
  stack = new AdlineStack(new App({ context: templateOnlyContext() }), 'AdlineTest');
  template = Template.fromStack(stack);
});

const single = (type: string): [string, Resource] => {
  const found = Object.entries(template.findResources(type));
  expect(found, type).toHaveLength(1);
  return found[0] as [string, Resource];
};

/** The Lambda function resource serving a task, found by its task tag. */
/** The media layer (the BucketDeployment brings CDK's AWS CLI layer too). */
const mediaLayer = (): [string, Resource] => {
  const found = Object.entries(
    template.findResources('AWS::Lambda::LayerVersion', { Properties: { Description: Match.stringLikeRegexp('^adline media runtime') } }),
  );
  expect(found).toHaveLength(1);
  return found[0] as [string, Resource];
};

const functionFor = (task: TaskName): [string, Resource] => {
  const found = Object.entries(template.findResources('AWS::Lambda::Function', { Properties: { Tags: Match.arrayWith([{ Key: TASK_TAG, Value: task }]) } }));
  expect(found, task).toHaveLength(1);
  return found[0] as [string, Resource];
};

/** All IAM actions granted to a function's role, by policy statements that name the given resource. */
const actionsOn = (task: TaskName, resourceLogicalId: string): string[] => {
  const roleId = stack.getLogicalId(stack.functions[task].role!.node.defaultChild as any);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Resource[];
  return policies
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>)
    .filter((s) => JSON.stringify(s.Resource).includes(resourceLogicalId))
    .flatMap((s) => [s.Action].flat());
};

describe('assets bucket', () => {
  it('blocks all public access, is encrypted and versioned, and is retained', () => {
    const [, bucket] = single('AWS::S3::Bucket');
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }]);
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.DeletionPolicy).toBe('Retain');
  });

  it('denies every request that is not over TLS', () => {
    const [bucketId] = single('AWS::S3::Bucket');
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('does not auto-delete objects unless asked', () => {
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });
});

describe('tracker table', () => {
  it('is on-demand with point-in-time recovery, TTL and the adapter key schema', () => {
    const [, table] = single('AWS::DynamoDB::Table');
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: TRACKER_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: TRACKER_KEYS.sortKey, KeyType: 'RANGE' },
    ]);
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(table.DeletionPolicy).toBe('Retain');
  });

  it('has the byRun index on runId and sk', () => {
    const [, table] = single('AWS::DynamoDB::Table');
    expect(table.Properties.KeySchema.map((k: { AttributeName: string }) => k.AttributeName)).toEqual(['pk', 'sk']);
    expect(table.Properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byRun',
        KeySchema: [
          { AttributeName: 'runId', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
    expect(table.Properties.AttributeDefinitions).toEqual(
      expect.arrayContaining([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'runId', AttributeType: 'S' },
      ]),
    );
  });
});

describe('task functions', () => {
  it('has exactly one function per task and one helper: the BucketDeployment that puts campaigns and templates', () => {
    // Explicit log groups and no auto-delete mean CDK adds no other custom-resource Lambdas of its own.
    template.resourceCountIs('AWS::Lambda::Function', TASK_NAMES.length + 1);
    template.resourceCountIs('Custom::CDKBucketDeployment', 1);
    for (const task of TASK_NAMES) functionFor(task);
    expect(Object.keys(stack.functions).sort()).toEqual([...TASK_NAMES].sort());
  });

  it.each(TASK_NAMES)('%s: Node.js 22 ESM on x86_64, traced, with its environment bound', (task) => {
    const [, fn] = functionFor(task);
    const [bucketId] = single('AWS::S3::Bucket');
    const [tableId] = single('AWS::DynamoDB::Table');
    expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Handler: 'index.handler', Architectures: ['x86_64'], TracingConfig: { Mode: 'Active' } });
    expect(fn.Properties.Environment.Variables).toEqual({
      NODE_OPTIONS: '--enable-source-maps',
      TABLE_NAME: { Ref: tableId },
      ASSETS_BUCKET: { Ref: bucketId },
    });
    expect(fn.Properties.LoggingConfig.LogGroup).toEqual({ Ref: expect.stringMatching(/Logs/) });
  });

  it.each(TASK_NAMES)('%s: sized for its work, with the media layer where its profile asks', (task) => {
    const [, fn] = functionFor(task);
    const [layerId] = mediaLayer();
    const profile = TASK_PROFILES[task];
    expect(fn.Properties.MemorySize).toBe(profile.memorySize);
    expect(fn.Properties.Timeout).toBe(profile.timeout.toSeconds());
    if (MEDIA_TASKS.includes(task)) {
      expect(fn.Properties.MemorySize).toBeGreaterThanOrEqual(2048);
      expect(fn.Properties.Timeout).toBeGreaterThanOrEqual(300);
    } else {
      expect(fn.Properties).toMatchObject({ MemorySize: 512, Timeout: task === 'prepare' ? 120 : 60 });
    }
    expect(fn.Properties.Layers).toEqual(profile.mediaLayer ? [{ Ref: layerId }] : undefined);
  });

  it('ships the media layer for x86_64 Node.js 22', () => {
    const [, layer] = mediaLayer();
    expect(layer.Properties).toMatchObject({ CompatibleArchitectures: ['x86_64'], CompatibleRuntimes: ['nodejs22.x'] });
    expect(stack.mediaLayer.packages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^sharp@/),
        expect.stringMatching(/^@img\/sharp-linux-x64@/),
        expect.stringMatching(/^@ffmpeg-installer\/linux-x64@/),
        expect.stringMatching(/^@ffprobe-installer\/linux-x64@/),
      ]),
    );
    expect(stack.mediaLayer.packages.some((p) => /darwin|win32|arm64|musl/.test(p))).toBe(false);
    // CloudFormation refuses a layer description over 256 characters.
    expect((layer.Properties.Description as string).length).toBeLessThanOrEqual(256);
    expect(layer.Properties.Description).toMatch(/sharp@.*10 bold font families/);
  });

  it('grants write access only to the tasks that write', () => {
    const [bucketId] = single('AWS::S3::Bucket');
    const [tableId] = single('AWS::DynamoDB::Table');
    for (const task of TASK_NAMES) {
      const bucketActions = actionsOn(task, bucketId);
      const tableActions = actionsOn(task, tableId);
      expect(bucketActions, task).toContain('s3:GetObject*');
      expect(tableActions, task).toContain('dynamodb:GetItem');
      expect(bucketActions.includes('s3:PutObject'), `${task} bucket`).toBe(TASK_ACCESS[task].bucket === 'readWrite');
      expect(tableActions.includes('dynamodb:PutItem'), `${task} table`).toBe(TASK_ACCESS[task].table === 'readWrite');
    }
  });
});

describe('workflow state machine', () => {
  it('is a Standard state machine with execution logging and X-Ray tracing', () => {
    const [, machine] = single('AWS::StepFunctions::StateMachine');
    const [logGroupId] = Object.entries(template.findResources('AWS::Logs::LogGroup')).find(([, r]) => JSON.stringify(r).includes('vendedlogs/states'))!;
    expect(machine.Properties.StateMachineType).toBe('STANDARD');
    expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
    expect(machine.Properties.LoggingConfiguration).toEqual({
      Level: 'ALL',
      IncludeExecutionData: false,
      Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] } } }],
    });
  });

  it('contains every state of the workflow, nested ones included', () => {
    expect(stateNamesOf(definitionFromTemplate(template))).toEqual(new Set(STATE_NAMES));
  });

  it('invokes each task state on its own function with the configured concurrency', () => {
    const definition = definitionFromTemplate(template);
    const products = definition.States.Products as any;
    const branch = products.ItemProcessor.States.ProcessProduct.Branches[0].States;
    expect(products.MaxConcurrency).toBe(10);
    // Per-endpoint concurrency: the campaign's renderer.concurrency, passed on by the plan step.
    expect(branch.RenderShots.MaxConcurrency).toBeUndefined();
    expect(branch.RenderShots.MaxConcurrencyPath).toBe('$.plan.renderConcurrency');
    expect(branch.AssembleVariants.MaxConcurrency).toBe(6);
    // Each Task state invokes the function of the task with the same name (RecordFailure → record-failure).
    const fnArn = (task: TaskName) => `<GetAtt:${stack.getLogicalId(stack.functions[task].node.defaultChild as any)}.Arn>`;
    const resources: Record<string, unknown> = {};
    const walk = (states: Record<string, any>): void => {
      for (const [name, state] of Object.entries(states)) {
        if (state.Type === 'Task') resources[name] = state.Resource;
        if (state.ItemProcessor) walk(state.ItemProcessor.States);
        for (const b of state.Branches ?? []) walk(b.States);
      }
    };
    walk(definition.States);
    const kebab = (name: string) => name.replace(/(?<!^)([A-Z])/g, '-$1').toLowerCase() as TaskName;
    expect(Object.keys(resources).map(kebab).sort()).toEqual([...TASK_NAMES].sort());
    for (const [name, resource] of Object.entries(resources)) expect(resource, name).toBe(fnArn(kebab(name)));
  });

  it('exports the state machine ARN, bucket and table names', () => {
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual([
      'AssetsBucketName',
      'ReviewAppUrl',
      'ShopifyWebhookUrl',
      'StateMachineArn',
      'TrackerTableName',
      'UploadsBucketName',
    ]);
    expect(outputs.StateMachineArn.Value).toEqual({ Ref: stack.getLogicalId(stack.stateMachine.node.defaultChild as any) });
  });
});

describe('options and helpers', () => {
  it('autoDeleteObjects adds exactly the one CDK auto-delete function (beside the BucketDeployment one)', () => {
    const dev = Template.fromStack(new AdlineStack(new App({ context: templateOnlyContext() }), 'AdlineDev', { autoDeleteObjects: true }));
    dev.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
    dev.resourceCountIs('AWS::Lambda::Function', TASK_NAMES.length + 2);
  });

  it('synthesizedStateNames() returns every state name', () => {
    expect(synthesizedStateNames()).toEqual(new Set(STATE_NAMES));
  });
});
