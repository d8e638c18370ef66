import { parse as parseCsv } from 'csv-parse/sync';
import { CatalogItem } from '#domain/model/product';
import { isShopifyProductCsv, shopifyCsvCandidates } from './shopify-csv.ts';
import { describeIssues } from '#domain/model/json-document';

export type CatalogFormat = 'json' | 'jsonl' | 'csv';

export interface RejectedRow {
  row: number;
  sku?: string;
  /** The column or field at fault, when one is. */
  field?: string;
  reason: string;
}

export interface ParsedCatalog {
  items: Array<{ row: number; item: CatalogItem }>;
  rejected: RejectedRow[];
}

export const CATALOG_LIMITS = { maxBytes: 20 * 1024 * 1024, maxRows: 100_000, maxColumns: 200 } as const;

export class CatalogFormatError extends Error {
  override readonly name = 'CatalogFormatError';
  readonly code = 'CATALOG_FORMAT';
}

/** Picks the format from a file name: .json, .jsonl/.ndjson or .csv. */
export function catalogFormatOf(fileName: string): CatalogFormat {
  const ext = fileName.toLowerCase().replace(/^.*\./, '');
  if (ext === 'json') return 'json';
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  if (ext === 'csv') return 'csv';
  throw new CatalogFormatError(`Catalog "${fileName}" has an unknown extension: use .json, .jsonl or .csv.`);
}

