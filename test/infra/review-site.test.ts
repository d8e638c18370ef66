import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdlineStack } from '#infra/adline-stack';
import { templateOnlyContext } from '#infra/cdk-context';
import { callerOf, groupsOf, makeHandler } from '../../functions/review-api/handler.ts';
import { openLocalHost, type LocalHost } from '../../local/local-host.ts';
import { testCampaign } from '../triggers/support.ts';

describe('the review site in the AWS stack (synthesized offline)', () => {
  const stack = new AdlineStack(new App({ context: templateOnlyContext() }), 'AdlineReview');
  const site = Template.fromStack(stack.reviewSite);

  it('serves the static app from a private bucket through CloudFront with origin access control and strict headers', () => {
    site.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: Match.anyValue(),
    });
    site.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    site.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ DefaultRootObject: 'review/index.html', Logging: Match.anyValue() }),
    });
    const policy = JSON.stringify(site.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    site.resourceCountIs('Custom::CDKBucketDeployment', 1);
  });

  it('puts every API route behind the Cognito JWT authorizer; MFA is required and nobody signs up alone', () => {
    const routes = Object.values(site.findResources('AWS::ApiGatewayV2::Route')) as Array<{ Properties: { RouteKey: string; AuthorizationType?: string } }>;
    const app = routes.filter((r) => !r.Properties.RouteKey.startsWith('OPTIONS'));
    expect(app.map((r) => r.Properties.RouteKey).sort()).toEqual(['GET /review/api/{proxy+}', 'POST /review/api/{proxy+}']);
    expect(app.every((r) => r.Properties.AuthorizationType === 'JWT')).toBe(true);
    site.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
    site.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON', AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    site.hasResourceProperties('AWS::Cognito::UserPoolClient', { AllowedOAuthFlows: ['code'], GenerateSecret: false });
    const groups = Object.values(site.findResources('AWS::Cognito::UserPoolGroup'))
      .map((g) => (g as { Properties: { GroupName: string } }).Properties.GroupName)
      .sort();
    expect(groups).toEqual(['adline-admins', 'campaign-spring-launch']);
    site.hasResourceProperties('AWS::ApiGatewayV2::Stage', { AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }) });
  });

  it('the API function reads the tracker and assets and may start runs; feed links expire after 7 days', () => {
    site.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ FEED_URL_EXPIRY_SECONDS: '604800', STATE_MACHINE_ARN: Match.anyValue() }) },
    });
  });
});

describe('review API function: authenticated by the authorizer, authorized per campaign', () => {
  let root: string;
  let host: LocalHost;
  const event = (path: string, groups: string | string[] | undefined, sub: string | null = 'user-1') =>
    ({
      rawPath: path,
      headers: {},
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'GET' },
        authorizer: {
          jwt: { claims: { ...(sub ? { sub } : {}), email: 'dana@example.com', ...(groups === undefined ? {} : { 'cognito:groups': groups }) }, scopes: [] },
        },
      },
    }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-review-fn-'));
    host = await openLocalHost({ outDir: join(root, 'out'), stateDir: join(root, 'state'), inMemoryTracker: true });
    await host.deps.store.putBytes('campaigns/alpha.json', testCampaign('alpha', ['tiktok']), 'application/json');
    await host.deps.store.putBytes('campaigns/beta.json', testCampaign('beta', ['tiktok']), 'application/json');
  });
  afterAll(async () => {
    await host?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('reads groups in both shapes API Gateway passes them', () => {
    expect(groupsOf({ 'cognito:groups': '[campaign-alpha adline-admins]' })).toEqual(['campaign-alpha', 'adline-admins']);
    expect(groupsOf({ 'cognito:groups': ['campaign-alpha'] })).toEqual(['campaign-alpha']);
    expect(callerOf({ sub: 'x', 'cognito:groups': '[campaign-alpha]' }).mayAccess('beta')).toBe(false);
  });

  it("lists and opens only the campaigns of the caller's groups; others look absent; no claims, no answer", async () => {
    const handler = makeHandler({ store: host.deps.store, tracker: host.deps.tracker, starter: host, now: host.deps.now });
    const list = await handler(event('/review/api/campaigns', '[campaign-alpha]'));
    expect(JSON.parse(list.body as string)).toEqual([{ id: 'alpha', name: 'Test' }]);
    expect((await handler(event('/review/api/campaigns/alpha', '[campaign-alpha]'))).statusCode).toBe(200);
    expect((await handler(event('/review/api/campaigns/beta', '[campaign-alpha]'))).statusCode).toBe(404);
    expect((await handler(event('/review/api/campaigns/beta', ['adline-admins']))).statusCode).toBe(200);
    expect((await handler(event('/review/api/campaigns/alpha', undefined))).statusCode).toBe(404);
    expect((await handler(event('/review/api/campaigns/alpha', '[campaign-alpha]', null))).statusCode).toBe(401);
  });
});
