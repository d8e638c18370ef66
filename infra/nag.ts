import { Stack, Validations } from 'aws-cdk-lib';
import { CfnRule } from 'aws-cdk-lib/aws-events';
import { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { REVIEW_SITE_NAG_ACKNOWLEDGEMENTS } from './constructs/review-site.ts';

/** One kind of cdk-nag finding adline accepts, where, and why. Anything not listed here stays a finding. */
export interface NagAcknowledgement {
  /** The finding id as cdk-nag reports it, e.g. `AwsSolutions-IAM5[Action::s3:List*]`. */
  readonly finding: RegExp;
  /** The construct path it may appear on (below the stack). */
  readonly where: RegExp;
  readonly reason: string;
  /** Extra check on the construct before accepting (e.g. the `*` resource is only for X-Ray). */
  readonly when?: (construct: IConstruct) => boolean;
}

/** Actions AWS offers no resource-level scoping for; CDK adds them with `Resource: *` for tracing and log delivery. */
const UNSCOPABLE_ACTIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
]);

/** True when every statement of a policy that grants on `*` only names actions that cannot be scoped. */
function starOnlyForUnscopableActions(construct: IConstruct): boolean {
  if (!(construct instanceof CfnPolicy)) return false;
  const doc = Stack.of(construct).resolve(construct.policyDocument) as { Statement: Array<{ Action: string | string[]; Resource: unknown }> };
  return doc.Statement.filter((s) => s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*'))).every((s) =>
    [s.Action].flat().every((action) => UNSCOPABLE_ACTIONS.has(action)),
  );
}

/** True when a queue is the dead-letter queue of an EventBridge rule target (cdk-nag's SQS3 only sees RedrivePolicy DLQs). */
function isRuleTargetDlq(construct: IConstruct): boolean {
  if (!(construct instanceof CfnQueue)) return false;
  const stack = Stack.of(construct);
  const arn = JSON.stringify(stack.resolve(construct.attrArn));
  return stack.node
    .findAll()
    .some(
      (c) =>
        c instanceof CfnRule &&
        ((stack.resolve(c.targets) as Array<{ deadLetterConfig?: { arn?: unknown } }> | undefined) ?? []).some(
          (t) => JSON.stringify(t.deadLetterConfig?.arn) === arn,
        ),
    );
}

const LAMBDA_ROLE_POLICY = /\/ServiceRole\/DefaultPolicy\/Resource$/;
const OWN_DATA = new RegExp(
  String.raw`^AwsSolutions-IAM5\[(Action::s3:(GetObject|GetBucket|List|DeleteObject|Abort|PutObject)\*` +
    String.raw`|Resource::<(Assets|Tracker|Uploads|TriggersUploads)[A-Za-z0-9]*\.Arn>\/(\*|index\/\*)` +
    String.raw`|Resource::arn:<AWS::Partition>:s3:::<Assets[A-Za-z0-9]*>\/\*)\]$`,
);

/**
 * Every accepted AwsSolutions finding with its reason. Fixed in the constructs instead: TLS-only,
 * encrypted, private buckets and queues (S2, S10, SQS2-4), DLQs on async triggers, logging ALL and
 * X-Ray on both state machines (SF1, SF2), point-in-time recovery on the table (DDB3).
 */
