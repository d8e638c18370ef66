// Worker thread: decodes and parses one uploaded catalog off the server's event loop (local/off-loop-parser.ts).
// Plain JavaScript so it starts the same under the CLI's tsx loader and under vitest; tsx is registered here.
// It loads the parser at once (the slow part of starting), then waits for its one job.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { parseCatalog } = await import('../shared/domain/catalog/catalog-parser.ts');
const { decodeUtf8 } = await import('../shared/domain/catalog/utf8.ts');
parentPort.once('message', ({ bytes, format, label }) => {
  try {
    const parsed = parseCatalog(decodeUtf8(bytes, label), format);
    // Items go back as JSON text: cloning 50,000 strings costs the server's event loop little, 50,000 objects seconds.
    parentPort.postMessage({ ok: true, items: parsed.items.map(({ item }) => JSON.stringify(item)), rejected: parsed.rejected });
  } catch (error) {
    parentPort.postMessage({ ok: false, name: error?.name ?? 'Error', message: error?.message ?? String(error) });
  }
});
