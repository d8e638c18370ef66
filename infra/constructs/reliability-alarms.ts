import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * Alarms that say "something was lost or stuck": any failed, timed-out or aborted execution of any
 * state machine in the stack, and any message waiting in a dead-letter queue. It discovers them in
 * the stack when built, so create it last; a trigger added later gets its alarms without a change here.
 */
export class ReliabilityAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const all = Stack.of(this).node.findAll();
    for (const machine of all.filter((c): c is sfn.StateMachine => c instanceof sfn.StateMachine)) {
      const period = Duration.minutes(5);
      const broken = new cloudwatch.MathExpression({
        expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
        usingMetrics: { failed: machine.metricFailed({ period }), timedOut: machine.metricTimedOut({ period }), aborted: machine.metricAborted({ period }) },
        period,
        label: 'executions failed, timed out or aborted',
      });
      this.alarms.push(
        broken.createAlarm(this, `${machine.node.path.replace(/[^A-Za-z0-9]/g, '')}ExecutionsFailed`, {
          alarmDescription: `An execution of ${machine.node.path} failed, timed out or was aborted: its products were not published. Redrive it or re-run.`,
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    for (const dlq of deadLetterQueues(all)) {
      this.alarms.push(
        dlq
          .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'max' })
          .createAlarm(this, `${dlq.node.path.replace(/[^A-Za-z0-9]/g, '')}Depth`, {
            alarmDescription: `Dead-letter queue ${dlq.node.path} holds messages: events that were never processed. Inspect and redrive them.`,
            threshold: 1,
            evaluationPeriods: 1,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          }),
      );
    }
  }
}

/** Queues that serve as a DLQ: named by another queue's or a function's dead-letter setting, or named as one. */
function deadLetterQueues(all: Construct[]): sqs.IQueue[] {
  const found = new Set<sqs.IQueue>();
  for (const c of all) {
    if (c instanceof sqs.Queue && c.deadLetterQueue) found.add(c.deadLetterQueue.queue);
    if (c instanceof lambda.Function && c.deadLetterQueue) found.add(c.deadLetterQueue);
    if (c instanceof sqs.Queue && /dlq|dead-?letter/i.test(c.node.id)) found.add(c);
  }
  return [...found];
}
