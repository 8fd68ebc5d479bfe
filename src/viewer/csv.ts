/** The scores table as CSV (RFC 4180 quoting), for the download button. */
export interface CsvRow { name: string; probabilities?: number[]; laterality?: string; view?: string; call?: string; error?: string }

const cell = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function scoresCsv(classes: string[], rows: CsvRow[]): string {
  const head = ['file', ...classes.map((c) => `p_${c}`), 'call', 'laterality', 'view', 'error'];
  const lines = [head.join(',')];
  for (const r of rows) {
    const p = classes.map((_, i) => (r.probabilities ? r.probabilities[i]!.toFixed(6) : ''));
    lines.push([r.name, ...p, r.call ?? '', r.laterality ?? '', r.view ?? '', r.error ?? ''].map(cell).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
