import { Command } from 'commander';
import { COMMANDS } from './commands/index.ts';

/** The `adline` command line; each command lives in local/commands/. */
export function buildCli(): Command {
  const program = new Command('adline')
    .description('Turn a product catalog into channel-ready video ads, locally, with the same workflow that runs on AWS Step Functions.')
    .showHelpAfterError('(run "adline --help" for usage)')
    .addHelpText(
      'after',
      `
Examples:
  npx adline demo                                  the example catalog into out/ (open out/index.html)
  npx adline run examples/catalog.csv --channels tiktok
  npx adline status --json                         every ad in the tracker, as JSON`,
    );
  for (const register of COMMANDS) register(program);
  return program;
}

/** Runs the CLI; errors print one clear line (no stack) and exit non-zero. */
export async function main(argv = process.argv): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (error) {
    process.stderr.write(`adline: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
