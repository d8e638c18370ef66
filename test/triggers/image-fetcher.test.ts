import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BlockedAddressError,
  GuardedImageFetcher,
  ImageTimeoutError,
  ImageTooLargeError,
  ImageTypeError,
  ImageUrlRefusedError,
  sniffImageType,
  type Resolver,
} from '#adapters/http/image-fetcher';
import { classifyAddress } from '#adapters/http/ip-policy';
import { productPhoto } from '../support/catalog-fixture.ts';

/** Test names resolve to chosen addresses; nothing is ever looked up or reached beyond 127.0.0.1. */
const HOSTS: Record<string, string[]> = {
  'metadata.test': ['169.254.169.254'],
  'private.test': ['10.1.2.3'],
  'loopback.test': ['127.0.0.1'],
  'mixed.test': ['93.184.216.34', '192.168.1.10'],
  'mapped.test': ['::ffff:127.0.0.1'],
  'v6-metadata.test': ['fd00:ec2::254'],
};
const resolve: Resolver = async (host) => (HOSTS[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

let server: Server;
let base: string;
let jpeg: Buffer;
const connections: string[] = [];
/** Counts every connection the fetcher opens, so the tests can prove refusals happen before any. */
const countingTransport = (url: URL, options: Parameters<typeof httpRequest>[1]) => {
  connections.push(url.toString());
  return httpRequest(url, options);
};
const fetcher = (opts: Partial<ConstructorParameters<typeof GuardedImageFetcher>[0]> = {}) =>
  new GuardedImageFetcher({ resolve, transport: countingTransport, timeoutMs: 2000, ...opts });

beforeAll(async () => {
  jpeg = await productPhoto('#3366aa', 64);
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/photo.jpg') return void res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
    if (path === '/svg-as-png')
      return void res.writeHead(200, { 'content-type': 'image/png' }).end('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>');
    if (path === '/to-metadata') return void res.writeHead(302, { location: 'http://metadata.test/latest/meta-data/' }).end();
    if (path === '/to-private') return void res.writeHead(301, { location: 'https://private.test/x.jpg' }).end();
    if (path === '/to-photo') return void res.writeHead(302, { location: '/photo.jpg' }).end();
    if (path === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
    if (path === '/huge-chunked') {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      const chunk = Buffer.alloc(64 * 1024, 0xff);
      let sent = 0;
      const pump = () => {
        while (sent < 4 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      return pump();
    }
    if (path === '/huge-declared') return void res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) }).end();
    if (path === '/slow') return; // never answers
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('address policy', () => {
  it.each([
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.0.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fd12::1', 'private'],
    ['fe80::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['8.8.8.8', 'public'],
    ['2606:4700::1111', 'public'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

describe('the SSRF-guarded image fetcher', () => {
  it.each([
    ['https://metadata.test/latest/meta-data/', '169.254.169.254', 'metadata'],
    ['https://169.254.169.254/latest/meta-data/', '169.254.169.254', 'metadata'],
    ['https://[fd00:ec2::254]/latest/', 'fd00:ec2::254', 'metadata'],
    ['https://v6-metadata.test/', 'fd00:ec2::254', 'metadata'],
    ['https://loopback.test/photo.jpg', '127.0.0.1', 'loopback'],
    ['https://[::1]/photo.jpg', '::1', 'loopback'],
    ['https://private.test/photo.jpg', '10.1.2.3', 'private'],
    ['https://mixed.test/photo.jpg', '192.168.1.10', 'private'],
    ['https://[::ffff:127.0.0.1]/photo.jpg', '::ffff:7f00:1', 'loopback'],
    ['https://mapped.test/photo.jpg', '::ffff:127.0.0.1', 'loopback'],
    ['https://0.0.0.0/photo.jpg', '0.0.0.0', 'unspecified'],
  ])('refuses %s after resolving it, before any connection', async (url, address, kind) => {
    const before = connections.length;
    const error = await fetcher()
      .fetch(url)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect(error).toMatchObject({ code: 'SSRF_BLOCKED', address, kind });
    expect(connections.length).toBe(before);
  });

  it('refuses http, other ports, credentials and file: URLs outside local mode', async () => {
    for (const url of [
      'http://example.test/a.jpg',
      'https://example.test:8443/a.jpg',
      'https://user:pw@example.test/a.jpg',
      'file:///etc/passwd',
      'ftp://example.test/a.jpg',
    ]) {
      await expect(fetcher().fetch(url), url).rejects.toBeInstanceOf(ImageUrlRefusedError);
    }
    expect(connections).toHaveLength(0);
  });

  it('in local mode still refuses private and metadata addresses, but fetches from 127.0.0.1', async () => {
    await expect(fetcher({ localMode: true }).fetch('http://metadata.test/x')).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(fetcher({ localMode: true }).fetch('http://private.test/x')).rejects.toBeInstanceOf(BlockedAddressError);
    const bytes = await fetcher({ localMode: true }).fetch(`${base}/photo.jpg`);
    expect(bytes.equals(jpeg)).toBe(true);
  });

  it('re-checks every redirect: to metadata and to a private host are refused, a same-host one is followed', async () => {
    await expect(fetcher({ localMode: true }).fetch(`${base}/to-metadata`)).rejects.toMatchObject({ code: 'SSRF_BLOCKED', address: '169.254.169.254' });
    await expect(fetcher({ localMode: true }).fetch(`${base}/to-private`)).rejects.toMatchObject({ code: 'SSRF_BLOCKED', address: '10.1.2.3' });
    expect((await fetcher({ localMode: true }).fetch(`${base}/to-photo`)).equals(jpeg)).toBe(true);
    await expect(fetcher({ localMode: true }).fetch(`${base}/loop`)).rejects.toThrow(/redirects more than 3 times/);
  });

  it('cuts off an oversized body, streamed or declared', async () => {
    const before = Date.now();
    await expect(fetcher({ localMode: true, maxBytes: 256 * 1024 }).fetch(`${base}/huge-chunked`)).rejects.toBeInstanceOf(ImageTooLargeError);
    await expect(fetcher({ localMode: true, maxBytes: 256 * 1024 }).fetch(`${base}/huge-declared`)).rejects.toBeInstanceOf(ImageTooLargeError);
    expect(Date.now() - before).toBeLessThan(2000);
  });

  it('gives up at the time cap', async () => {
    await expect(fetcher({ localMode: true, timeoutMs: 200 }).fetch(`${base}/slow`)).rejects.toBeInstanceOf(ImageTimeoutError);
  });

  it('sniffs the type from the bytes and refuses SVG whatever the Content-Type says', async () => {
    await expect(fetcher({ localMode: true }).fetch(`${base}/svg-as-png`)).rejects.toBeInstanceOf(ImageTypeError);
    expect(sniffImageType(jpeg)).toBe('jpeg');
    expect(sniffImageType(Buffer.from('  <svg xmlns="http://www.w3.org/2000/svg"></svg>'))).toBe('svg');
    expect(sniffImageType(Buffer.from('GIF89a...'))).toBe('gif');
    expect(sniffImageType(Buffer.from('hello'))).toBeUndefined();
  });
});
