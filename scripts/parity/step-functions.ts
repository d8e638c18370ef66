/**
 * Step Functions for the parity run: the synthesized state machine definitions on aws-local-stepfunctions,
 * started through a stand-in of the service's JSON protocol (AWSStepFunctions.StartExecution /
 * DescribeExecution) so the trigger bundles' SFNClient reaches it through AWS_ENDPOINT_URL_SFN.
 *
 * THE ONE PLACE where the parity run adapts a definition to the local engine (adaptForLocalEngine):
 * 1. A Map with an ItemReader (the upload fan-out's Distributed Map reading `<catalog>.parts.json` from S3)
 *    gets a reader Task in front of it that reads the object and hands the items to the Map through
 *    ItemsPath; the engine runs DISTRIBUTED maps inline, each item as one iteration.
 * 2. Task states are bound by state name (the engine's key) to what their Resource names: a function ARN
 *    → that function's bundled handler (payloads JSON round-tripped, as Lambda does); the
 *    `states:startExecution` integration → this stand-in's StartExecution, with
 *    `StepFunctions.ExecutionAlreadyExistsException` as the error name, as the service integration reports it.
 * 3. Node 20 lacks Promise.withResolvers, which the engine uses: polyfilled (as local/local-engine.ts does).
 * Nothing else differs: Retry, Catch, Choice, Wait (real seconds), Parallel and the JSONPath fields run as written.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import '#local/local-engine'; // the Promise.withResolvers polyfill
import { StateMachine } from 'aws-local-stepfunctions';
import { JsonProtocolError, startJsonService } from './stand-ins.ts';

type State = Record<string, any> & { Type: string };
export type Asl = { StartAt: string; States: Record<string, State> };
export type Invoke = (functionArn: string, payload: unknown) => Promise<unknown>;

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: string;
  /** Engine events, and the AWS history events they stand for (Task = 5, Map/Parallel = 4, others 2, iterations 1 each). */
  engineEvents: number;
  historyEvents: number;
  /** The largest state input or output seen, in UTF-8 bytes (Step Functions caps each at 262,144). */
  maxPayloadBytes: number;
  done: Promise<void>;
}

const HISTORY_PER_STATE: Record<string, number> = { Task: 5, Map: 4, Parallel: 4 };

class ExecutionAlreadyExists extends Error {
  override readonly name = 'StepFunctions.ExecutionAlreadyExistsException';
}

/** Rewrites a definition for the local engine (point 1 of the header) and lists the Task bindings (point 2). */
export function adaptForLocalEngine(
  asl: Asl,
  readItems: (bucket: string, key: string) => Promise<unknown[]>,
): { asl: Asl; readers: Record<string, (input: unknown) => Promise<unknown>> } {
  const readers: Record<string, (input: unknown) => Promise<unknown>> = {};
  const walk = (states: Record<string, State>, graph: { StartAt: string }) => {
    for (const [name, state] of Object.entries({ ...states })) {
      if (state.Type === 'Map' && state.ItemReader) {
        const reader = state.ItemReader as { Resource: string; Parameters: Record<string, string> };
        if (!/states:::s3:getObject$/.test(reader.Resource))
          throw new Error(`Map ${name}: only the s3:getObject ItemReader is adapted, not ${reader.Resource}.`);
        const readerName = `${name}ItemReader`;
        const path = `$.__items_${name}`;
        states[readerName] = { Type: 'Task', Resource: 'arn:aws:states:::parity:itemReader', ResultPath: path, Next: name };
        readers[readerName] = async (input) => {
          const pick = (field: string) => reader.Parameters[field] ?? jsonPath(input, reader.Parameters[`${field}.$`]);
          return readItems(String(pick('Bucket')), String(pick('Key')));
        };
        delete state.ItemReader;
        state.ItemsPath = path;
        for (const other of Object.values(states)) if (other.Next === name && other !== states[readerName]) other.Next = readerName;
        if (graph.StartAt === name) graph.StartAt = readerName;
      }
      const inner = state.ItemProcessor ?? state.Iterator;
      if (inner) walk(inner.States, inner);
      for (const branch of state.Branches ?? []) walk(branch.States, branch);
    }
  };
  const copy = JSON.parse(JSON.stringify(asl)) as Asl;
  walk(copy.States, copy);
  return { asl: copy, readers };
}

function jsonPath(input: unknown, path: string | undefined): unknown {
  if (!path) return undefined;
  return path
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean)
    .reduce<any>((v, k) => v?.[k], input);
}

