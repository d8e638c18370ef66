import type { Command } from 'commander';
import { printAds, withHost, withStorageOptions, type StorageOptions } from './common.ts';

/** `adline status`: every ad the tracker knows. */
export function registerStatusCommand(program: Command): void {
  withStorageOptions(program.command('status'))
    .description('list every ad the tracker knows, with its status and files')
    .option('--json', 'print the tracker rows as JSON')
    .action(async (opts: StorageOptions & { json?: boolean }) => {
      await withHost(opts, async (host) => {
        const ads = await host.deps.tracker.listAds();
        if (opts.json) process.stdout.write(`${JSON.stringify(ads, null, 2)}\n`);
        else printAds(ads, opts.out);
      });
    });
}
