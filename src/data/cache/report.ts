/** The per-run report written next to the cache, and its short human summary. */
import type { Problem } from '../records.js';

export interface SkippedFile {
  id: string;
  source: string;
  reason: string;
}

export interface PrepareReport {
  status: 'ok' | 'failed';
  /** Why the run failed (no file was replaced); absent when status is ok. */
  error?: string;
  name: string;
  adapter: string;
  input: string;
  sizes: number[];
  /** The cache files this run wrote (empty when it failed). */
  files: string[];
  workers: number;
  startedAt: string;
  seconds: number;
  counts: { listed: number; prepared: number; skipped: number; adapterProblems: number; warnings: number; pectoralRemoved?: number };
  /** Images listed by the adapter that could not be prepared, with the reason. */
  skipped: SkippedFile[];
  /** Rows/files the adapter itself rejected (bad CSV rows, missing files, unknown labels). */
  adapterProblems: Problem[];
  /** Prepared, but worth a look (no breast found: the whole image was used). */
  warnings: SkippedFile[];
}

const SHOW = 10;

/** With --pectoral suppress, how many images had the muscle removed; undefined otherwise. */
export function pectoralSummary(r: PrepareReport): string | undefined {
  const c = r.counts;
  return c.pectoralRemoved === undefined ? undefined : `pectoral muscle found and removed on ${c.pectoralRemoved} of ${c.prepared} images (elsewhere nothing was removed)`;
}

/** A few lines for the terminal; the report file has everything. */
export function summarizeReport(r: PrepareReport, reportFile: string): string {
  const lines: string[] = [];
  const c = r.counts;
  if (r.status === 'ok') {
    lines.push(`prepared ${c.prepared} of ${c.listed} images of ${r.name} at ${r.sizes.join(', ')} px in ${r.seconds.toFixed(1)} s` +
      (c.skipped > 0 ? `; ${c.skipped} skipped` : '') + (c.adapterProblems > 0 ? `; ${c.adapterProblems} adapter problem(s)` : ''));
    const pectoral = pectoralSummary(r);
    if (pectoral) lines.push(`  ${pectoral}`);
    for (const f of r.files) lines.push(`  wrote ${f}`);
  } else {
    lines.push(`prepare ${r.name} failed: ${r.error ?? 'unknown error'} (no cache file was replaced)`);
  }
  const list = (title: string, items: { source: string; reason: string }[]): void => {
    if (items.length === 0) return;
    lines.push(`${title}:`);
    for (const p of items.slice(0, SHOW)) lines.push(`  ${p.source}: ${p.reason}`);
    if (items.length > SHOW) lines.push(`  ... and ${items.length - SHOW} more`);
  };
  list('skipped files', r.skipped);
  list('adapter problems', r.adapterProblems);
  list('warnings', r.warnings);
  lines.push(`report: ${reportFile}`);
  return lines.join('\n');
}
