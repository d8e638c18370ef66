import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, NestedStack, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { reviewPageHtml } from '../../local/review/review-page.ts';
import type { NagAcknowledgement } from '../nag.ts';
import { AdlineFunction } from './adline-function.ts';

export interface ReviewSiteProps {
  readonly table: dynamodb.ITable;
  readonly assets: s3.IBucket;
  readonly workflow: sfn.IStateMachine;
  /** Campaign ids that get a `campaign-<id>` reviewer group (members may review that campaign only). */
  readonly campaignIds: readonly string[];
  /** How long presigned feed links stay valid (S3 allows at most 7 days). Default: 7 days. */
  readonly feedUrlExpiry?: Duration;
  /** Prefix of the Cognito sign-in domain (<prefix>.auth.<region>.amazoncognito.com). Default: derived from the construct path. */
  readonly authDomainPrefix?: string;
  readonly autoDeleteObjects?: boolean;
  readonly logRetention?: logs.RetentionDays;
}

const ASSETS_DIR = fileURLToPath(new URL('../../local/review/assets/', import.meta.url));

/**
 * The review app in AWS: the same static page and script as `adline serve /review`, in a private S3
 * bucket behind CloudFront (origin access control); the review API on Lambda behind an HTTP API whose
 * every route needs a Cognito user-pool token (JWT authorizer); per-campaign authorization in the
 * function from the user's groups (`adline-admins`, `campaign-<id>`). Sign-in: Cognito managed login,
 * authorization code with PKCE, MFA required; users are created by an admin (no self sign-up).
 */
export class ReviewSite extends NestedStack {
  readonly distribution: cloudfront.Distribution;
  readonly userPool: cognito.UserPool;
  readonly api: apigw.HttpApi;
  readonly apiFunction: AdlineFunction;

