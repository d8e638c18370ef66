import type { Command } from 'commander';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSecrets } from '#triggers/shopify-hmac';
import { parseShopAllowList } from '#domain/catalog/shopify-product';
import { putCampaign } from '../campaign-file.ts';
import { openLocalHost } from '../local-host.ts';
import { startLocalServer } from '../server.ts';
import { newSessionToken } from '../session-token.ts';
import { campaignOption, registryFor, resolveChannelIds, withStorageOptions, type StorageOptions } from './common.ts';

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
    .addHelpText(
      'after',
      `
The Shopify secret comes from ADLINE_SHOPIFY_SECRET (comma-separated during a rotation, or the old one in
ADLINE_SHOPIFY_SECRET_PREVIOUS); ADLINE_SHOPIFY_SHOP names the shops accepted (comma-separated
*.myshopify.com domains; others get 403). Example:
  ADLINE_SHOPIFY_SECRET=shpss_... npx adline serve --port 8787
  curl -H "X-Adline-Token: <token printed at start>" --data-binary @skus.csv 'http://127.0.0.1:8787/uploads?name=skus.csv'
Every state-changing call needs the session token printed at start (token=…); open the printed /review link to review ads.`,
    )
    .action(async (opts: ServeOptions) => {
      const secrets = parseSecrets(process.env.ADLINE_SHOPIFY_SECRET, process.env.ADLINE_SHOPIFY_SECRET_PREVIOUS);
      if (secrets.length === 0) process.stderr.write('adline: ADLINE_SHOPIFY_SECRET is not set: every webhook will get 401.\n');
      const shops = parseShopAllowList(process.env.ADLINE_SHOPIFY_SHOP);
      if (!shops)
        process.stderr.write(
          'adline: ADLINE_SHOPIFY_SHOP is not set: deliveries signed for any shop are accepted (the shop header is not signed); ' +
            'set it to your-shop.myshopify.com.\n',
        );
      // The channels file's specs serve every run this server starts; the campaign's channels must be known.
      const { extraChannels, registry } = await registryFor(opts);
      await resolveChannelIds(undefined, registry, opts.campaign);
      const host = await openLocalHost({ outDir: opts.out, stateDir: opts.state, extraChannels, imageFetch: { localMode: opts.localImages ?? false } });
      const { campaignKey } = await putCampaign(host.deps.store, opts.campaign);
      // Also in <state>/serve-token (readable by this user only), so scripts on this machine can send it.
      const token = newSessionToken();
      const tokenFile = join(opts.state, 'serve-token');
      await writeFile(tokenFile, token, { mode: 0o600 });
      const server = await startLocalServer({
        host,
        token,
        hostname: opts.host,
        port: Number(opts.port),
        defaultCampaignKey: campaignKey,
        shopify: { secrets, campaignKeys: [campaignKey], currency: opts.currency.toUpperCase(), shops },
        log: (line) => process.stderr.write(`adline: ${line}\n`),
        onRunSettled: (id, error) => process.stderr.write(`adline: run ${id} ${error ? 'failed' : 'finished'}\n`),
      });
      process.stderr.write(
        `adline: serving on ${server.url} (gallery at ${server.url}/, review at ${server.url}/review?token=${server.token}); Ctrl-C stops\n`,
      );
      // State-changing calls (uploads, approvals, edits) need it: X-Adline-Token header, or the cookie the review link sets.
      process.stderr.write(`adline: session token=${server.token} (also in ${tokenFile})\n`);
      await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
      process.stderr.write('adline: stopping; waiting for running renders\n');
      await server.close();
      await server.idle();
      await host.close();
      await rm(tokenFile, { force: true });
    });
}
