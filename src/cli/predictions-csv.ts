/** Reading the predictions.csv that the training commands write (id,patient_id,label,score[,fold]). */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export interface PredictionRow {
  id: string;
  label: number;
  score: number;
}

export function readPredictions(path: string): PredictionRow[] {
  const rows = parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  if (rows.length > 0 && (!('label' in rows[0]!) || !('score' in rows[0]!))) {
    throw new Error(`${path}: expected a header with label and score columns, got '${Object.keys(rows[0]!).join(',')}'`);
  }
  return rows.map((r, i) => {
    const label = Number(r.label);
    const score = Number(r.score);
    if (!(label === 0 || label === 1) || !Number.isFinite(score)) throw new Error(`${path}: line ${i + 2}: label must be 0 or 1 and score a number`);
    return { id: r.id ?? '', label, score };
  });
}
