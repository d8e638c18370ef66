import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdlineStack } from '#infra/adline-stack';
import { templateOnlyContext } from '#infra/cdk-context';
import { acknowledgeNagFindings, NAG_ACKNOWLEDGEMENTS, nagFindings } from '#infra/nag';

describe('cdk-nag AwsSolutions (v3) over the whole stack', () => {
  let app: App;
  let before: Array<{ finding: string; path: string }>;
  let acknowledged: ReturnType<typeof acknowledgeNagFindings>;

  beforeAll(() => {
    app = new App({ context: templateOnlyContext() });
    new AdlineStack(app, 'AdlineNag');
    before = nagFindings(app);
    acknowledged = acknowledgeNagFindings(app);
  });

  it('leaves no unacknowledged finding', () => {
    expect(nagFindings(app).map(({ finding, path }) => `${finding} @ ${path}`)).toEqual([]);
  });

  it('acknowledges each finding with a written reason, and only kinds listed in infra/nag.ts', () => {
    expect(acknowledged.length).toBe(before.length);
    for (const a of acknowledged) expect(a.reason.length, a.finding).toBeGreaterThan(40);
    for (const entry of NAG_ACKNOWLEDGEMENTS) expect(entry.reason).toMatch(/\w{4,}.*\w{4,}.*\w{4,}/);
  });

  it('the fixed rules stay fixed: no encryption, TLS, public-access, DLQ, PITR or state machine logging/tracing finding is acknowledged', () => {
    const fixed = /AwsSolutions-(S2|S10|SQS2|SQS3|SQS4|SNS2|SNS3|DDB3|SF1|SF2)\b/;
    // One exception, checked: SQS3 ("no DLQ") on a queue that is itself the DLQ of an EventBridge rule target.
    const ruleTargetDlq = (f: { finding: string; path: string }) =>
      f.finding === 'AwsSolutions-SQS3' && acknowledged.some((a) => a.path === f.path && a.finding === f.finding);
    expect(before.filter((f) => fixed.test(f.finding) && !ruleTargetDlq(f))).toEqual([]);
    expect(before.filter(ruleTargetDlq).map((f) => f.path)).toEqual(['AdlineNag/Triggers/UploadEventsDlq/Resource']);
  });

  it('a wildcard that is not X-Ray or log delivery is not waved through', () => {
    const star = acknowledged.filter((a) => a.finding === 'AwsSolutions-IAM5[Resource::*]');
    expect(star.length).toBeGreaterThan(0);
    expect(NAG_ACKNOWLEDGEMENTS.find((a) => a.finding.test('AwsSolutions-IAM5[Resource::*]'))?.when).toBeDefined();
  });
});

describe('reliability alarms', () => {
  it('alarm on failed executions of every state machine and on every dead-letter queue', async () => {
    const { Template } = await import('aws-cdk-lib/assertions');
    const stack = new AdlineStack(new App({ context: templateOnlyContext() }), 'AdlineAlarms');
    const template = Template.fromStack(stack);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Array<{
      Properties: { AlarmDescription: string; Metrics?: unknown[]; MetricName?: string };
    }>;
    const { StateMachine } = await import('aws-cdk-lib/aws-stepfunctions');
    // Counted in the construct tree: a trigger's state machine may live in a nested stack.
    const machines = stack.node.findAll().filter((c) => c instanceof StateMachine).length;
    expect(machines).toBeGreaterThanOrEqual(1);
    expect(alarms.filter((a) => /failed, timed out or was aborted/.test(a.Properties.AlarmDescription))).toHaveLength(machines);
    const queues = Object.entries(template.findResources('AWS::SQS::Queue'));
    const dlqs = new Set(
      queues.flatMap(
        ([, q]) =>
          (q as { Properties: { RedrivePolicy?: { deadLetterTargetArn: { 'Fn::GetAtt': string[] } } } }).Properties.RedrivePolicy?.deadLetterTargetArn[
            'Fn::GetAtt'
          ][0] ?? [],
      ),
    );
    expect(alarms.filter((a) => /Dead-letter queue/.test(a.Properties.AlarmDescription)).length).toBeGreaterThanOrEqual(dlqs.size);
    expect(JSON.stringify(alarms)).toContain('ExecutionsFailed');
  });
});
