import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { executionArn, SfnRunStarter } from '#adapters/aws/sfn-run-starter';
import type { RunInput } from '#ports/workflow-payloads';

const STATE_MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:adline-run';

interface Seen {
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}
/** A tiny Step Functions stand-in speaking the awsJson1_0 protocol; `reply` decides each answer. */
let reply: (body: Record<string, unknown>) => { status: number; body: unknown };
let seen: Seen[] = [];
let server: Server;
let client: SFNClient;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      seen.push({ headers: { ...req.headers, ':method': req.method, ':path': req.url }, body });
      const out = reply(body);
      res.writeHead(out.status, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(out.body));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  client = new SFNClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client?.destroy();
  await new Promise((done) => server?.close(done));
});

beforeEach(() => {
  seen = [];
});

const input: RunInput = { schemaVersion: 1, runId: 'run_2024-01', campaignKey: 'campaigns/spring.json', catalogKey: 'catalogs/spring.csv' };

describe('SfnRunStarter', () => {
  it('starts an execution with the name and the validated input', async () => {
    reply = (body) => ({ status: 200, body: { executionArn: executionArn(STATE_MACHINE, String(body.name)), startDate: 1.7e9 } });
    const starter = new SfnRunStarter({ client, stateMachineArn: STATE_MACHINE });

    const started = await starter.start({ ...input, extra: 'dropped' } as RunInput, 'spring-run_2024-01');

    expect(started).toEqual({ executionId: 'arn:aws:states:us-east-1:123456789012:execution:adline-run:spring-run_2024-01', started: true });
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request!.headers[':method']).toBe('POST');
    expect(request!.headers[':path']).toBe('/');
    expect(request!.headers['x-amz-target']).toBe('AWSStepFunctions.StartExecution');
    expect(request!.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(request!.body).toEqual({ stateMachineArn: STATE_MACHINE, name: 'spring-run_2024-01', input: JSON.stringify(input) });
  });

  it('sanitizes the execution name deterministically', async () => {
    reply = (body) => ({ status: 200, body: { executionArn: executionArn(STATE_MACHINE, String(body.name)), startDate: 1.7e9 } });
    const starter = new SfnRunStarter({ client, stateMachineArn: STATE_MACHINE });
    await starter.start(input, 'spring campaign/run 1');
    await starter.start(input, 'spring campaign/run 1');
    const [first, second] = seen.map((s) => String(s.body.name));
    expect(first).toMatch(/^spring_campaign_run_1-[0-9a-f]{12}$/);
    expect(second).toBe(first);
  });

  it('treats ExecutionAlreadyExists as a duplicate start, not an error', async () => {
    reply = () => ({ status: 400, body: { __type: 'ExecutionAlreadyExists', message: 'Execution Already Exists: spring-run_2024-01' } });
    const starter = new SfnRunStarter({ client, stateMachineArn: STATE_MACHINE });

    await expect(starter.start(input, 'spring-run_2024-01')).resolves.toEqual({
      executionId: 'arn:aws:states:us-east-1:123456789012:execution:adline-run:spring-run_2024-01',
      started: false,
    });
  });

  it('propagates other service errors', async () => {
    reply = () => ({ status: 400, body: { __type: 'com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist', message: 'State Machine Does Not Exist' } });
    const starter = new SfnRunStarter({ client, stateMachineArn: STATE_MACHINE });
    await expect(starter.start(input, 'spring-run_2024-01')).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
  });

  it('rejects an invalid input before calling Step Functions', async () => {
    reply = () => ({ status: 500, body: {} });
    const starter = new SfnRunStarter({ client, stateMachineArn: STATE_MACHINE });
    await expect(starter.start({ ...input, runId: 'has space' }, 'x')).rejects.toMatchObject({ name: 'ZodError' });
    expect(seen).toHaveLength(0);
  });
});
