import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdlineStack } from '#infra/adline-stack';
import { templateOnlyContext } from '#infra/cdk-context';
import { TASK_TAG } from '#infra/constructs/adline-function';
import { renderProvidersFromContext } from '#infra/constructs/render-providers';
import { acknowledgeNagFindings, nagFindings } from '#infra/nag';
import { LOOPBACK_IMAGES_VARIABLE } from '#functions/commons/aws-deps';

type Fn = {
  Properties: { Tags?: Array<{ Key: string; Value: string }>; Environment?: { Variables?: Record<string, unknown> }; Role: { 'Fn::GetAtt': [string, string] } };
};
const RENDER_TASKS = ['render-submit', 'render-poll', 'render-fallback'];
let app: App;
let template: Template;
let stack: AdlineStack;

beforeAll(() => {
  app = new App({ context: templateOnlyContext() });
  stack = new AdlineStack(app, 'AdlineProviders', {
    renderProviders: renderProvidersFromContext(
      '{"fal":true,"replicate":true,"http":true,"bedrockModels":["amazon.nova-reel-v1:1","luma.ray-v2:0"],"sagemakerEndpoints":["My-I2V-Endpoint"]}',
    ),
  });
  template = Template.fromStack(stack);
});

const byTask = () =>
  Object.entries(template.findResources('AWS::Lambda::Function') as Record<string, Fn>)
    .map(([id, fn]) => ({ id, fn, task: fn.Properties.Tags?.find((t) => t.Key === TASK_TAG)?.Value }))
    .filter((f) => f.task);
const statementsOf = (roleId: string) =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>);

describe('render providers in AWS', () => {
  it('gives only the render functions a secret ARN per keyed provider and the async S3 prefix', () => {
    for (const { task, fn } of byTask()) {
      const env = fn.Properties.Environment?.Variables ?? {};
      const keys = ['FAL_KEY_SECRET_ARN', 'REPLICATE_API_TOKEN_SECRET_ARN', 'ADLINE_RENDER_TOKEN_SECRET_ARN', 'ADLINE_RENDER_S3_PREFIX'];
      if (RENDER_TASKS.includes(task!)) {
        for (const key of keys) expect(env[key], `${task} ${key}`).toBeDefined();
        expect(JSON.stringify(env.ADLINE_RENDER_S3_PREFIX)).toMatch(/s3:\/\/.*render-io/);
      } else {
        for (const key of keys) expect(env[key], `${task} ${key}`).toBeUndefined();
      }
      // The plain keys never sit in the function configuration.
      for (const plain of ['FAL_KEY', 'REPLICATE_API_TOKEN', 'ADLINE_RENDER_TOKEN']) expect(env[plain]).toBeUndefined();
    }
    template.resourceCountIs('AWS::SecretsManager::Secret', 3); // the Shopify secret is in the triggers' nested stack
  });

  it('grants Bedrock on the named models and SageMaker on the named endpoints only', () => {
    const submit = byTask().find((f) => f.task === 'render-submit')!;
    const statements = statementsOf(submit.fn.Properties.Role['Fn::GetAtt'][0]);
    const find = (action: string) => statements.filter((s) => [s.Action].flat().includes(action)).map((s) => JSON.stringify(s.Resource));
    expect(find('bedrock:StartAsyncInvoke')[0]).toMatch(/foundation-model\/amazon\.nova-reel-v1:1.*foundation-model\/luma\.ray-v2:0/);
    expect(find('bedrock:GetAsyncInvoke')[0]).toMatch(/async-invoke\/\*/);
    expect(find('sagemaker:InvokeEndpointAsync')[0]).toMatch(/endpoint\/my-i2v-endpoint"/);
    expect(statements.some((s) => [s.Action].flat().some((a) => a === 'bedrock:*' || a === 'sagemaker:*'))).toBe(false);
    const plan = byTask().find((f) => f.task === 'plan')!;
    expect(JSON.stringify(statementsOf(plan.fn.Properties.Role['Fn::GetAtt'][0]))).not.toMatch(/bedrock|sagemaker|secretsmanager/);
  });

  it('adds no cdk-nag finding that is not acknowledged', () => {
    // Before any synth (as infra/app.ts and test/infra/nag.test.ts do it).
    const fresh = new App({ context: templateOnlyContext() });
    new AdlineStack(fresh, 'AdlineNag', {
      renderProviders: { fal: true, replicate: true, http: true, bedrockModels: ['amazon.nova-reel-v1:1'], sagemakerEndpoints: ['e1'] },
    });
    acknowledgeNagFindings(fresh);
    expect(nagFindings(fresh).map(({ finding, path }) => `${finding} @ ${path}`)).toEqual([]);
  });

  it('refuses an unknown provider setting in context, naming it', () => {
    expect(() => renderProvidersFromContext('{"fall":true}')).toThrow(/adline:renderProviders is invalid.*fall/);
    expect(renderProvidersFromContext(undefined)).toEqual({});
  });

  it(`never sets ${LOOPBACK_IMAGES_VARIABLE} (the parity harness's loopback allowance) on any function`, () => {
    const json = JSON.stringify(template.toJSON()) + JSON.stringify(Template.fromStack(stack.triggers).toJSON());
    expect(json).not.toContain(LOOPBACK_IMAGES_VARIABLE);
  });
});
