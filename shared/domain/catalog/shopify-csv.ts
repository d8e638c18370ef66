import { parse as parseCsv } from 'csv-parse/sync';
import { htmlToCopy } from './shopify-product.ts';

/** A row turned into a catalog candidate (validated with zod by the caller), or a row refused with its field and reason. */
export interface CsvCandidate {
  row: number;
  value: unknown;
  error?: string;
  field?: string;
}
export interface CsvRefusal {
  row: number;
  sku?: string;
  field?: string;
  reason: string;
}

/** True when a CSV header is Shopify's product export (Handle, Title, Variant ... / Image ... columns). */
export function isShopifyProductCsv(header: readonly string[]): boolean {
  const names = new Set(header.map((h) => h.trim()));
  return names.has('Handle') && names.has('Title') && (names.has('Variant Price') || names.has('Image Src'));
}

interface Group {
  row: number;
  handle: string;
  fields: Record<string, string>;
  variants: Array<{ price: number; compare?: number }>;
  images: Array<{ src: string; position: number }>;
  invalid?: CsvRefusal;
}

const DECIMAL = /^\d+(\.\d{1,4})?$/;

/**
 * Groups Shopify's product CSV export into one candidate per product. The first row of a handle carries
 * the product fields; later rows carry only the handle plus variant or image columns. A bad variant or
 * image row is refused on its own and the product goes on; draft and archived products are skipped.
 */
export function shopifyCsvCandidates(
  text: string,
  limits: { maxColumns: number; maxRows: number; maxRecordBytes: number },
  currency = 'USD',
): { candidates: CsvCandidate[]; refused: CsvRefusal[] } {
  // No record-size cap: the file is capped, and an over-long cell refuses its own row below (not the file).
  const records = parseCsv(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  const header = (records[0] ?? []).map((h) => h.trim());
  if (header.length > limits.maxColumns) throw new Error(`Catalog has ${header.length} columns; the limit is ${limits.maxColumns}.`);
  if (records.length - 1 > limits.maxRows) throw new Error(`Catalog has ${records.length - 1} rows; the limit is ${limits.maxRows}.`);
  const refused: CsvRefusal[] = [];
  const groups = new Map<string, Group>();
  records.slice(1).forEach((cells, i) => {
    const row = i + 2; // the header is row 1
    if (cells.length !== header.length) return void refused.push({ row, reason: `row has ${cells.length} cells but the header has ${header.length}` });
    const long = cells.findIndex((cell) => cell.length > limits.maxRecordBytes);
    if (long >= 0)
      return void refused.push({
        row,
        field: header[long],
        reason: `${header[long]}: ${cells[long].length} characters, more than the ${limits.maxRecordBytes} a cell may hold`,
      });
    const r = Object.fromEntries(header.map((name, c) => [name, (cells[c] ?? '').trim()]));
    const handle = r.Handle;
    if (!handle) return void refused.push({ row, field: 'Handle', reason: 'missing Handle (every row names its product)' });
    let group = groups.get(handle);
    if (!group) {
      group = { row, handle, fields: r, variants: [], images: [] };
      if (!r.Title)
        group.invalid = {
          row,
          sku: handle,
          field: 'Title',
          reason: `the first row of product "${handle}" has no Title (the first row carries the product fields)`,
        };
      groups.set(handle, group);
    } else if (r.Title) {
      return void refused.push({
        row,
        sku: handle,
        field: 'Title',
        reason: `product "${handle}" already started on row ${group.row}; only its first row may carry product fields`,
      });
    }
    const price = r['Variant Price'] ?? '';
    if (price) {
      if (!DECIMAL.test(price))
        refused.push({ row, sku: handle, field: 'Variant Price', reason: `expected a non-negative decimal like 24.00, got "${price}"` });
      else {
        const compareText = r['Variant Compare At Price'] ?? '';
        if (compareText && !DECIMAL.test(compareText))
          refused.push({
            row,
            sku: handle,
            field: 'Variant Compare At Price',
            reason: `expected a decimal, got "${compareText}"; the variant is kept without it`,
          });
        group.variants.push({ price: Number(price), compare: compareText && DECIMAL.test(compareText) ? Number(compareText) : undefined });
      }
    }
    for (const [column, position] of [
      ['Image Src', Number(r['Image Position']) || 1000 + row],
      ['Variant Image', 2000 + row],
    ] as const) {
      const src = r[column] ?? '';
      if (src) group.images.push({ src, position });
    }
  });

  const candidates: CsvCandidate[] = [];
  for (const group of groups.values()) {
    if (group.invalid) {
      refused.push(group.invalid);
      continue;
    }
    const f = group.fields;
    const status = (f.Status || 'active').toLowerCase();
    if (status !== 'active') {
      refused.push({ row: group.row, sku: group.handle, field: 'Status', reason: `skipped: product status is ${status} (only active products get ads)` });
      continue;
    }
    const cheapest = [...group.variants].filter((v) => v.price > 0).sort((a, b) => a.price - b.price)[0];
    if (!cheapest) {
      refused.push({ row: group.row, sku: group.handle, field: 'Variant Price', reason: 'no variant of this product has a price' });
      continue;
    }
    const images = [...new Map([...group.images].sort((a, b) => a.position - b.position).map((img) => [img.src, img.src])).values()].slice(0, 10);
    const { description, features } = htmlToCopy(f['Body (HTML)'] ?? '');
    candidates.push({
      row: group.row,
      value: {
        sku: group.handle,
        title: f.Title,
        description,
        features,
        brand: f.Vendor || undefined,
        price: { amount: cheapest.price, currency },
        compareAtPrice: cheapest.compare && cheapest.compare > cheapest.price ? { amount: cheapest.compare, currency } : undefined,
        images,
        tags: (f.Tags ?? '')
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
        category: f['Product Category'] || f.Type || undefined,
      },
    });
  }
  return { candidates, refused };
}
