import { lookup as dnsLookup } from 'node:dns/promises';
import { readFile, stat } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { fileURLToPath } from 'node:url';
import { classifyAddress, type AddressKind } from '#adapters/http/ip-policy';
import type { ImageFetcher } from '#ports/image-fetcher';

export class ImageFetchError extends Error {
  readonly code: string = 'IMAGE_FETCH';
  constructor(
    readonly url: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
export class ImageUrlRefusedError extends ImageFetchError {
  override readonly name = 'ImageUrlRefusedError';
  override readonly code = 'IMAGE_URL_REFUSED';
}
export class BlockedAddressError extends ImageFetchError {
  override readonly name = 'BlockedAddressError';
  override readonly code = 'SSRF_BLOCKED';
  constructor(
    url: string,
    readonly address: string,
    readonly kind: AddressKind,
  ) {
    super(
      url,
      `Image URL ${url} resolves to ${address}, a ${kind} address: ` +
        `adline only fetches images from public hosts. Use a public image URL (e.g. your store's CDN).`,
    );
  }
}
export class ImageTooLargeError extends ImageFetchError {
  override readonly name = 'ImageTooLargeError';
  override readonly code = 'IMAGE_TOO_LARGE';
}
export class ImageTimeoutError extends ImageFetchError {
  override readonly name = 'ImageTimeoutError';
  override readonly code = 'IMAGE_TIMEOUT';
}
export class ImageHttpError extends ImageFetchError {
  override readonly name = 'ImageHttpError';
  override readonly code = 'IMAGE_HTTP';
}
export class ImageTypeError extends ImageFetchError {
  override readonly name = 'ImageTypeError';
  override readonly code = 'IMAGE_TYPE';
}

export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;
type Transport = (url: URL, options: http.RequestOptions) => http.ClientRequest;

export interface ImageFetcherOptions {
  /** Local mode: allow http:, loopback addresses, any port and file: URLs (the CLI, the local server, tests). Never in AWS. */
  localMode?: boolean;
  /**
   * Test only (the parity harness): https to loopback addresses on any port, everything else as in AWS.
   * Lambda turns it on only when ADLINE_TEST_LOOPBACK_IMAGES=1, which the stack never sets (test/infra pins that).
   */
  allowLoopbackHttps?: boolean;
  /** Bytes kept at most; a larger body is cut off and refused. Default 15 MiB. */
  maxBytes?: number;
  /** Whole-fetch deadline (all redirects included). Default 10 s. */
  timeoutMs?: number;
  /** Redirect hops followed, each checked again. Default 3. */
  maxRedirects?: number;
  /** Name resolution; tests map names to private addresses without any connection. Default: the system resolver. */
  resolve?: Resolver;
  /** The HTTP client call; default node:http/https `request`. */
  transport?: Transport;
}

const defaultResolve: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });
const defaultTransport: Transport = (url, options) => (url.protocol === 'https:' ? https.request(url, options) : http.request(url, options));

/**
 * The SSRF-guarded image fetcher. Per hop: scheme and port allowed, no credentials in the URL, the name
 * resolved HERE and every address checked (private, loopback, link-local, metadata, IPv4-mapped...), then
 * the connection pinned to the checked address through the request's `lookup`, so a second DNS answer
 * (rebinding) can never be used. Redirects are followed by hand and re-checked; the body is counted and
 * cut off at the cap; one deadline covers everything; the type is sniffed from the bytes and SVG refused.
 */
export class GuardedImageFetcher implements ImageFetcher {
  private readonly opts: Required<Omit<ImageFetcherOptions, 'resolve' | 'transport'>> & { resolve: Resolver; transport: Transport };

  constructor(options: ImageFetcherOptions = {}) {
    this.opts = {
      localMode: options.localMode ?? false,
      allowLoopbackHttps: options.allowLoopbackHttps ?? false,
      maxBytes: options.maxBytes ?? 15 * 1024 * 1024,
      timeoutMs: options.timeoutMs ?? 10_000,
      maxRedirects: options.maxRedirects ?? 3,
      resolve: options.resolve ?? defaultResolve,
      transport: options.transport ?? defaultTransport,
    };
  }

  async fetch(rawUrl: string): Promise<Buffer> {
    const deadline = AbortSignal.timeout(this.opts.timeoutMs);
    let url = this.parse(rawUrl, rawUrl);
    if (url.protocol === 'file:') return sniff(rawUrl, await this.readLocalFile(url, rawUrl));
    for (let hop = 0; ; hop++) {
      const pinned = await this.vet(url, rawUrl);
      const response = await this.request(url, pinned, deadline, rawUrl);
      if (response.redirect === undefined) return sniff(rawUrl, response.body);
      if (hop >= this.opts.maxRedirects)
        throw new ImageHttpError(rawUrl, `Image URL ${rawUrl} redirects more than ${this.opts.maxRedirects} times: link the final image address.`);
      url = this.parse(new URL(response.redirect, url).toString(), rawUrl);
      if (url.protocol === 'file:') throw new ImageUrlRefusedError(rawUrl, `Image URL ${rawUrl} redirects to a file: URL, which is never followed.`);
    }
  }

