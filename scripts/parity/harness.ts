/**
 * The parity run (npm run parity → scripts/parity/run.ts → this file, with the test's TLS certificate
 * trusted through NODE_EXTRA_CA_CERTS): synthesize the app, then run what would deploy. See docs/parity.md.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { App } from 'aws-cdk-lib';
import { makeS3Client } from '#adapters/aws/s3-asset-store';
import { CONTENT_TYPES } from '#domain/model/content-types';
import { AdlineStack } from '#infra/adline-stack';
import { cdkJsonContext } from '#infra/cdk-context';
import { REPO_ROOT, TASK_TAG, TRIGGER_TAG } from '#infra/constructs/adline-function';
import { startRenderServer } from '#local/render-server';
import { LOOPBACK_IMAGES_VARIABLE } from '#functions/commons/aws-deps';
import { tinyChannel } from '../../test/support/tiny-channels.ts';
import { ACCOUNT, REGION, loadScopes, physicalId, resolve, resourcesOf, type TemplateJson } from './cfn.ts';
import { invoke, loadFunctions, type LoadedFunction } from './lambdas.ts';
import { startDynamo, startS3, startSecretsManager, type StandIn } from './stand-ins.ts';
import { startStepFunctions, type Asl, type ExecutionRecord } from './step-functions.ts';

const started = performance.now();
const log = (line: string) => process.stdout.write(`${line}\n`);
const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const closers: Array<() => Promise<unknown> | unknown> = [];

async function main(): Promise<number> {
  const work = await mkdtemp(join(tmpdir(), 'adline-parity-'));
  closers.push(() => rm(work, { recursive: true, force: true }));
  const tlsKey = readFileSync(process.env.PARITY_TLS_KEY!, 'utf8');
  const tlsCert = readFileSync(process.env.PARITY_TLS_CERT!, 'utf8');

  // Stand-ins a deployed stack's functions would call: a generative endpoint (adline's http protocol) and photo hosting over https.
  const renderer = await startRenderServer({ concurrency: 2 });
  closers.push(() => renderer.close());
  const photos = await startPhotoHost(tlsKey, tlsCert);
  closers.push(photos.close);

  // 1. Synthesize, with a campaign on small channels and the http renderer (polling 1 s for up to 200 s).
  const campaignFile = join(work, 'parity-campaign.json');
  const campaign = (cta: string) =>
    JSON.stringify(
      {
        schemaVersion: 1,
        id: 'parity',
        name: 'Parity',
        brand: { name: 'Parity Goods', colors: { primary: '#1f3b4d', secondary: '#5b8fa8', text: '#101418', accent: '#ffd166' } },
        templates: ['product-hero'],
        channels: ['tiny-tiktok', 'tiny-feed-4x5'],
        locale: 'en-US',
        cta,
        renderer: { kind: 'http', endpoint: renderer.url, pollSeconds: 1, timeoutSeconds: 200, maxAttempts: 1, concurrency: 3 },
        refresh: { cron: 'cron(0 6 * * ? *)', maxAgeDays: 14 },
      },
      null,
      2,
    );
  await writeFile(campaignFile, campaign('Shop now'));
  const channelsFile = join(work, 'parity-channels.json');
  await writeFile(channelsFile, JSON.stringify([tinyChannel('tiktok', 180, 320), tinyChannel('feed-4x5', 160, 200)]));
  const outdir = join(work, 'cdk.out');
  const app = new App({ outdir, context: { ...cdkJsonContext(), 'aws:cdk:enable-asset-metadata': true, '@aws-cdk/core:validateAgainstDefaultRules': false } });
  new AdlineStack(app, 'AdlineParity', { campaignFiles: [campaignFile], channelFiles: [channelsFile] });
  const assembly = app.synth();
  const scopes = loadScopes(outdir, assembly.getStackByName('AdlineParity').template as TemplateJson);
  log(`synthesized AdlineParity into cdk.out (${resourcesOf(scopes, 'AWS::Lambda::Function').length} functions) in ${seconds()}`);

  // 2. Stand-ins for every bucket, table and secret of the templates, under their local names.
  const buckets = resourcesOf(scopes, 'AWS::S3::Bucket').map(({ logicalId }) => physicalId(logicalId, 'AWS::S3::Bucket'));
  const s3 = await startS3(buckets);
  closers.push(s3.close);
  const dynamo = await startDynamo();
  closers.push(dynamo.close);
  const shopifySecret = randomBytes(24).toString('hex');
  const secrets = new Map(
    resourcesOf(scopes, 'AWS::SecretsManager::Secret').map(({ logicalId }) => [
      physicalId(logicalId, 'AWS::SecretsManager::Secret'),
      /Shopify/.test(logicalId) ? shopifySecret : 'unused-provider-key',
    ]),
  );
  const secretsManager = await startSecretsManager(secrets);
  closers.push(secretsManager.close);
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const s3Client = makeS3Client({ endpoint: s3.endpoint, region: REGION, credentials });
  closers.push(() => s3Client.destroy());
  await createTables(scopes, dynamo);

  // 3. What the custom resource would deploy: the BucketDeployment's source assets into their bucket.
  for (const { resource, scope } of resourcesOf(scopes, 'Custom::CDKBucketDeployment')) {
    const props = resolve(resource.Properties, scope) as { SourceObjectKeys: string[]; DestinationBucketName: string; DestinationBucketKeyPrefix?: string };
    for (const zip of props.SourceObjectKeys) {
      const folder = join(outdir, `asset.${zip.replace(/\.zip$/, '')}`);
      const files = await listFiles(folder);
      for (const file of files) {
        await s3Client.send(
          new PutObjectCommand({
            Bucket: props.DestinationBucketName,
            Key: `${props.DestinationBucketKeyPrefix ?? ''}${file}`,
            Body: await readFile(join(folder, file)),
            ContentType: file.endsWith('.json') ? CONTENT_TYPES.json : 'application/octet-stream',
          }),
        );
      }
      log(`deployed ${relative(outdir, folder)} (BucketDeployment source: ${files.length} files) → s3://${props.DestinationBucketName}/`);
    }
  }

  // 4. Step Functions stand-in over the synthesized definitions, then every function's bundle.
  const machines = new Map<string, Asl>(
    resourcesOf(scopes, 'AWS::StepFunctions::StateMachine').map(({ logicalId, resource, scope }) => [
      physicalId(logicalId, resource.Type),
      JSON.parse(resolve(resource.Properties!.DefinitionString, scope) as string) as Asl,
    ]),
  );
  let functions = new Map<string, LoadedFunction>();
  const byArn = () => new Map([...functions.values()].map((f) => [f.arn, f]));
  const sfn = await startStepFunctions({ machines, s3: s3Client, invoke: (arn, payload) => invoke(byArn().get(arn) ?? missing(arn), payload) });
  closers.push(sfn.close);
  const baseEnv: Record<string, string> = {
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
    AWS_ENDPOINT_URL_SFN: sfn.endpoint,
    // The test-only loopback allowance: the stack never sets it (test/infra/render-providers.test.ts).
    [LOOPBACK_IMAGES_VARIABLE]: '1',
    // One line per task is the functions' normal output; the parity report is what this run prints.
    POWERTOOLS_LOG_LEVEL: process.env.PARITY_LOG_LEVEL ?? 'WARN',
  };
  Object.assign(process.env, baseEnv);
  functions = await loadFunctions(scopes, outdir, join(work, 'lambda'), baseEnv, [TASK_TAG, TRIGGER_TAG]);
  log(`loaded ${functions.size} function bundles in ${seconds()}`);
  const fnByRole = (role: string) => [...functions.values()].find((f) => f.role === role) ?? missing(role);

  const phases: Array<{ name: string; executions: ExecutionRecord[] }> = [];
  const phase = async (name: string, drive: () => Promise<void>) => {
    const before = new Set(sfn.executions.keys());
    await drive();
    await sfn.settle();
    phases.push({ name, executions: [...sfn.executions.values()].filter((e) => !before.has(e.executionArn)) });
  };

  // 5a. A signed Shopify webhook to the Function URL handler; its photo is https on loopback.
  await phase('webhook', async () => {
    const body = shopifyProduct('9001', 'Trail Mug', `${photos.base}/mug-front.jpg`);
    const headers = {
      'content-type': 'application/json',
      'x-shopify-topic': 'products/create',
      'x-shopify-webhook-id': 'parity-1',
      'x-shopify-shop-domain': 'parity-shop.myshopify.com',
      'x-shopify-api-version': '2026-04',
      'x-shopify-triggered-at': new Date().toISOString(),
      'x-shopify-hmac-sha256': createHmac('sha256', shopifySecret).update(body).digest('base64'),
    };
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/',
      rawQueryString: '',
      headers,
      requestContext: { http: { method: 'POST', path: '/', sourceIp: '127.0.0.1' }, timeEpoch: Date.now() },
      body: Buffer.from(body).toString('base64'),
      isBase64Encoded: true,
    };
    const response = (await invoke(fnByRole('shopify-webhook'), event)) as { statusCode: number; body: string };
    if (response.statusCode !== 200) throw new Error(`webhook answered ${response.statusCode}: ${response.body}`);
  });

  // 5b. An upload: the object lands in the uploads bucket; the event the rule matches goes to its target, twice (at-least-once).
  await phase('upload', async () => {
    const rule =
      resourcesOf(scopes, 'AWS::Events::Rule').find(({ resource }) => resource.Properties?.EventPattern?.source?.[0] === 'aws.s3') ??
      missing('the uploads rule');
    const pattern = resolve(rule.resource.Properties!.EventPattern, rule.scope) as { 'detail-type': string[]; detail: { bucket: { name: string[] } } };
    const target = String(resolve(rule.resource.Properties!.Targets[0].Arn, rule.scope));
    const catalog = [
      {
        sku: 'LAMP-1',
        title: 'Desk Lamp',
        description: 'Warm light for late work.',
        price: { amount: 49, currency: 'USD' },
        images: [`${photos.base}/lamp.jpg`],
      },
      {
        sku: 'SNEAK-1',
        title: 'Trail Sneaker',
        description: 'Grip on wet rock.',
        price: { amount: 89, currency: 'USD' },
        images: [`${photos.base}/sneaker-side.jpg`],
      },
      { sku: 'MUG-2', title: 'Camp Mug', description: 'Enamel, 12 oz.', price: { amount: 19, currency: 'USD' }, images: [`${photos.base}/mug-side.jpg`] },
    ];
    const key = 'parity/spring.json';
    const put = await s3Client.send(
      new PutObjectCommand({ Bucket: pattern.detail.bucket.name[0], Key: key, Body: JSON.stringify(catalog), ContentType: CONTENT_TYPES.json }),
    );
    const event = {
      version: '0',
      id: 'parity-upload-1',
      'detail-type': pattern['detail-type'][0],
      source: 'aws.s3',
      account: ACCOUNT,
      time: new Date().toISOString(),
      region: REGION,
      resources: [`arn:aws:s3:::${pattern.detail.bucket.name[0]}`],
      detail: {
        version: '0',
        bucket: { name: pattern.detail.bucket.name[0] },
        object: { key, size: 0, etag: String(put.ETag ?? '').replace(/"/g, ''), sequencer: '0000000000000001' },
        'request-id': 'r1',
        requester: ACCOUNT,
        reason: 'PutObject',
      },
    };
    const fn = byArn().get(target) ?? missing(target);
    const first = (await invoke(fn, event)) as { runs: Array<{ started: boolean; executionId: string }> };
    await sfn.settle();
    const count = sfn.executions.size;
    // EventBridge delivers at least once: the same event again, later, must start nothing (same names; Step Functions dedupes).
    const again = (await invoke(fn, event)) as { runs: Array<{ started: boolean; executionId: string }> };
    if (
      !first.runs.every((r) => r.started) ||
      sfn.executions.size !== count ||
      JSON.stringify(again.runs.map((r) => r.executionId)) !== JSON.stringify(first.runs.map((r) => r.executionId))
    ) {
      throw new Error(`a re-delivered upload event started something again: ${JSON.stringify(again)}`);
    }
  });

  // 5c. The campaign edited with `adline campaign put` (new call to action: every ad is stale), then the scheduled refresh.
  await phase('refresh', async () => {
    const assets = String(
      resolve({ Ref: resourcesOf(scopes, 'AWS::S3::Bucket').find(({ logicalId }) => logicalId.startsWith('Assets'))!.logicalId }, scopes[0]),
    );
    await writeFile(campaignFile, campaign('Order today'));
    await promisify(execFile)(process.execPath, [join(REPO_ROOT, 'bin/adline.js'), 'campaign', 'put', campaignFile, '--bucket', assets], {
      env: { ...process.env },
    });
    const schedule = resourcesOf(scopes, 'AWS::Scheduler::Schedule').find(({ logicalId }) => /parity/i.test(logicalId)) ?? missing('the parity schedule');
    const target = resolve(schedule.resource.Properties!.Target, schedule.scope) as { Arn: string; Input: string };
    const input = target.Input.replace('<aws.scheduler.scheduled-time>', '2026-12-01T06:00:00Z');
    await invoke(byArn().get(target.Arn) ?? missing(target.Arn), JSON.parse(input));
  });

  // 6. Report.
  const ran = [...functions.values()].filter((f) => f.invocations > 0).sort((a, b) => a.role.localeCompare(b.role));
  for (const f of ran) log(`ran ${f.asset}  ${f.role.padEnd(16)} ${f.invocations} invocations`);
  const idle = [...functions.values()].filter((f) => f.invocations === 0).map((f) => f.role);
  if (idle.length > 0) log(`not invoked: ${idle.join(', ')}`);
  let published = 0;
  let failed = 0;
  const workflowArn = [...machines.keys()].find((arn) => /Workflow/.test(arn))!;
  for (const { name, executions } of phases) {
    const runs = executions.filter((e) => e.stateMachineArn === workflowArn);
    const bad = executions.filter((e) => e.status !== 'SUCCEEDED');
    let p = 0;
    let f = bad.length;
    for (const run of runs) {
      const summary = run.output as { products: number; failures: Array<{ sku: string }>; rejections: Array<{ sku?: string }> } | undefined;
      if (!summary) continue;
      const failedSkus = new Set([...summary.failures.map((x) => x.sku), ...summary.rejections.map((x) => x.sku ?? '?')]);
      p += Math.max(0, summary.products - new Set(summary.failures.map((x) => x.sku)).size);
      f += failedSkus.size;
    }
    const largest = executions.reduce((m, e) => (e.historyEvents > m.historyEvents ? e : m), executions[0]);
    log(
      `${name}: ${executions.length} executions (${runs.length} workflow runs), products published ${p}, failed ${f}; ` +
        `largest execution ${largest?.historyEvents ?? 0} history events, ${largest?.maxPayloadBytes ?? 0} bytes max state` +
        `${bad.length ? `; failed executions: ${bad.map((e) => `${e.name}: ${e.error}`).join('; ')}` : ''}`,
    );
    if (p === 0) f += 1; // each trigger must publish something
    published += p;
    failed += f;
  }
  log(`parity ${seconds()}: products published ${published}, failed ${failed}`);
  return failed === 0 ? 0 : 1;
}

async function createTables(scopes: ReturnType<typeof loadScopes>, dynamo: StandIn): Promise<void> {
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  for (const { logicalId, resource, scope } of resourcesOf(scopes, 'AWS::DynamoDB::Table')) {
    const p = resolve(resource.Properties, scope) as Record<string, any>;
    await client.send(
      new CreateTableCommand({
        TableName: p.TableName ?? logicalId,
        AttributeDefinitions: p.AttributeDefinitions,
        KeySchema: p.KeySchema,
        BillingMode: p.BillingMode ?? 'PAY_PER_REQUEST',
        GlobalSecondaryIndexes: p.GlobalSecondaryIndexes?.map((g: Record<string, unknown>) => ({
          IndexName: g.IndexName,
          KeySchema: g.KeySchema,
          Projection: g.Projection,
        })),
      }),
    );
  }
  client.destroy();
}

async function startPhotoHost(key: string, cert: string): Promise<{ base: string; close: () => Promise<void> }> {
  const dir = join(REPO_ROOT, 'examples', 'images');
  const files = new Map(await Promise.all((await readdir(dir)).map(async (name) => [`/${name}`, await readFile(join(dir, name))] as const)));
  const server = createServer({ key, cert }, (req, res) => {
    const body = files.get((req.url ?? '/') as `/${string}`);
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': CONTENT_TYPES.jpg }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function shopifyProduct(id: string, title: string, image: string): string {
  return (
    `{"id":${id},"admin_graphql_api_id":"gid://shopify/Product/${id}","title":${JSON.stringify(title)},` +
    `"body_html":"<p>Keeps coffee hot.</p>","vendor":"Parity","product_type":"Mugs",` +
    `"handle":"trail-mug","updated_at":"2026-11-30T10:00:00-05:00","status":"active","tags":"outdoor",` +
    `"variants":[{"id":${id}1,"sku":"SHOP-MUG-1","price":"24.00","compare_at_price":"30.00","inventory_quantity":5}],` +
    `"images":[{"id":${id}0,"src":${JSON.stringify(image)},"position":1}]}`
  );
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else out.push(rel);
  }
  return out.sort();
}

function missing(what: string): never {
  throw new Error(`The synthesized templates have no ${what}.`);
}

let code = 1;
try {
  code = await main();
} catch (error) {
  process.stderr.write(`parity failed: ${(error as Error).stack ?? error}\n`);
} finally {
  for (const close of closers.reverse())
    await Promise.resolve()
      .then(close)
      .catch(() => undefined);
}
process.exit(code);
