/**
 * predictions.csv: the out-of-fold predictions that finetune, train-supervised, demo and detect
 * write, and that evaluate, gradcam and the report read. One row an image, starting
 * `id,patient_id,label`, then by kind:
 * - two classes: `score` (probability of class 1), `fold`
 * - more classes: `p_<class>` for each class, `fold`
 * - detection's whole-image scores: `fold`, `score_<aggregation>` for each (empty where an
 *   aggregation gave none)
 * The reader takes the two-class kind, the one every binary metric and the ROC curve need.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export interface ClassPrediction {
  id: string;
  patientId: string;
  label: number;
  /** Probability of each class. */
  probabilities: number[];
  fold: number;
}

export interface ImageScorePrediction {
  id: string;
  patientId: string;
  label: number;
  fold: number;
  scores: Partial<Record<string, number>>;
}

/** A row of the two-class kind as read back. */
export interface ScoredPrediction {
  id: string;
  patientId: string;
  label: 0 | 1;
  score: number;
  fold?: string;
}

function field(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(header: string[], rows: (string | number)[][]): string {
  return `${[header.join(','), ...rows.map((r) => r.join(','))].join('\n')}\n`;
}

/** The two-class or the multi-class kind, as `classes` has two or more. */
export function classPredictionsCsv(r: { classes: string[]; predictions: ClassPrediction[] }): string {
  const binary = r.classes.length === 2;
  const header = ['id', 'patient_id', 'label', ...(binary ? ['score'] : r.classes.map((c) => `p_${c}`)), 'fold'];
  return csv(header, r.predictions.map((p) => [field(p.id), field(p.patientId), p.label, ...(binary ? [p.probabilities[1]!] : p.probabilities), p.fold]));
}

/** The column of an aggregation's whole-image score: `score_` and its name with runs of other characters as `_`. */
export function scoreColumn(aggregation: string): string {
  return `score_${aggregation.replace(/[^a-z]+/gi, '_')}`;
}

export function imageScoresCsv(aggregations: readonly string[], predictions: ImageScorePrediction[]): string {
  const header = ['id', 'patient_id', 'label', 'fold', ...aggregations.map(scoreColumn)];
  return csv(header, predictions.map((p) => [field(p.id), field(p.patientId), p.label, p.fold, ...aggregations.map((a) => p.scores[a] ?? '')]));
}

/** Rows of the two-class kind; errors name the row (counting the header as row 1) but not the file. */
export function parsePredictionsCsv(text: string): ScoredPrediction[] {
  const rows = parse(text, { columns: true, bom: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  const columns = rows.length > 0 ? Object.keys(rows[0]!) : [];
  if (rows.length > 0 && !columns.includes('score')) {
    throw new Error(`no score column (multi-class predictions hold one probability per class, detection's one score per aggregation); header '${columns.join(',')}'`);
  }
  if (rows.length > 0 && !columns.includes('label')) throw new Error(`no label column; header '${columns.join(',')}'`);
  return rows.map((r, i) => {
    const label = Number(r['label']);
    const score = Number(r['score']);
    if (r['label'] === '' || (label !== 0 && label !== 1)) throw new Error(`row ${i + 2}: label "${r['label'] ?? ''}" is not 0 or 1`);
    if (r['score'] === undefined || r['score'] === '' || !Number.isFinite(score)) throw new Error(`row ${i + 2}: score "${r['score'] ?? ''}" is not a number`);
    return {
      id: r['id'] ?? '',
      patientId: r['patient_id'] ?? '',
      label: label === 1 ? 1 : 0,
      score,
      ...(r['fold'] !== undefined && r['fold'] !== '' ? { fold: r['fold'] } : {}),
    };
  });
}

export function readPredictionsCsv(path: string): ScoredPrediction[] {
  const text = readFileSync(path, 'utf8');
  try {
    return parsePredictionsCsv(text);
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}
