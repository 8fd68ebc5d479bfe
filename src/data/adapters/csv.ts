import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';

export interface CsvTable {
  header: string[];
  /** Rows as objects keyed by trimmed header names; `line` is the 1-based line of the row in the file. */
  rows: { line: number; values: Record<string, string> }[];
}

/**
 * Reads a delimited file with a real CSV parser (quoted fields, embedded newlines, CRLF, BOM).
 * Values are trimmed because the datasets pad fields (INbreast's ACR) or end paths with "\n" (CBIS).
 * Ragged rows are kept (missing cells read as ""), so the adapter can report them as problems.
 */
export async function readCsv(path: string, delimiter = ','): Promise<CsvTable> {
  const text = await readFile(path, 'utf8');
  const raw = parse(text, {
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  if (raw.length === 0) return { header: [], rows: [] };
  const header = (raw[0] as { record: string[] }).record.map((h) => h.trim());
  const rows = raw.slice(1).flatMap(({ record, info }) => {
    if (record.every((v) => v.trim() === '')) return [];
    const values: Record<string, string> = {};
    header.forEach((h, i) => {
      values[h] = (record[i] ?? '').trim();
    });
    return [{ line: info.lines, values }];
  });
  return { header, rows };
}

/** The first header among `names` present in the table (datasets spell columns differently). */
export function pickColumn(header: string[], ...names: string[]): string | undefined {
  const lower = header.map((h) => h.toLowerCase());
  for (const n of names) {
    const i = lower.indexOf(n.toLowerCase());
    if (i >= 0) return header[i];
  }
  return undefined;
}
