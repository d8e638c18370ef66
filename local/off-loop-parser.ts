import { Worker } from 'node:worker_threads';
import { CatalogFormatError, type CatalogFormat, type RejectedRow } from '#domain/catalog/catalog-parser';
import type { ParsedUpload } from '#triggers/ingest-upload';
import { TextEncodingError } from '#domain/catalog/utf8';

const WORKER = new URL('./catalog-parse-worker.mjs', import.meta.url);

type Reply = { ok: true; items: string[]; rejected: RejectedRow[] } | { ok: false; name: string; message: string };

/**
 * Decodes and parses catalogs in worker threads, so a 19 MiB CSV (seconds of parsing) does not stall the
 * server's other requests. One worker per upload, ended afterwards so its heap goes back to the system;
 * the next one is started ahead (the loader and parser take about a second to load). The same parser and
 * errors as in-process: a CatalogFormatError or TextEncodingError is raised here as that class.
 */
export class OffLoopParser {
  private warm: Worker | undefined;
  private closed = false;

  /** Parses `bytes` (a catalog of `format`) in a worker; `label` names it in error messages. */
  parse = (bytes: Uint8Array, format: CatalogFormat, label: string): Promise<ParsedUpload> => {
    const worker = this.warm ?? this.spawn();
    this.warm = this.closed ? undefined : this.spawn();
    return new Promise<ParsedUpload>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (!settled) {
          settled = true;
          fn();
          void worker.terminate();
        }
      };
      worker.once('message', (reply: Reply) => settle(() => (reply.ok ? resolve({ items: reply.items, rejected: reply.rejected }) : reject(rebuild(reply)))));
      worker.once('error', (error) => settle(() => reject(error)));
      worker.once('exit', (code) => settle(() => reject(new Error(`Catalog parser worker exited with ${code}.`))));
      worker.postMessage({ bytes, format, label });
    });
  };

  /** Ends the worker kept warm. */
  async close(): Promise<void> {
    this.closed = true;
    await this.warm?.terminate();
    this.warm = undefined;
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER);
    worker.unref(); // a warm worker never keeps the process alive
    worker.on('error', () => {}); // reported to the job that uses it
    return worker;
  }
}

function rebuild(reply: Extract<Reply, { ok: false }>): Error {
  if (reply.name === 'CatalogFormatError') return new CatalogFormatError(reply.message);
  if (reply.name === 'TextEncodingError') return new TextEncodingError(reply.message);
  return new Error(reply.message);
}