/** Parses a catalog file strictly; every row either becomes a CatalogItem or a rejected row with its reason. */
export function parseCatalog(text: string, format: CatalogFormat): ParsedCatalog {
  if (Buffer.byteLength(text) > CATALOG_LIMITS.maxBytes) {
    throw new CatalogFormatError(`Catalog is larger than ${CATALOG_LIMITS.maxBytes} bytes: split it into several uploads.`);
  }
  const shopify = format === 'csv' ? shopifyCsv(text) : undefined;
  const rows = shopify?.candidates ?? (format === 'csv' ? csvRows(text) : format === 'jsonl' ? jsonlRows(text) : jsonRows(text));
  if (rows.length > CATALOG_LIMITS.maxRows) throw new CatalogFormatError(`Catalog has ${rows.length} rows; the limit is ${CATALOG_LIMITS.maxRows}.`);
  if (rows.length === 0 && !shopify?.refused.length) {
    throw new CatalogFormatError(
      `Catalog holds no products (${format === 'csv' ? 'no rows below the header' : 'an empty list'}): ` +
        `add at least one product, see examples/catalog.${format === 'jsonl' ? 'json' : format}.`,
    );
  }
  const result: ParsedCatalog = {
    items: [],
    rejected: (shopify?.refused ?? []).map((r) => ({ ...r, sku: r.sku === undefined ? undefined : clip(r.sku, 128), reason: clip(r.reason, 500) })),
  };
  const seen = new Set<string>();
  for (const { row, value, error } of rows) {
    // A rejected row is reported with a short sku and reason: a 60,000-character cell must not travel into every record.
    const sku = typeof (value as { sku?: unknown })?.sku === 'string' ? clip((value as { sku: string }).sku, 128) : undefined;
    if (error) {
      result.rejected.push({ row, sku, reason: clip(error, 500) });
      continue;
    }
    const parsed = CatalogItem.safeParse(value);
    if (!parsed.success)
      result.rejected.push({
        row,
        sku,
        field: clip(parsed.error.issues[0]?.path.join('.') ?? '', 100) || undefined,
        reason: clip(describeIssues(parsed.error.issues), 500),
      });
    else if (seen.has(parsed.data.sku)) result.rejected.push({ row, sku, reason: `duplicate sku "${parsed.data.sku}" (first seen on an earlier row)` });
    else {
      seen.add(parsed.data.sku);
      result.items.push({ row, item: parsed.data });
    }
  }
  return result;
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`);

interface RawRow {
  row: number;
  value: unknown;
  error?: string;
}

/** Shopify's product CSV export (several rows per product), or undefined when the header is another CSV. */
function shopifyCsv(text: string): ReturnType<typeof shopifyCsvCandidates> | undefined {
  try {
    const [header] = parseCsv(text, { bom: true, to_line: 1, relax_column_count: true, max_record_size: 64 * 1024 }) as string[][];
    if (!header || !isShopifyProductCsv(header)) return undefined;
    return shopifyCsvCandidates(text, { maxColumns: CATALOG_LIMITS.maxColumns, maxRows: CATALOG_LIMITS.maxRows, maxRecordBytes: 256 * 1024 });
  } catch (error) {
    throw new CatalogFormatError(`Catalog is not valid CSV: ${(error as Error).message}`);
  }
}

function jsonRows(text: string): RawRow[] {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new CatalogFormatError(`Catalog is not valid JSON: ${(error as Error).message}`);
  }
  const list = Array.isArray(json) ? json : (json as { products?: unknown })?.products;
  if (!Array.isArray(list)) throw new CatalogFormatError('A JSON catalog must be an array of products or an object with a "products" array.');
  return list.map((value, i) => ({ row: i + 1, value }));
}

function jsonlRows(text: string): RawRow[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .flatMap((line, i) => {
      if (!line.trim()) return [];
      try {
        return [{ row: i + 1, value: JSON.parse(line) as unknown }];
      } catch (error) {
        return [{ row: i + 1, value: undefined, error: `not valid JSON: ${(error as Error).message}` }];
      }
    });
}

/**
 * adline's simple CSV: one row per product; images, features and tags are separated by "|". Comma is the
 * separator; a header with no comma but semicolons or tabs (spreadsheets set to a European locale save
 * so) is read with that separator, and its prices may then use a decimal comma (24,90).
 */
function csvRows(text: string): RawRow[] {
  const delimiter = csvDelimiter(text);
  let cells: string[][];
  try {
    // No record-size cap here: the file is already capped, and an over-long cell rejects its own row below.
    // Rows may differ in length: a stray separator rejects its own row below, not the file.
    cells = parseCsv(text, { bom: true, skip_empty_lines: true, trim: true, delimiter, relax_column_count: true });
  } catch (error) {
    throw new CatalogFormatError(`Catalog is not valid CSV: ${(error as Error).message}`);
  }
  const header = cells[0] ?? [];
  if (header.length > CATALOG_LIMITS.maxColumns) {
    throw new CatalogFormatError(`Catalog has more than ${CATALOG_LIMITS.maxColumns} columns.`);
  }
  if (cells.length > 1 && !header.includes('sku')) {
    throw new CatalogFormatError(
      `Catalog CSV has no "sku" column (its header reads: ${header
        .slice(0, 6)
        .map((c) => `"${c.slice(0, 40)}"`)
        .join(', ')}): the first row must name the columns sku, title, price, currency…, see examples/catalog.csv.`,
    );
  }
  const skuColumn = header.indexOf('sku');
  return cells.slice(1).map((line, i) => {
    const row = i + 2; // header is row 1
    if (line.length !== header.length) {
      return {
        row,
        value: { sku: line[skuColumn] },
        error:
          `row has ${line.length} cells but the header has ${header.length}: ` +
          `a stray "${delimiter === '\t' ? 'tab' : delimiter}" (quote a cell that contains one)`,
      };
    }
    const r: Record<string, string> = Object.fromEntries(header.map((name, c) => [name, line[c] ?? '']));
    const long = Object.entries(r).find(([, cell]) => cell.length > MAX_CELL_CHARS);
    if (long) return { row, value: { sku: r.sku }, error: `${long[0]}: ${long[1].length} characters, more than the ${MAX_CELL_CHARS} a cell may hold` };
    const decimalComma = delimiter !== ',';
    const price = moneyFrom(r.price, r.currency, decimalComma);
    if (typeof price === 'string') return { row, value: r, error: `price: ${price}` };
    const compare = r.compare_at_price ? moneyFrom(r.compare_at_price, r.currency, decimalComma) : undefined;
    if (typeof compare === 'string') return { row, value: r, error: `compare_at_price: ${compare}` };
    const list = (v?: string) =>
      v
        ? v
            .split('|')
            .map((s) => s.trim())
            .filter(Boolean)
        : [];
    const value = {
      sku: r.sku,
      title: r.title,
      description: r.description ?? '',
      price,
      compareAtPrice: compare,
      brand: r.brand || undefined,
      images: list(r.images),
      features: list(r.features),
      tags: list(r.tags),
      category: r.category || undefined,
      url: r.url || undefined,
    };
    return { row, value };
  });
}

/** The longest cell a simple-CSV row may have (the longest field, a description, allows 20,000). */
const MAX_CELL_CHARS = 64 * 1024;

/** Comma, unless the header line has none and is separated by semicolons or tabs. */
function csvDelimiter(text: string): string {
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (header.includes(',')) return ',';
  const count = (d: string) => header.split(d).length - 1;
  const best = [';', '\t'].sort((a, b) => count(b) - count(a))[0]!;
  return count(best) > 0 ? best : ',';
}

function moneyFrom(amount: string | undefined, currency: string | undefined, decimalComma = false): { amount: number; currency: string } | string {
  const normalized = decimalComma ? amount?.trim().replace(/^(\d+),(\d{1,4})$/, '$1.$2') : amount?.trim();
  if (!normalized || !/^\d+(\.\d{1,4})?$/.test(normalized)) return `expected a non-negative decimal like 24.00, got "${amount ?? ''}"`;
  return { amount: Number(normalized), currency: (currency ?? '').trim().toUpperCase() };
}
