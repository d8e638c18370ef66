import { createServer, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { runProcess, startBackground, type Background, type Finished } from './cli-process.ts';

/** One command of a README shell block, as written (its trailing comment removed). */
export interface ReadmeCommand {
  /** The command text, e.g. `npx adline run examples/catalog.csv --channels tiktok`. */
  text: string;
  /** 1-based line in the README. */
  line: number;
  /** Ends with `&`: a server, started in the background and stopped when its block ends. */
  background: boolean;
}

export interface ReadmeBlock {
  /** 1-based line of the opening fence. */
  line: number;
  commands: ReadmeCommand[];
}

/**
 * Every command in the ```sh blocks of a README: one per line, a trailing `# comment` removed, `a && b`
 * split into two commands (run in order, the second only if the first succeeds). Other fences are skipped.
 */
export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = [];
  let current: ReadmeBlock | undefined;
  let fenced = false;
  markdown.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const fence = /^\s*```(\S*)\s*$/.exec(raw);
    if (fence) {
      if (!fenced) {
        fenced = true;
        if (fence[1] === 'sh' || fence[1] === 'bash' || fence[1] === 'shell') current = { line, commands: [] };
      } else {
        fenced = false;
        if (current) blocks.push(current);
        current = undefined;
      }
      return;
    }
    if (!current) return;
    let text = stripComment(raw).trim();
    if (!text) return;
    const background = /(?<!&)&$/.test(text);
    if (background) text = text.slice(0, -1).trim();
    const parts = text.split(/\s+&&\s+/);
    parts.forEach((part, i) => current!.commands.push({ text: part, line, background: background && i === parts.length - 1 }));
  });
  return blocks;
}

/** Removes a `#` comment that starts after whitespace outside quotes (`'…#…'` and `"…#…"` stay). */
export function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}

/** A command that cannot run here as written: why, and the cheaper command that still exercises it. */
export interface Stand {
  reason: string;
  instead: string;
  /** Where `instead` runs: the sandbox (default) or the repository itself. */
  cwd?: 'sandbox' | 'repo';
}

export interface CommandOutcome {
  command: ReadmeCommand;
  /** What actually ran (after the port was swapped, or the stand-in). */
  ran: string;
  result: Finished;
  ok: boolean;
  problem?: string;
}

export interface BlockOptions {
  sandbox: string;
  repo: string;
  env: NodeJS.ProcessEnv;
  /** Commands that cannot run here, by their text as written. */
  standIns: Readonly<Record<string, Stand>>;
  /** Extra checks on a command's output, by its text as written; return a problem or undefined. */
  checks?: Readonly<Record<string, (result: Finished, sandbox: string) => string | undefined | Promise<string | undefined>>>;
  timeoutMs?: number;
}

/**
 * Runs one README block as a user would in a terminal, in the sandbox: background commands (servers) are
 * started and waited for (their `--port` must accept connections), the others run in order with `sh -c`
 * and must exit 0 (and pass their check); at the end of the block the servers are stopped and must exit 0.
 * Each port a block names with `--port N` is swapped for a free one everywhere in the block (tests never
 * take a fixed port). Stops at the first failure; returns what ran.
 */
export async function runBlock(block: ReadmeBlock, opts: BlockOptions): Promise<CommandOutcome[]> {
  const ports = new Map<string, string>();
  for (const c of block.commands) for (const [, port] of c.text.matchAll(/--port[ =](\d+)/g)) if (!ports.has(port)) ports.set(port, String(await freePort()));
  const swap = (text: string) => [...ports].reduce((t, [from, to]) => t.replace(new RegExp(`\\b${from}\\b`, 'g'), to), text);

  const outcomes: CommandOutcome[] = [];
  const servers: Array<{ command: ReadmeCommand; ran: string; process: Background }> = [];
  try {
    for (const command of block.commands) {
      const stand = opts.standIns[command.text];
      const ran = stand ? stand.instead : swap(command.text);
      const cwd = stand?.cwd === 'repo' ? opts.repo : opts.sandbox;
      for (const s of servers) {
        if (s.process.child.exitCode !== null) {
          outcomes.push({
            command: s.command,
            ran: s.ran,
            result: { code: s.process.child.exitCode, stdout: s.process.output(), stderr: '', seconds: 0 },
            ok: false,
            problem: `the server exited with ${s.process.child.exitCode} while its block ran`,
          });
          return outcomes;
        }
      }
      if (command.background) {
        // Stopping is `kill %1`: SIGTERM to the whole job (npx passes no signal on). The shell sends it to its
        // group, ignoring it itself, and exits with the command's status (npx's: 143, a killed child).
        const script = `trap 'trap "" TERM; kill -TERM 0; wait "$c"; exit $?' TERM; ${ran} & c=$!; wait "$c"`;
        const server = startBackground('sh', ['-c', script], { cwd, env: opts.env, leaderOnly: true });
        servers.push({ command, ran, process: server });
        const port = /--port[ =](\d+)/.exec(ran)?.[1];
        const problem = port ? await waitForPort(Number(port), server, opts.timeoutMs ?? 60_000) : undefined;
        if (problem) {
          outcomes.push({ command, ran, result: { code: null, stdout: server.output(), stderr: '', seconds: 0 }, ok: false, problem });
          return outcomes;
        }
        continue;
      }
      const result = await runProcess('sh', ['-c', ran], { cwd, env: opts.env, timeoutMs: opts.timeoutMs ?? 180_000 });
      let problem = result.code === 0 ? undefined : `exited with ${result.code}`;
      problem ??= await opts.checks?.[command.text]?.(result, opts.sandbox);
      outcomes.push({ command, ran, result, ok: !problem, problem });
      if (problem) return outcomes;
    }
  } finally {
    for (const server of servers.reverse()) {
      const started = performance.now();
      const code = await server.process.stop();
      const result = { code, stdout: server.process.output(), stderr: '', seconds: (performance.now() - started) / 1000 };
      // 143 is 128 + SIGTERM: what npx reports for the server it passed the signal on to (as after `kill %1`).
      const problem = code === 0 || code === 143 ? undefined : `the server exited with ${code} when stopped`;
      outcomes.push({ command: server.command, ran: server.ran, result, ok: !problem, problem });
    }
  }
  return outcomes;
}

/** A port the OS says is free right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Waits until 127.0.0.1:port accepts a connection; a problem if the server exits or the time runs out first. */
async function waitForPort(port: number, server: Background, timeoutMs: number): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null || server.child.signalCode !== null)
      return `exited with ${server.child.exitCode ?? server.child.signalCode} before listening on ${port}`;
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return `did not listen on ${port} within ${timeoutMs / 1000} s`;
}

/** One line per command for a failure message: where it is in the README, what ran, and the tail of its output. */
export function describeOutcomes(outcomes: CommandOutcome[]): string {
  return outcomes
    .map((o) => {
      const head =
        `README.md:${o.command.line} ${o.ok ? 'ok' : 'FAILED'} (${o.result.seconds.toFixed(1)} s) ` +
        `${o.command.text}${o.ran !== o.command.text ? `  [ran: ${o.ran}]` : ''}`;
      return o.ok
        ? head
        : `${head}\n  ${o.problem}\n${`${o.result.stdout}\n${o.result.stderr}`
            .trim()
            .split('\n')
            .slice(-15)
            .map((l) => `  | ${l}`)
            .join('\n')}`;
    })
    .join('\n');
}
