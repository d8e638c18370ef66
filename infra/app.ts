import { App } from 'aws-cdk-lib';
import { AdlineStack } from './adline-stack.ts';
import { renderProvidersFromContext } from './constructs/render-providers.ts';

// The CDK CLI runs this (`cdk.json` → "app"); context and feature flags come from cdk.json.
const app = new App();
new AdlineStack(app, 'Adline', {
  description: 'adline: product catalogs to channel-ready video ads (Step Functions, Lambda, S3, DynamoDB).',
  // Environment-agnostic unless the CLI resolved an account and region from the caller's credentials.
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  autoDeleteObjects: app.node.tryGetContext('adline:autoDeleteObjects') === true || app.node.tryGetContext('adline:autoDeleteObjects') === 'true',
  // Set once the Shopify partner event source is associated with a bus: cdk deploy -c adline:shopifyEventBusName=aws.partner/shopify.com/<app-id>/<name>
  shopifyEventBusName: app.node.tryGetContext('adline:shopifyEventBusName') as string | undefined,
  // The shops whose deliveries are accepted: cdk deploy -c adline:shopifyShops=my-shop.myshopify.com,other.myshopify.com
  shopifyShops: (app.node.tryGetContext('adline:shopifyShops') as string | undefined)
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean),
  // Generative providers, off by default: cdk deploy -c adline:renderProviders='{"fal":true,"bedrockModels":["amazon.nova-reel-v1:1"]}'
  renderProviders: renderProvidersFromContext(app.node.tryGetContext('adline:renderProviders')),
});
app.synth();
