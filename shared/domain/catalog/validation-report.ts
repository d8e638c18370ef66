import type { RejectedRow } from './catalog-parser.ts';
import type { TextNotice } from '#domain/model/text-notices';

/** Where the validation report of a catalog is written: beside it, as JSON and as CSV. */
export function reportKeys(catalogKey: string): { json: string; csv: string } {
  return { json: `${catalogKey}.report.json`, csv: `${catalogKey}.report.csv` };
}

/** The JSON report: every refused or skipped row with its field and reason, and the text the fonts cannot draw. */
export function reportJson(
  catalogKey: string,
  accepted: number,
  rows: readonly RejectedRow[],
  createdAt: string,
  textNotices: readonly TextNotice[] = [],
): string {
  const sorted = [...rows].sort((a, b) => a.row - b.row);
  const notices = textNotices.length > 0 ? { textNotices } : {};
  return (
    JSON.stringify(
      {
        schemaVersion: 1,
        catalog: catalogKey,
        createdAt,
        accepted,
        refused: sorted.length,
        rows: sorted.map(({ row, sku, field, reason }) => ({ row, sku, field, reason })),
        ...notices,
      },
      null,
      2,
    ) + '\n'
  );
}

/** The CSV report (row, sku, field, reason), safe to open in a spreadsheet: no cell can become a formula. */
export function reportCsv(rows: readonly RejectedRow[], textNotices: readonly TextNotice[] = []): string {
  const lines = [
    ['row', 'sku', 'field', 'reason'],
    ...[...rows].sort((a, b) => a.row - b.row).map((r) => [String(r.row), r.sku ?? '', r.field ?? '', r.reason]),
    // Accepted products whose copy the fonts cannot fully draw: no row number, the reason says what the ad shows instead.
    ...textNotices.map((n) => ['', n.sku, n.field, `${n.count} ${n.script} character(s) "${n.sample}" cannot be drawn: ${n.action}`]),
  ];
  return `${lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/**
 * One CSV cell: a leading = + - @ TAB CR or NUL gets an apostrophe so spreadsheets show text instead of
 * evaluating it (quoting alone does not stop them), then RFC 4180 quoting.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r\0]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}
