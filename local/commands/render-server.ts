import type { Command } from 'commander';
import { startRenderServer } from '../render-server.ts';

/** `adline render-server [--port N]`: the reference server of the http render protocol, rendering procedurally. */
export function registerRenderServerCommand(program: Command): void {
  program
    .command('render-server')
    .description("serve procedural renders over adline's http render protocol (docs/render-protocol.md) on 127.0.0.1")
    .option('--port <n>', 'port to listen on (0 picks a free one)', (v) => Number.parseInt(v, 10), 8787)
    .option('--concurrency <n>', 'jobs rendered at once', (v) => Number.parseInt(v, 10), 2)
    .action(async (opts: { port: number; concurrency: number }) => {
      const server = await startRenderServer({ port: opts.port, concurrency: opts.concurrency, token: process.env.ADLINE_RENDER_TOKEN || undefined });
      process.stdout.write(`adline render-server listening on ${server.url}\n  use it: npx adline run <catalog> --renderer ${server.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
    });
}