/** The Step Functions stand-in: machines by ARN, executions by name (Standard semantics), run on the local engine. */
export async function startStepFunctions(options: { machines: Map<string, Asl>; invoke: Invoke; s3: S3Client }) {
  const executions = new Map<string, ExecutionRecord>();
  const readItems = async (bucket: string, key: string) => {
    const out = await options.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse(await out.Body!.transformToString('utf8')) as unknown[];
  };
  const prepared = new Map<string, { machine: StateMachine; handlers: Record<string, (input: unknown) => Promise<unknown>> }>();
  const machineFor = (arn: string) => {
    let entry = prepared.get(arn);
    if (entry) return entry;
    const asl = options.machines.get(arn);
    if (!asl) throw new JsonProtocolError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    const adapted = adaptForLocalEngine(asl, readItems);
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = { ...adapted.readers };
    const bind = (states: Record<string, State>) => {
      for (const [name, state] of Object.entries(states)) {
        if (state.Type === 'Task' && !handlers[name]) {
          const resource = String(state.Resource);
          if (resource.startsWith('arn:aws:lambda:')) handlers[name] = (input) => options.invoke(resource, input);
          else if (resource === 'arn:aws:states:::lambda:invoke')
            handlers[name] = async (input: any) => ({
              StatusCode: 200,
              ExecutedVersion: '$LATEST',
              Payload: await options.invoke(input.FunctionName, input.Payload),
            });
          else if (/^arn:aws:states:::states:startExecution$/.test(resource)) {
            handlers[name] = async (input: any) => {
              const started = start(
                String(input.StateMachineArn),
                String(input.Name ?? `x-${executions.size}`),
                typeof input.Input === 'string' ? input.Input : JSON.stringify(input.Input ?? {}),
              );
              return { ExecutionArn: started.executionArn, StartDate: new Date().toISOString() };
            };
          } else throw new Error(`Task ${name}: resource ${resource} is not served by the parity run.`);
        }
        const inner = state.ItemProcessor ?? state.Iterator;
        if (inner) bind(inner.States);
        for (const branch of state.Branches ?? []) bind(branch.States);
      }
    };
    bind(adapted.asl.States);
    entry = { machine: new StateMachine(adapted.asl as never), handlers };
    prepared.set(arn, entry);
    return entry;
  };

  const start = (stateMachineArn: string, name: string, input: string): ExecutionRecord => {
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = executions.get(executionArn);
    if (existing) {
      // Standard: the same name and input while open is the same execution; anything else already exists.
      if (existing.status === 'RUNNING' && existing.input === input) return existing;
      throw new ExecutionAlreadyExists(`Execution Already Exists: '${executionArn}'`);
    }
    const { machine, handlers } = machineFor(stateMachineArn);
    const run = machine.run(JSON.parse(input) as never, { overrides: { taskResourceLocalHandlers: handlers as never } });
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn,
      name,
      input,
      status: 'RUNNING',
      engineEvents: 0,
      historyEvents: 2,
      maxPayloadBytes: Buffer.byteLength(input),
      done: Promise.resolve(),
    };
    const size = (v: unknown) => (v === undefined ? 0 : Buffer.byteLength(JSON.stringify(v)));
    record.done = (async () => {
      const counting = (async () => {
        for await (const event of run.eventLogs as AsyncIterable<any>) {
          record.engineEvents++;
          if (event.type === 'StateEntered') record.historyEvents += HISTORY_PER_STATE[event.state?.type] ?? 2;
          if (event.type === 'MapIterationStarted' || event.type === 'MapIterationSucceeded') record.historyEvents += 1;
          if (event.type === 'StateRetried') record.historyEvents += 3;
          record.maxPayloadBytes = Math.max(record.maxPayloadBytes, size(event.state?.input), size(event.state?.output));
        }
      })();
      try {
        record.output = await run.result;
        record.status = 'SUCCEEDED';
      } catch (error) {
        record.status = 'FAILED';
        record.error = `${(error as Error).name}: ${(error as Error).message}`;
      }
      await counting.catch(() => undefined);
    })();
    executions.set(executionArn, record);
    return record;
  };

  const service = await startJsonService('AWSStepFunctions', {
    StartExecution: ({ stateMachineArn, name, input }) => {
      try {
        const record = start(String(stateMachineArn), String(name), String(input ?? '{}'));
        return { executionArn: record.executionArn, startDate: Date.now() / 1000 };
      } catch (error) {
        if (error instanceof ExecutionAlreadyExists) throw new JsonProtocolError('ExecutionAlreadyExists', error.message);
        throw error;
      }
    },
    DescribeExecution: ({ executionArn }) => {
      const record = executions.get(String(executionArn));
      if (!record) throw new JsonProtocolError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
      return {
        executionArn,
        stateMachineArn: record.stateMachineArn,
        name: record.name,
        status: record.status,
        input: record.input,
        output: record.output === undefined ? undefined : JSON.stringify(record.output),
        startDate: 0,
      };
    },
  });

  return {
    ...service,
    executions,
    /** Resolves when every execution, including those started while waiting, has closed. */
    async settle(): Promise<void> {
      for (;;) {
        const open = [...executions.values()].filter((e) => e.status === 'RUNNING');
        if (open.length === 0) return;
        await Promise.all(open.map((e) => e.done));
      }
    },
  };
}