  constructor(scope: Construct, id: string, props: ReviewSiteProps) {
    super(scope, id);
    const removal = props.autoDeleteObjects ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const logsBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      // CloudFront standard logs are delivered with ACLs: the log bucket alone keeps them enabled.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(90) }],
      autoDeleteObjects: props.autoDeleteObjects ?? false,
      removalPolicy: removal,
    });
    const site = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logsBucket,
      serverAccessLogsPrefix: 'site/',
      autoDeleteObjects: props.autoDeleteObjects ?? false,
      removalPolicy: removal,
    });

    // The page loads only its own files, presigned media from S3, the API and Cognito; nothing else, no inline script.
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          override: true,
          contentSecurityPolicy:
            `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https://*.amazonaws.com; ` +
            `media-src https://*.amazonaws.com; ` +
            `connect-src 'self' https://*.execute-api.${Stack.of(this).region}.amazonaws.com https://*.amazoncognito.com; ` +
            `frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'adline review app',
      defaultRootObject: 'review/index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(site),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
      },
      enableLogging: true,
      logBucket: logsBucket,
      logFilePrefix: 'cloudfront/',
    });
    const siteOrigin = `https://${this.distribution.distributionDomainName}`;

    this.userPool = new cognito.UserPool(this, 'Reviewers', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true },
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const domain = this.userPool.addDomain('Login', {
      cognitoDomain: { domainPrefix: props.authDomainPrefix ?? `adline-review-${this.node.addr.slice(0, 12)}` },
    });
    const client = this.userPool.addClient('ReviewApp', {
      generateSecret: false,
      preventUserExistenceErrors: true,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
        callbackUrls: [`${siteOrigin}/review/index.html`],
        logoutUrls: [`${siteOrigin}/review/index.html`],
      },
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
    });
    new cognito.CfnUserPoolGroup(this, 'AdminsGroup', {
      userPoolId: this.userPool.userPoolId,
      groupName: 'adline-admins',
      description: 'May review every campaign.',
    });
    for (const campaignId of props.campaignIds) {
      new cognito.CfnUserPoolGroup(this, `Campaign-${campaignId}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: `campaign-${campaignId}`,
        description: `May review campaign ${campaignId}.`,
      });
    }

    // The AWS SDK is left to the runtime's copy here (CDK's default), as it always was for this function.
    this.apiFunction = new AdlineFunction(this, 'review-api-fn', {
      entry: 'review-api',
      memorySize: 1024,
      timeout: Duration.seconds(29),
      bundleAwsSdk: false,
      logRetention: props.logRetention,
    })
      .bindTable(props.table, 'readWrite')
      .bindBucket(props.assets, 'readWrite')
      .bindStateMachine(props.workflow)
      .addEnvironment('FEED_URL_EXPIRY_SECONDS', String((props.feedUrlExpiry ?? Duration.days(7)).toSeconds()));

    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'adline review API (Cognito JWT on every route)',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [siteOrigin],
        allowMethods: [apigw.CorsHttpMethod.GET, apigw.CorsHttpMethod.POST],
        allowHeaders: ['authorization', 'content-type', 'x-adline-reviewer'],
        exposeHeaders: ['content-disposition'],
        maxAge: Duration.hours(1),
      },
      defaultAuthorizer: new HttpJwtAuthorizer('Cognito', `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`, {
        jwtAudience: [client.userPoolClientId],
      }),
    });
    const stage = new apigw.HttpStage(this, 'ApiStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
    });
    (stage.node.defaultChild as apigw.CfnStage).accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        user: '$context.authorizer.claims.sub',
        method: '$context.httpMethod',
        path: '$context.path',
        status: '$context.status',
        latency: '$context.responseLatency',
      }),
    };
    this.api.addRoutes({
      path: '/review/api/{proxy+}',
      methods: [apigw.HttpMethod.GET, apigw.HttpMethod.POST],
      integration: new HttpLambdaIntegration('ReviewApi', this.apiFunction),
    });

    // The static app: the same page, script and style as the local server, plus where to sign in and call.
    new s3deploy.BucketDeployment(this, 'DeploySite', {
      destinationBucket: site,
      sources: [
        s3deploy.Source.asset(ASSETS_DIR),
        s3deploy.Source.data('review/index.html', reviewPageHtml()),
        s3deploy.Source.jsonData('review/config.json', { apiBase: stage.url, authDomain: domain.baseUrl(), clientId: client.userPoolClientId }),
      ],
      destinationKeyPrefix: '',
      distribution: this.distribution,
      distributionPaths: ['/review/*'],
      logGroup: new logs.LogGroup(this, 'DeploySiteLogs', {
        retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });

    new CfnOutput(this, 'ReviewUrl', { value: `${siteOrigin}/review/index.html` });
  }
}

/** The cdk-nag findings the review site accepts, each with its reason (spread into NAG_ACKNOWLEDGEMENTS). */
export const REVIEW_SITE_NAG_ACKNOWLEDGEMENTS: readonly NagAcknowledgement[] = [
  {
    finding: /^AwsSolutions-S1$/,
    where: /\/ReviewSite\/AccessLogs\/Resource$/,
    reason:
      'This bucket is the access-log destination of the review site bucket and CloudFront; logging a log bucket into itself would loop, ' +
      'so its own reads are audited with CloudTrail data events.',
  },
  {
    finding: /^AwsSolutions-CFR1$/,
    where: /\/ReviewSite\/Distribution\/Resource$/,
    reason: 'Reviewers work from anywhere; every API call needs a Cognito token with MFA, so a geo restriction would only lock out travelling team members.',
  },
  {
    finding: /^AwsSolutions-CFR2$/,
    where: /\/ReviewSite\/Distribution\/Resource$/,
    reason:
      'The distribution serves three static files; the API behind Cognito has stage throttling. ' +
      "A WAF web ACL (priced per ACL and request) is the deployer's choice, attached by webAclId when wanted.",
  },
  {
    finding: /^AwsSolutions-CFR4$/,
    where: /\/ReviewSite\/Distribution\/Resource$/,
    reason:
      'The default *.cloudfront.net certificate cannot carry a minimum protocol (CDK ignores one without a custom certificate); ' +
      'attach a custom domain with an ACM certificate and TLSv1.2_2021 to lift this.',
  },
  {
    finding: /^AwsSolutions-COG3$/,
    where: /\/ReviewSite\/Reviewers\/Resource$/,
    reason:
      'Threat protection is on in full-function mode through the Plus feature plan (StandardThreatProtectionMode); ' +
      'cdk-nag still looks for the legacy AdvancedSecurityMode property.',
  },
  {
    finding: /^AwsSolutions-IAM4\[Policy::arn:<AWS::Partition>:iam::aws:policy\/service-role\/AWSLambdaBasicExecutionRole\]$/,
    where: /\/ReviewSite\/Custom::CDKBucketDeployment[0-9A-Fa-f]+\/ServiceRole\/Resource$/,
    reason: 'The BucketDeployment helper that copies the three static files only writes its own CloudWatch log streams with this managed policy.',
  },
  {
    finding: new RegExp(
      String.raw`^AwsSolutions-IAM5\[(Action::s3:(GetObject|GetBucket|List|DeleteObject|Abort)\*` +
        String.raw`|Resource::(arn:<AWS::Partition>:s3:::cdk-[a-z0-9]+-assets-<AWS::AccountId>-<AWS::Region>\/\*|<Site[A-Za-z0-9]+\.Arn>\/\*|\*))\]$`,
    ),
    where: /\/ReviewSite\/Custom::CDKBucketDeployment[0-9A-Fa-f]+\/ServiceRole\/DefaultPolicy\/Resource$/,
    reason:
      "The BucketDeployment helper reads the CDK asset bucket's staged zip and replaces the site bucket's objects, " +
      'then invalidates the distribution (CloudFront invalidation has no resource-level scoping).',
  },
  {
    finding: /^AwsSolutions-L1$/,
    where: /\/ReviewSite\/Custom::CDKBucketDeployment[0-9A-Fa-f]+\/Resource$/,
    reason: "The BucketDeployment helper's runtime is chosen and updated by aws-cdk-lib with each release; it runs only at deploy time.",
  },
];