export const NAG_ACKNOWLEDGEMENTS: readonly NagAcknowledgement[] = [
  {
    finding: /^AwsSolutions-IAM4\[Policy::arn:<AWS::Partition>:iam::aws:policy\/service-role\/AWSLambdaBasicExecutionRole\]$/,
    where: /\/ServiceRole\/Resource$|\/BucketNotificationsHandler[0-9a-f]+\/Role\/Resource$/,
    reason:
      "AWSLambdaBasicExecutionRole only lets a function (ours, or CDK's bucket-notification helper) write its own CloudWatch log streams; " +
      'an inline copy would grant the same and drift from AWS updates.',
  },
  {
    finding: /^AwsSolutions-IAM5\[Resource::\*\]$/,
    where: /\/(ServiceRole|Role)\/DefaultPolicy\/Resource$/,
    when: starOnlyForUnscopableActions,
    reason:
      'Resource * only on X-Ray (PutTraceSegments, PutTelemetryRecords, sampling) and CloudWatch Logs delivery actions, ' +
      'which support no resource-level permissions; checked statement by statement.',
  },
  {
    finding: OWN_DATA,
    where: /\/(ServiceRole|Role)\/DefaultPolicy\/Resource$/,
    reason:
      "Object-level grants (grantRead/grantReadWrite) on this stack's own assets/uploads bucket keys and tracker table indexes; " +
      'each task gets read or read-write per TASK_ACCESS, nothing outside these resources.',
  },
  {
    finding: /^AwsSolutions-IAM5\[Resource::<[A-Za-z0-9]+\.Arn>:\*\]$/,
    where: /(\/StateMachine\/Role|SchedulerRoleForTarget-[a-z0-9]+)\/DefaultPolicy\/Resource$/,
    reason: "Invoking a Lambda function by ARN also needs its qualified ARNs (versions/aliases, `<fn>:*`); scoped to the stack's own functions.",
  },
  {
    finding: /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:.*\]$/,
    where: /\/UploadFanOut\/DistributedMapPolicy\/Resource$/,
    reason: "A Distributed Map manages its child executions, whose names Step Functions generates at run time; scoped to this state machine's executions.",
  },
  {
    finding: /^AwsSolutions-L1$/,
    where: /Fn\/Resource$|-fn\/Resource$/,
    reason:
      'Node.js 22 is the pinned, tested runtime: esbuild targets node22 and the media layer is verified against it; ' +
      'a runtime upgrade is a tested change of its own, not a lint fix.',
  },
  {
    finding: /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>\/\*\]$/,
    where: /\/Custom::CDKBucketDeployment[0-9A-Za-z]+\/ServiceRole\/DefaultPolicy\/Resource$/,
    reason:
      'The BucketDeployment that puts campaigns and templates reads its staged source zip from the CDK bootstrap assets bucket, ' +
      'whose object keys are content hashes known only at publish time; read-only, that bucket only.',
  },
  {
    finding: /^AwsSolutions-L1$/,
    where: /\/Custom::CDKBucketDeployment[0-9A-Za-z]+\/Resource$/,
    reason:
      "The BucketDeployment handler is CDK's own Python function; aws-cdk-lib pins its runtime and upgrades it with the library, which package-lock.json pins.",
  },
  {
    finding: /^AwsSolutions-SMG4$/,
    where: /\/RenderProviders\/(fal|replicate|http)-key\/Resource$/,
    reason:
      'Render provider API keys are issued by the provider (fal, Replicate, an http endpoint) and cannot be rotated by a Lambda; ' +
      'the operator rotates them at the provider and puts the new value.',
  },
  {
    finding: /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:bedrock:<AWS::Region>:<AWS::AccountId>:async-invoke\/\*\]$/,
    where: /\/Render(Submit|Poll|Fallback)Fn\/ServiceRole\/DefaultPolicy\/Resource$/,
    reason:
      "Bedrock names each async invocation at StartAsyncInvoke time; GetAsyncInvoke can only be scoped to this account and region's invocations. " +
      'Starting one is scoped to the enabled model ARNs.',
  },
  {
    finding: /^AwsSolutions-SMG4$/,
    where: /\/ShopifySecret\/Resource$/,
    reason:
      'The Shopify webhook secret is issued by Shopify and cannot be rotated by a Lambda; ' +
      'rotation is manual, and the webhook accepts two secrets during the switch.',
  },
  {
    finding: /^AwsSolutions-S1$/,
    where: /\/(Assets|Triggers\/Uploads)\/Resource$/,
    reason:
      "Private, TLS-only buckets reached only through this stack's roles; " +
      'object-level audit is CloudTrail S3 data events, enabled account-wide by the deployer rather than a log bucket per stack.',
  },
  {
    finding: /^AwsSolutions-SQS3$/,
    where: /\/Triggers\/UploadEventsDlq\/Resource$/,
    when: isRuleTargetDlq,
    reason:
      'This queue is itself a dead-letter queue: the UploadCreated rule sends events it could not deliver to it (target DeadLetterConfig, checked); ' +
      "cdk-nag only recognizes DLQs named by another queue's RedrivePolicy.",
  },
  ...REVIEW_SITE_NAG_ACKNOWLEDGEMENTS,
];

/** Runs the AwsSolutions pack over a scope and returns each finding as `rule @ construct path`. */
export function nagFindings(scope: IConstruct): Array<{ finding: string; path: string }> {
  const report = new AwsSolutionsChecks(scope).validateScope(scope);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => ({ finding: v.ruleName, path: r.constructPath ?? r.resourceLogicalId ?? '?' })));
}

/**
 * Acknowledges (cdk-nag v3: `Validations.of(construct).acknowledge`) each finding that an entry of
 * NAG_ACKNOWLEDGEMENTS accepts, with that entry's reason, on the exact construct. Returns what it acknowledged.
 */
export function acknowledgeNagFindings(scope: IConstruct, acknowledgements = NAG_ACKNOWLEDGEMENTS): Array<{ finding: string; path: string; reason: string }> {
  const byPath = new Map(scope.node.findAll().map((c) => [c.node.path, c]));
  const done: Array<{ finding: string; path: string; reason: string }> = [];
  for (const { finding, path } of nagFindings(scope)) {
    const construct = byPath.get(path);
    const rule = construct && acknowledgements.find((a) => a.finding.test(finding) && a.where.test(path) && (!a.when || a.when(construct)));
    if (!construct || !rule) continue;
    Validations.of(construct).acknowledge({ id: finding, reason: rule.reason });
    done.push({ finding, path, reason: rule.reason });
  }
  return done;
}

/** Adds the AwsSolutions pack to an app as a policy-validation plugin (runs on `cdk synth`), with adline's acknowledgements. */
export function enableNag(scope: IConstruct): void {
  acknowledgeNagFindings(scope);
  Validations.of(scope).addPlugins(new AwsSolutionsChecks(scope));
}
