/**
 * `npm run parity`: makes the test's TLS certificate for the photo host on loopback, then runs the
 * harness in a Node process that trusts it (NODE_EXTRA_CA_CERTS is read only at start-up).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from 'selfsigned';

const dir = await mkdtemp(join(tmpdir(), 'adline-parity-tls-'));
const pems = await generate([{ name: 'commonName', value: 'parity-photos.test' }], {
  keySize: 2048,
  algorithm: 'sha256',
  extensions: [
    { name: 'basicConstraints', cA: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
  ],
});
await writeFile(join(dir, 'cert.pem'), pems.cert);
await writeFile(join(dir, 'key.pem'), pems.private);
const harness = fileURLToPath(new URL('./harness.ts', import.meta.url));
const child = spawn(process.execPath, ['--import', 'tsx', harness], {
  stdio: 'inherit',
  env: {
    ...process.env,
    NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem'),
    PARITY_TLS_KEY: join(dir, 'key.pem'),
    PARITY_TLS_CERT: join(dir, 'cert.pem'),
    NODE_NO_WARNINGS: '1',
  },
});
const code = await new Promise<number>((resolve) => child.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
await rm(dir, { recursive: true, force: true });
process.exit(code);
