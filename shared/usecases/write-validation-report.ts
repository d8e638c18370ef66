import type { RejectedRow } from '#domain/catalog/catalog-parser';
import { reportCsv, reportJson, reportKeys } from '#domain/catalog/validation-report';
import { contentTypeOf } from '#domain/model/content-types';
import type { TextNotice } from '#domain/model/text-notices';
import type { AssetStore } from '#ports/asset-store';

/** What a validation report says about one catalog: how many rows were accepted, the refused rows, and text the fonts cannot draw. */
export interface ValidationReport {
  accepted: number;
  rows: readonly RejectedRow[];
  createdAt: string;
  notices?: readonly TextNotice[];
}

/** Writes a catalog's validation report beside it (JSON, and CSV safe for spreadsheets); returns the two keys. */
export async function writeValidationReport(store: AssetStore, catalogKey: string, report: ValidationReport): Promise<{ json: string; csv: string }> {
  const keys = reportKeys(catalogKey);
  const notices = report.notices ?? [];
  await store.putBytes(keys.json, reportJson(catalogKey, report.accepted, report.rows, report.createdAt, notices), contentTypeOf(keys.json));
  await store.putBytes(keys.csv, reportCsv(report.rows, notices), contentTypeOf(keys.csv));
  return keys;
}
