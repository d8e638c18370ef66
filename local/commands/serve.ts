import type { Command } from 'commander';
import { join } from 'node:path';
import { parseSecrets } from '#domain/shopify-hmac';
import { putCampaign } from '../campaign-file.ts';
import { openLocalHost } from '../local-host.ts';
import { startLocalServer } from '../server.ts';
import { campaignOption, withStorageOptions, type StorageOptions } from './common.ts';

interface ServeOptions extends StorageOptions {
  port: string;
  host: string;
  campaign: string;
  currency: string;
  localImages?: boolean;
}

/** `adline serve`: the local server (Shopify webhook, uploads, tracker JSON, gallery) until Ctrl-C. */
export function registerServeCommand(program: Command): void {
  withStorageOptions(program.command('serve'))
    .description('serve POST /webhooks/shopify, POST /uploads, GET /ads, GET /health, the gallery and the review app (/review) on 127.0.0.1')
    .option('--port <n>', 'port to listen on', '8787')
    .option('--host <address>', 'address to bind (keep 127.0.0.1 unless you know why)', '127.0.0.1')
    .addOption(campaignOption('--campaign <file>', 'the campaign webhooks and uploads render for'))
    .option('--currency <code>', "the shop's currency (Shopify product bodies carry amounts only)", 'USD')
    .option('--local-images', 'also fetch http:, loopback and file: image URLs (local testing only)')
    .addHelpText('after', `
The Shopify secret comes from ADLINE_SHOPIFY_SECRET (comma-separated during a rotation, or the old one in
ADLINE_SHOPIFY_SECRET_PREVIOUS). Example:
  ADLINE_SHOPIFY_SECRET=shpss_... npx adline serve --port 8787
  curl -H "X-Adline-Token: <token printed at start>" --data-binary @skus.csv 'http://127.0.0.1:8787/uploads?name=skus.csv'
Every state-changing call needs the session token printed at start (token=…); open the printed /review link to review ads.`)
    .action(async (opts: ServeOptions) => {
      const secrets = parseSecrets(process.env.ADLINE_SHOPIFY_SECRET, process.env.ADLINE_SHOPIFY_SECRET_PREVIOUS);
      if (secrets.length === 0) process.stderr.write('adline: ADLINE_SHOPIFY_SECRET is not set: every webhook will get 401.\n');
      const host = await openLocalHost({ outDir: opts.out, stateDir: opts.state, imageFetch: { localMode: opts.localImages ?? false } });
      const { campaignKey } = await putCampaign(host.deps.store, opts.campaign);
      const server = await startLocalServer({
        host, hostname: opts.host, port: Number(opts.port), defaultCampaignKey: campaignKey,
        shopify: { secrets, campaignKeys: [campaignKey], currency: opts.currency.toUpperCase() },
        log: (line) => process.stderr.write(`adline: ${line}\n`),
        onRunSettled: (id, error) => process.stderr.write(`adline: run ${id} ${error ? 'failed' : 'finished'}\n`),
      });
      process.stderr.write(`adline: serving on ${server.url} (gallery at ${server.url}/, review at ${server.url}/review?token=${server.token}); Ctrl-C stops\n`);
      // State-changing calls (uploads, approvals, edits) need it: X-Adline-Token header, or the cookie the review link sets.
      process.stderr.write(`adline: session token=${server.token}\n`);
      await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
      process.stderr.write('adline: stopping; waiting for running renders\n');
      await server.close();
      await server.idle();
      await host.close();
    });
}
