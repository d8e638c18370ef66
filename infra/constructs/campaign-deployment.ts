import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { campaignFileKey } from '#domain/model/asset-keys';
import { Campaign } from '#domain/model/campaign';
import { ChannelSpec } from '#domain/model/channel-spec';
import { parseTemplateFile } from '#domain/planning/template-catalog';

export interface CampaignDeploymentProps {
  readonly bucket: s3.IBucket;
  /** Campaign files deployed as campaigns/<id>.json, with the brand logo and music files they name beside them. */
  readonly campaignFiles: readonly string[];
  /** Folder of template files deployed as templates/<file>. */
  readonly templatesDir: string;
  /** Extra channel spec files (a spec or an array of specs each) deployed as channels/<file>. */
  readonly channelFiles?: readonly string[];
}

/**
 * Puts the campaigns and templates into the assets bucket with the stack (a BucketDeployment: CDK's
 * own custom resource, staged locally, no Docker), so uploads and scheduled refreshes find their
 * campaign after a plain `cdk deploy` and the functions read templates from the bucket at run time.
 * Nothing else is pruned: campaigns put later with `adline campaign put` stay, unless they have the
 * id of one deployed here, which the next deploy writes again.
 */
export class CampaignDeployment extends Construct {
  readonly deployment: s3deploy.BucketDeployment;
  /** Keys this deployment writes, sorted (campaigns/…, templates/…, brand files). */
  readonly keys: readonly string[];

  constructor(scope: Construct, id: string, props: CampaignDeploymentProps) {
    super(scope, id);
    const staging = mkdtempSync(join(tmpdir(), 'adline-deploy-'));
    const keys: string[] = [];
    const put = (key: string, from: string) => {
      mkdirSync(dirname(join(staging, key)), { recursive: true });
      cpSync(from, join(staging, key));
      keys.push(key);
    };
    for (const file of readdirSync(props.templatesDir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const path = join(props.templatesDir, file);
      parseTemplateFile(file, readFileSync(path, 'utf8')); // a bad template fails the synth, not the first run
      put(`templates/${file}`, path);
    }
    for (const file of props.channelFiles ?? []) {
      const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
      for (const spec of Array.isArray(json) ? json : [json]) ChannelSpec.parse(spec);
      put(`channels/${basename(file)}`, file);
    }
    for (const file of props.campaignFiles) {
      const campaign = Campaign.parse(JSON.parse(readFileSync(file, 'utf8')));
      put(campaignFileKey(campaign.id), file);
      for (const key of [campaign.brand.logo, campaign.music]) {
        if (key === undefined) continue;
        const path = resolve(dirname(file), key);
        if (isAbsolute(key) || relative(dirname(file), path).startsWith('..') || !statSync(path, { throwIfNoEntry: false })?.isFile()) {
          throw new Error(`Campaign ${file} names "${key}", which is not a file beside it: fix the path or remove it.`);
        }
        put(key, path);
      }
    }
    this.keys = [...new Set(keys)].sort();
    this.deployment = new s3deploy.BucketDeployment(this, 'Deploy', {
      destinationBucket: props.bucket,
      sources: [s3deploy.Source.asset(staging)],
      prune: false,
      retainOnDelete: true,
      memoryLimit: 256,
    });
  }
}
