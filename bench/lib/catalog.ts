import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

const COLORS = ['#c0392b', '#2471a3', '#1e8449', '#b9770e', '#7d3c98', '#117a65', '#a04000', '#2e4053'];
const NOUNS = ['Mug', 'Sneaker', 'Lamp', 'Backpack', 'Bottle', 'Headphones', 'Watch', 'Jacket'];
const ADJECTIVES = ['Harbor', 'Trail', 'Nordic', 'Urban', 'Summit', 'Coastal', 'Studio', 'Daily'];

/** A product photo: a shaded object with a shadow on a light studio background (JPEG, `size` px square). */
export async function benchPhoto(color: string, variant: number, size = 1200): Promise<Buffer> {
  const s = size;
  const shape =
    variant % 2 === 0
      ? `<rect x="${s * 0.3}" y="${s * 0.18}" width="${s * 0.4}" height="${s * 0.6}" rx="${s * 0.06}" fill="url(#g)"/>`
      : `<ellipse cx="${s * 0.5}" cy="${s * 0.48}" rx="${s * 0.27}" ry="${s * 0.3}" fill="url(#g)"/>`;
  const gradient =
    '<linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#ffffff" stop-opacity="0.55"/>' +
    `<stop offset="0.4" stop-color="${color}"/><stop offset="1" stop-color="#000000" stop-opacity="0.8"/></linearGradient>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${s}" height="${s}">
    <defs>${gradient}
    <radialGradient id="bg"><stop offset="0" stop-color="#ffffff"/><stop offset="1" stop-color="#e6e6e6"/></radialGradient></defs>
    <rect width="100%" height="100%" fill="url(#bg)"/>
    <ellipse cx="${s * 0.5}" cy="${s * 0.86}" rx="${s * 0.3}" ry="${s * 0.04}" fill="#000" fill-opacity="0.18"/>
    ${shape}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 88 }).toBuffer();
}

export interface GeneratedCatalog {
  catalogPath: string;
  campaignPath: string;
  campaignId: string;
  skus: string[];
}

/** A distinct colour for product n: hues a golden angle apart, so no two products of a catalog share a photo. */
function productColor(n: number): string {
  if (n < COLORS.length) return COLORS[n]!;
  const hue = (n * 137.508) % 360;
  const f = (k: number) => {
    const a = 0.55 * Math.min(0.4, 1 - 0.4);
    const x = (k + hue / 30) % 12;
    return Math.round(255 * (0.4 - a * Math.max(-1, Math.min(x - 3, 9 - x, 1))))
      .toString(16)
      .padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

/**
 * Writes a catalog of `products` products (two generated photos each, every other one discounted) and a
 * campaign over `channels` into `dir`. Every product has photos of its own colour, so it needs renders of
 * its own: with shared photos, products would share procedural plates and a bigger catalog would look
 * cheaper per ad than it is. Photos are 800 px, enough for the bench sizes and quick to write.
 */
export async function writeBenchCatalog(dir: string, products: number, channels: readonly string[]): Promise<GeneratedCatalog> {
  await mkdir(join(dir, 'images'), { recursive: true });
  for (let n = 0; n < products; n++) {
    await writeFile(join(dir, 'images', `p${n}-a.jpg`), await benchPhoto(productColor(n), 0, 800));
    await writeFile(join(dir, 'images', `p${n}-b.jpg`), await benchPhoto(productColor(n), 1, 800));
  }
  const skus: string[] = [];
  const items = Array.from({ length: products }, (_, n) => {
    const i = n % COLORS.length;
    const sku = `BENCH-${String(n + 1).padStart(5, '0')}`;
    skus.push(sku);
    const price = 19 + ((n * 7) % 80);
    return {
      sku,
      title: `${ADJECTIVES[(n >> 3) % ADJECTIVES.length]} ${NOUNS[i]} ${n + 1}`,
      description: `Benchmark product ${n + 1}.`,
      features: ['Generated for npm run bench', `Colour ${productColor(n)}`],
      brand: 'Bench Goods',
      price: { amount: price, currency: 'USD' },
      ...(n % 2 === 0 ? { compareAtPrice: { amount: price + 10, currency: 'USD' } } : {}),
      images: [`images/p${n}-a.jpg`, `images/p${n}-b.jpg`],
      tags: ['bench'],
      category: NOUNS[i],
    };
  });
  const catalogPath = join(dir, 'catalog.json');
  const campaignPath = join(dir, 'campaign.json');
  const campaignId = 'bench-campaign';
  await writeFile(catalogPath, JSON.stringify(items, null, 1));
  await writeFile(
    campaignPath,
    JSON.stringify(
      {
        schemaVersion: 1,
        id: campaignId,
        name: 'Benchmark campaign',
        brand: { name: 'Bench Goods', colors: { primary: '#1f3b4d', secondary: '#5b8fa8', text: '#101418', accent: '#ffd166' } },
        templates: ['product-hero'],
        channels,
        locale: 'en-US',
        cta: 'Shop now',
        renderer: { kind: 'procedural', maxAttempts: 3, concurrency: 2 },
      },
      null,
      1,
    ),
  );
  return { catalogPath, campaignPath, campaignId, skus };
}
