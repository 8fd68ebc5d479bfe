import type { Command } from 'commander';
import { z } from 'zod';
import { readFileSync } from 'node:fs';
import { parseOptions, num } from '../options.js';
import { evaluateBinary } from '../../eval/summary.js';

const schema = z.object({ threshold: num(0, 1), json: z.boolean().optional() });

/** Parses id,patient_id,label,score[,fold] (the predictions.csv the training commands write). */
export function readPredictions(path: string): { labels: number[]; scores: number[] } {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const header = lines.shift()?.split(',') ?? [];
  const li = header.indexOf('label');
  const si = header.indexOf('score');
  if (li < 0 || si < 0) throw new Error(`${path}: expected a header with label and score columns, got '${header.join(',')}'`);
  const labels: number[] = [];
  const scores: number[] = [];
  lines.forEach((line, i) => {
    // Ids may be quoted and contain commas: label and score are counted from the end.
    const cells = line.split(',');
    const fromEnd = header.length - 1;
    const label = Number(cells[cells.length - 1 - (fromEnd - li)]);
    const score = Number(cells[cells.length - 1 - (fromEnd - si)]);
    if (!(label === 0 || label === 1) || !Number.isFinite(score)) throw new Error(`${path}: line ${i + 2}: label must be 0 or 1 and score a number`);
    labels.push(label);
    scores.push(score);
  });
  return { labels, scores };
}

export function register(program: Command): void {
  program
    .command('evaluate <predictions>')
    .description('metrics with 95 % intervals (Wilson, DeLong, bootstrap) and the majority-class baseline from a predictions CSV (id,patient_id,label,score)')
    .option('--threshold <t>', 'predict positive when score >= t', '0.5')
    .option('--json', 'print the full result as JSON')
    .action((path: string, raw: Record<string, unknown>) => {
      const o = parseOptions(schema, raw);
      const { labels, scores } = readPredictions(path);
      const e = evaluateBinary(labels, scores, o.threshold);
      if (o.json) {
        console.log(JSON.stringify(e, null, 2));
        return;
      }
      const pct = (x: number) => (Number.isFinite(x) ? (100 * x).toFixed(1) : 'n/a');
      console.log(`${e.n} predictions (${e.positives} positive, ${e.negatives} negative), threshold ${e.threshold}; % with 95 % CI`);
      for (const [k, v] of Object.entries({ 'ROC AUC': e.auc, accuracy: e.accuracy, sensitivity: e.sensitivity, specificity: e.specificity, precision: e.precision, F1: e.f1, 'majority class': e.baseline.accuracy })) {
        console.log(`  ${k.padEnd(16)} ${pct(v.value).padStart(5)}  [${pct(v.lo)}, ${pct(v.hi)}]`);
      }
      for (const n of e.notes) console.log(`  note: ${n}`);
    });
}
