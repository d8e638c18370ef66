import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { FsAssetStore } from '#adapters/local/fs-asset-store';
import { makeS3Client, S3AssetStore } from '#adapters/aws/s3-asset-store';
import { TEMPLATES_PREFIX } from '#usecases/store-templates';
import { parseTemplateFile } from '#domain/planning/template-catalog';
import type { AssetStore } from '#ports/asset-store';
import { storeCampaignFile } from '../local-run.ts';
import { MIME } from '#domain/model/content-types';

interface PutOptions {
  bucket?: string;
  region?: string;
  out: string;
  template?: string[];
}

/** The store `campaign put` writes to: the deployed assets bucket (AssetsBucketName output), or the local out/ folder. */
function targetStore(opts: PutOptions): { store: AssetStore; where: string; close: () => void } {
  if (!opts.bucket) return { store: new FsAssetStore(opts.out), where: opts.out, close: () => {} };
  const client = makeS3Client({ region: opts.region ?? process.env.AWS_REGION });
  return {
    store: new S3AssetStore({ client, bucket: opts.bucket, cacheDir: join(tmpdir(), 'adline-cli-cache') }),
    where: `s3://${opts.bucket}`,
    close: () => client.destroy(),
  };
}

/** Validates and puts each template file as templates/<file>; returns the keys written. */
async function putTemplates(store: AssetStore, files: readonly string[]): Promise<string[]> {
  const keys: string[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    parseTemplateFile(basename(file), text); // refuses an invalid template before anything is written
    const key = `${TEMPLATES_PREFIX}/${basename(file)}`;
    await store.putBytes(key, text, MIME.json);
    keys.push(key);
  }
  return keys;
}

/** `adline campaign put`: validate a campaign (and templates) and put them where runs read them, in AWS or locally. */
export function registerCampaignCommand(program: Command): void {
  const campaign = program.command('campaign').description('manage campaigns and templates in the asset store');
  campaign
    .command('put')
    .description('validate a campaign file and put it (with the logo and music it names) as campaigns/<id>.json; templates as templates/<file>')
    .argument('[file]', 'campaign file')
    .option('--template <file...>', 'template file(s) to put as well (runs read templates from the store)')
    .option('--bucket <name>', "the deployed stack's assets bucket (its AssetsBucketName output); default: the local store")
    .option('--region <region>', 'AWS region of the bucket (default: AWS_REGION)')
    .option('--out <dir>', 'the local store, when no --bucket is given', 'out')
    .addHelpText(
      'after',
      `
Examples:
  npx adline campaign put examples/campaign.json --bucket adline-assets-abc123
  npx adline campaign put --template templates/price-drop.json --bucket adline-assets-abc123`,
    )
    .action(async (file: string | undefined, opts: PutOptions) => {
      if (!file && !opts.template?.length) throw new Error('Nothing to put: pass a campaign file, --template <file>, or both.');
      const target = targetStore(opts);
      try {
        for (const key of await putTemplates(target.store, opts.template ?? [])) process.stdout.write(`put ${target.where}/${key}\n`);
        if (file) {
          const { campaignKey, campaign: c } = await storeCampaignFile(target.store, file);
          process.stdout.write(
            `put ${target.where}/${campaignKey} (campaign ${c.id}: templates ${c.templates.join(', ')}; channels ${c.channels.join(', ')})\n`,
          );
          const known = new Set((await target.store.list(TEMPLATES_PREFIX)).map((key) => basename(key, '.json')));
          const missing = opts.bucket ? c.templates.filter((id) => !known.has(id)) : [];
          if (missing.length > 0) {
            process.stderr.write(
              `warning: ${target.where} has no template ${missing.join(', ')}: runs of ${c.id} will refuse to start until you put it with --template.\n`,
            );
            process.exitCode = 2;
          }
        }
      } finally {
        target.close();
      }
    });
}
