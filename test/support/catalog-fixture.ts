import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

/** A product photo: a coloured object on a white studio background. */
export async function productPhoto(color: string, size = 400): Promise<Buffer> {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" fill="#fff"/>` +
    `<rect x="${size * 0.25}" y="${size * 0.2}" width="${size * 0.5}" height="${size * 0.6}" rx="${size * 0.05}" fill="${color}"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

export interface FixtureProduct {
  sku: string;
  title: string;
  price: number;
  compareAt?: number;
  images: string[];
}

/** Writes a catalog.json and a campaign.json into `dir` (images must already be there). */
export async function writeCatalog(dir: string, products: FixtureProduct[], channels: string[]): Promise<{ catalog: string; campaign: string }> {
  await mkdir(dir, { recursive: true });
  const catalog = join(dir, 'catalog.json');
  const campaign = join(dir, 'campaign.json');
  await writeFile(
    catalog,
    JSON.stringify(
      products.map((p) => ({
        sku: p.sku,
        title: p.title,
        brand: 'Test Brand',
        images: p.images,
        price: { amount: p.price, currency: 'USD' },
        ...(p.compareAt ? { compareAtPrice: { amount: p.compareAt, currency: 'USD' } } : {}),
      })),
    ),
  );
  await writeFile(
    campaign,
    JSON.stringify({
      schemaVersion: 1,
      id: 'test-campaign',
      name: 'Test',
      brand: { name: 'Test Brand', colors: { primary: '#203040', secondary: '#6080a0', text: '#101010', accent: '#ffcc33' } },
      templates: ['product-hero'],
      channels,
      locale: 'en-US',
      cta: 'Buy now',
    }),
  );
  return { catalog, campaign };
}
