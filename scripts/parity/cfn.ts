/**
 * Reads the synthesized templates (the parent stack and its nested triggers stack) and resolves their
 * intrinsics against the local stand-ins: each resource gets a local physical name or ARN in one fixed
 * account and region, so Refs and GetAtts in environments and definitions point at s3rver buckets,
 * dynalite tables, the Secrets Manager and Step Functions stand-ins, and the loaded Lambda bundles.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';

export interface Resource {
  Type: string;
  Properties?: Record<string, any>;
  Metadata?: Record<string, any>;
}
export interface TemplateJson {
  Resources: Record<string, Resource>;
  Parameters?: Record<string, unknown>;
}

/** One template in the assembly; `parent` is set for a nested stack (its parameters come from the parent's resource). */
export interface Scope {
  template: TemplateJson;
  parent?: { scope: Scope; logicalId: string };
}

/** The parent template and each nested stack's template, read from cdk.out (asset metadata names the nested file). */
export function loadScopes(outdir: string, parentTemplate: TemplateJson): Scope[] {
  const root: Scope = { template: parentTemplate };
  const scopes = [root];
  for (const [logicalId, resource] of Object.entries(parentTemplate.Resources)) {
    if (resource.Type !== 'AWS::CloudFormation::Stack') continue;
    const file = resource.Metadata?.['aws:asset:path'];
    if (!file) throw new Error(`Nested stack ${logicalId} has no aws:asset:path metadata: synthesize with aws:cdk:enable-asset-metadata.`);
    scopes.push({ template: JSON.parse(readFileSync(join(outdir, file), 'utf8')) as TemplateJson, parent: { scope: root, logicalId } });
  }
  return scopes;
}

/** The local physical id of a resource, by type: what a Ref gives. */
export function physicalId(logicalId: string, type: string): string {
  switch (type) {
    case 'AWS::S3::Bucket':
      return `parity-${logicalId.toLowerCase()}`.slice(0, 63);
    case 'AWS::SecretsManager::Secret':
      return arnOf(logicalId, type);
    case 'AWS::StepFunctions::StateMachine':
      return arnOf(logicalId, type);
    default:
      return logicalId;
  }
}

/** The local ARN of a resource, by type: what GetAtt Arn gives. */
export function arnOf(logicalId: string, type: string): string {
  switch (type) {
    case 'AWS::Lambda::Function':
      return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${logicalId}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${logicalId}`;
    case 'AWS::SecretsManager::Secret':
      return `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${logicalId}`;
    case 'AWS::S3::Bucket':
      return `arn:aws:s3:::${physicalId(logicalId, type)}`;
    case 'AWS::DynamoDB::Table':
      return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${logicalId}`;
    case 'AWS::SQS::Queue':
      return `arn:aws:sqs:${REGION}:${ACCOUNT}:${logicalId}`;
    default:
      return `arn:aws:local:${REGION}:${ACCOUNT}:${type}/${logicalId}`;
  }
}

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': REGION,
  'AWS::AccountId': ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'AdlineParity',
  'AWS::NoValue': '',
};

/** Resolves Ref, Fn::GetAtt, Fn::Join, Fn::Select, Fn::Split and Fn::Sub in a template value. */
export function resolve(value: unknown, scope: Scope): any {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => resolve(v, scope));
  const obj = value as Record<string, any>;
  if ('Ref' in obj) return ref(String(obj.Ref), scope);
  if ('Fn::GetAtt' in obj) {
    const [id, attr] = Array.isArray(obj['Fn::GetAtt']) ? obj['Fn::GetAtt'] : String(obj['Fn::GetAtt']).split('.');
    const resource = scope.template.Resources[id];
    if (!resource) throw new Error(`GetAtt names ${id}, which the template lacks.`);
    if (attr === 'Arn') return arnOf(id, resource.Type);
    if (attr === 'Name') return physicalId(id, resource.Type);
    return `${arnOf(id, resource.Type)}#${attr}`;
  }
  if ('Fn::Join' in obj) {
    const [separator, parts] = obj['Fn::Join'] as [string, unknown[]];
    return (resolve(parts, scope) as unknown[]).join(separator);
  }
  if ('Fn::Select' in obj) {
    const [index, list] = obj['Fn::Select'] as [number, unknown];
    return (resolve(list, scope) as unknown[])[Number(index)];
  }
  if ('Fn::Split' in obj) {
    const [separator, text] = obj['Fn::Split'] as [string, unknown];
    return String(resolve(text, scope)).split(separator);
  }
  if ('Fn::Sub' in obj) {
    const [text, vars] = Array.isArray(obj['Fn::Sub']) ? obj['Fn::Sub'] : [obj['Fn::Sub'], {}];
    return String(text).replace(/\$\{([^}]+)\}/g, (_m, name: string) =>
      String(name in vars ? resolve(vars[name], scope) : name.includes('.') ? resolve({ 'Fn::GetAtt': name.split('.') }, scope) : ref(name, scope)),
    );
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolve(v, scope)]));
}

function ref(name: string, scope: Scope): string {
  if (name in PSEUDO) return PSEUDO[name];
  const resource = scope.template.Resources[name];
  if (resource) return physicalId(name, resource.Type);
  if (scope.template.Parameters && name in scope.template.Parameters && scope.parent) {
    const stack = scope.parent.scope.template.Resources[scope.parent.logicalId];
    const given = stack.Properties?.Parameters?.[name];
    if (given === undefined) throw new Error(`Nested stack parameter ${name} is not passed by ${scope.parent.logicalId}.`);
    return resolve(given, scope.parent.scope);
  }
  if (scope.template.Parameters && name in scope.template.Parameters) return `param-${name}`;
  throw new Error(`Ref ${name} names nothing in the template.`);
}

/** Every resource of a type across the scopes, with the scope it lives in. */
export function resourcesOf(scopes: readonly Scope[], type: string): Array<{ logicalId: string; resource: Resource; scope: Scope }> {
  return scopes.flatMap((scope) =>
    Object.entries(scope.template.Resources)
      .filter(([, r]) => r.Type === type)
      .map(([logicalId, resource]) => ({ logicalId, resource, scope })),
  );
}
