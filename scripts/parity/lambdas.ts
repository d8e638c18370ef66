/**
 * Loads each function of the synthesized templates the way Lambda runs it: its bundled asset from cdk.out
 * copied to <root>/<fn>/var/task, its layers' nodejs/node_modules above it (where Node's resolution finds
 * them, as /opt/nodejs/node_modules is found in Lambda), the environment the template gives it with Refs
 * resolved, then the handler export (`index.handler` → index.mjs) imported at "cold start".
 */
import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { arnOf, resolve, resourcesOf, type Scope } from './cfn.ts';

export interface LoadedFunction {
  logicalId: string;
  arn: string;
  /** The tag naming the task or trigger it serves. */
  role: string;
  /** The cdk.out asset folder its code came from (asset.<hash>). */
  asset: string;
  environment: Record<string, string>;
  handler: (event: unknown, context: unknown) => Promise<unknown>;
  invocations: number;
}

/** Imports every tagged function's bundle (tasks and triggers); CDK's own helpers are not adline code and are not run. */
export async function loadFunctions(
  scopes: readonly Scope[],
  outdir: string,
  root: string,
  baseEnv: Record<string, string>,
  tags: readonly string[],
): Promise<Map<string, LoadedFunction>> {
  const loaded = new Map<string, LoadedFunction>();
  const layers = new Map(
    resourcesOf(scopes, 'AWS::Lambda::LayerVersion').map(({ logicalId, resource }) => [logicalId, join(outdir, resource.Metadata!['aws:asset:path'])]),
  );
  for (const { logicalId, resource, scope } of resourcesOf(scopes, 'AWS::Lambda::Function')) {
    const props = resource.Properties ?? {};
    const role = (props.Tags as Array<{ Key: string; Value: string }> | undefined)?.find((t) => tags.includes(t.Key))?.Value;
    if (!role) continue;
    const assetPath = resource.Metadata?.['aws:asset:path'];
    if (!assetPath) throw new Error(`Function ${logicalId} has no aws:asset:path metadata.`);
    const layerIds = ((props.Layers ?? []) as unknown[]).map((l) => (l as { Ref: string }).Ref);
    const base = join(root, logicalId);
    const task = join(base, 'var', 'task');
    mkdirSync(task, { recursive: true });
    cpSync(join(outdir, assetPath), task, { recursive: true });
    for (const id of layerIds) symlinkSync(join(layers.get(id)!, 'nodejs', 'node_modules'), join(base, 'node_modules'));
    const environment = resolve(props.Environment?.Variables ?? {}, scope) as Record<string, string>;
    const [file, exportName] = String(props.Handler).split('.');
    const saved = { ...process.env };
    Object.assign(process.env, baseEnv, environment, { AWS_LAMBDA_FUNCTION_NAME: logicalId, LAMBDA_TASK_ROOT: task });
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(join(task, `${file}.mjs`)).href)) as Record<string, unknown>;
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
    const handler = module[exportName];
    if (typeof handler !== 'function') throw new Error(`${assetPath}/${file}.mjs exports no ${exportName}.`);
    loaded.set(logicalId, {
      logicalId,
      arn: arnOf(logicalId, resource.Type),
      role,
      asset: basename(assetPath),
      environment,
      handler: handler as LoadedFunction['handler'],
      invocations: 0,
    });
  }
  return loaded;
}

/** Invokes a loaded function as Lambda does: the event and result cross as JSON, errors keep their name. */
export async function invoke(fn: LoadedFunction, event: unknown): Promise<unknown> {
  fn.invocations++;
  const context = { awsRequestId: `parity-${fn.invocations}`, functionName: fn.logicalId, invokedFunctionArn: fn.arn, getRemainingTimeInMillis: () => 60_000 };
  const result = await fn.handler(JSON.parse(JSON.stringify(event ?? null)), context);
  return result === undefined ? null : JSON.parse(JSON.stringify(result));
}