  private parse(text: string, original: string): URL {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new ImageUrlRefusedError(original, `Image "${original}" is not a valid URL.`);
    }
    const allowed = this.opts.localMode ? ['https:', 'http:', 'file:'] : ['https:'];
    if (!allowed.includes(url.protocol)) {
      throw new ImageUrlRefusedError(
        original,
        `Image URL ${text} uses ${url.protocol}; only ${allowed.join(' ')} URLs are fetched` +
          `${this.opts.localMode ? '' : ' (http and local files only in local mode)'}.`,
      );
    }
    if (url.username || url.password) throw new ImageUrlRefusedError(original, `Image URL ${original} carries credentials; remove the user:password part.`);
    if (!this.opts.localMode && !this.opts.allowLoopbackHttps && url.port !== '' && url.port !== '443')
      throw new ImageUrlRefusedError(original, `Image URL ${text} uses port ${url.port}; only the default HTTPS port is allowed.`);
    return url;
  }

  /** Resolves the host and checks every address; returns the one the connection is pinned to. */
  private async vet(url: URL, original: string): Promise<{ address: string; family: number }> {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: Array<{ address: string; family: number }>;
    if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
    else {
      try {
        addresses = await this.opts.resolve(host);
      } catch (error) {
        throw new ImageFetchError(
          original,
          `Image host ${host} could not be resolved (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
          { cause: error },
        );
      }
    }
    if (addresses.length === 0) throw new ImageFetchError(original, `Image host ${host} has no addresses.`);
    for (const { address } of addresses) {
      const kind = classifyAddress(address);
      if (kind === 'public' || (kind === 'loopback' && (this.opts.localMode || this.opts.allowLoopbackHttps))) continue;
      throw new BlockedAddressError(original, address, kind);
    }
    return addresses[0];
  }

  private request(
    url: URL,
    pinned: { address: string; family: number },
    deadline: AbortSignal,
    original: string,
  ): Promise<{ body: Buffer; redirect?: string }> {
    const { maxBytes } = this.opts;
    // The connection goes to the vetted address whatever the resolver would say now (no rebinding).
    const lookup: LookupFunction = (_hostname, options, callback) => {
      if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [pinned]);
      else callback(null, pinned.address, pinned.family);
    };
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        req.destroy();
        reject(error);
      };
      const onAbort = () => fail(new ImageTimeoutError(original, `Image URL ${original} did not finish within ${this.opts.timeoutMs} ms.`));
      if (deadline.aborted) return onAbort();
      deadline.addEventListener('abort', onAbort, { once: true });
      const req = this.opts.transport(url, {
        method: 'GET',
        lookup,
        agent: false,
        headers: { accept: 'image/avif,image/webp,image/png,image/jpeg,image/*;q=0.8', 'user-agent': 'adline-image-fetcher' },
      });
      req.once('error', (error) => {
        deadline.removeEventListener('abort', onAbort);
        reject(error instanceof ImageFetchError ? error : new ImageFetchError(original, `Image URL ${original} failed: ${error.message}`, { cause: error }));
      });
      req.once('response', (res) => {
        const status = res.statusCode ?? 0;
        if ([301, 302, 303, 307, 308].includes(status) && res.headers.location) {
          res.resume();
          deadline.removeEventListener('abort', onAbort);
          req.destroy();
          return resolve({ body: Buffer.alloc(0), redirect: res.headers.location });
        }
        if (status < 200 || status > 299) return fail(new ImageHttpError(original, `Image URL ${original} answered HTTP ${status}.`));
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes)
          return fail(
            new ImageTooLargeError(original, `Image URL ${original} declares ${declared} bytes, above the ${maxBytes}-byte cap: use a smaller image.`),
          );
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes)
            fail(new ImageTooLargeError(original, `Image URL ${original} sent more than ${maxBytes} bytes; the download was cut off. Use a smaller image.`));
          else chunks.push(chunk);
        });
        res.once('error', (error) => fail(new ImageFetchError(original, `Image URL ${original} failed while reading: ${error.message}`, { cause: error })));
        res.once('end', () => {
          deadline.removeEventListener('abort', onAbort);
          if (size <= maxBytes) resolve({ body: Buffer.concat(chunks) });
        });
      });
      req.end();
    });
  }

  private async readLocalFile(url: URL, original: string): Promise<Buffer> {
    const path = fileURLToPath(url);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) throw new ImageFetchError(original, `Image file ${path} does not exist.`);
    if (info.size > this.opts.maxBytes)
      throw new ImageTooLargeError(original, `Image file ${path} has ${info.size} bytes, above the ${this.opts.maxBytes}-byte cap.`);
    return readFile(path);
  }
}

/** The image type from its first bytes (never from headers or names); SVG and anything unknown are refused. */
export function sniffImageType(bytes: Uint8Array): 'jpeg' | 'png' | 'gif' | 'webp' | 'avif' | 'svg' | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 512));
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (b.subarray(0, 4).toString('latin1') === 'GIF8') return 'gif';
  if (b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  if (b.subarray(4, 8).toString('latin1') === 'ftyp' && /^(avif|avis|heic|heix|mif1)$/.test(b.subarray(8, 12).toString('latin1'))) return 'avif';
  const head = b
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<') && head.includes('<svg'))) return 'svg';
  return undefined;
}

function sniff(url: string, body: Buffer): Buffer {
  const type = sniffImageType(body);
  if (type === 'svg') throw new ImageTypeError(url, `Image URL ${url} is an SVG; vector images are refused. Use a JPEG, PNG, WebP or AVIF photo.`);
  if (!type) throw new ImageTypeError(url, `Image URL ${url} is not a JPEG, PNG, GIF, WebP or AVIF image (checked by its bytes).`);
  return body;
}
