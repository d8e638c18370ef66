import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { shopifyHmac } from '#triggers/shopify-hmac';

/** An image server on 127.0.0.1 (the fetcher reaches it only in local mode); `files` maps paths to bytes. */
export async function startImageServer(files: Record<string, Buffer>): Promise<{ base: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const body = files[req.url ?? ''];
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** POSTs a Shopify-style delivery: raw body, HMAC header signed with `secret` (or a given header value). */
export async function postWebhook(
  url: string,
  opts: { body: string; topic: string; webhookId: string; secret?: string; hmac?: string; shop?: string },
): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'X-Shopify-Topic': opts.topic,
    'X-Shopify-Webhook-Id': opts.webhookId,
    'X-Shopify-Shop-Domain': opts.shop ?? 'demo-store.myshopify.com',
    'X-Shopify-API-Version': '2026-04',
    'X-Shopify-Triggered-At': new Date().toISOString(),
  };
  const hmac = opts.hmac ?? (opts.secret ? shopifyHmac(Buffer.from(opts.body), opts.secret) : undefined);
  if (hmac) headers['X-Shopify-Hmac-Sha256'] = hmac;
  const res = await fetch(`${url}/webhooks/shopify`, { method: 'POST', headers, body: opts.body });
  return { status: res.status, json: await res.json() };
}

/** A campaign file for the tests: tiny channels, the product-hero template. */
export function testCampaign(id: string, channels: string[], refresh?: { cron: string; maxAgeDays: number }): string {
  return JSON.stringify({
    schemaVersion: 1,
    id,
    name: 'Test',
    brand: { name: 'Test Brand', colors: { primary: '#203040', secondary: '#6080a0', text: '#101010', accent: '#ffcc33' } },
    templates: ['product-hero'],
    channels,
    locale: 'en-US',
    cta: 'Buy now',
    ...(refresh ? { refresh } : {}),
  });
}

/** A products/create body as Shopify sends it, with the id as a bare 64-bit number. */
export function productBody(
  overrides: { id?: string; title?: string; updatedAt?: string; inventory?: number; status?: string; images?: string[]; price?: string } = {},
): string {
  const id = overrides.id ?? '788032119674292922';
  const images = (overrides.images ?? ['https://cdn.shopify.com/a.jpg'])
    .map((src, i) => `{"id":${id}${i},"src":${JSON.stringify(src)},"position":${i + 1}}`)
    .join(',');
  return (
    `{"id":${id},"admin_graphql_api_id":"gid://shopify/Product/${id}","title":${JSON.stringify(overrides.title ?? 'Trail Mug')},` +
    `"body_html":"<p>Keeps coffee hot.</p><ul><li>12 oz</li><li>Dishwasher safe</li></ul>","vendor":"Northwind","product_type":"Mugs",` +
    `"handle":"trail-mug","updated_at":"${overrides.updatedAt ?? '2026-03-01T10:00:00-05:00'}",` +
    `"status":"${overrides.status ?? 'active'}","tags":"outdoor, coffee",` +
    `"variants":[{"id":${id}1,"sku":"MUG-1","price":"${overrides.price ?? '24.00'}",` +
    `"compare_at_price":"30.00","inventory_quantity":${overrides.inventory ?? 5}},` +
    `{"id":${id}2,"sku":"MUG-2","price":"26.00","compare_at_price":null,"inventory_quantity":3}],"images":[${images}]}`
  );
}

/** A GET with the path sent byte for byte (no URL normalization); resolves with the status. */
export function rawGet(base: string, path: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    get({ hostname, port, path }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).once('error', reject);
  });
}
