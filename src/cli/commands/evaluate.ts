import type { Command } from 'commander';
import { z } from 'zod';
import { parseOptions, num } from '../options.js';
import { evaluateBinary } from '../../eval/summary.js';
import { readPredictionsCsv } from '../../eval/predictions-csv.js';

const schema = z.object({ threshold: num(0, 1), json: z.boolean().optional() });

export function register(program: Command): void {
  program
    .command('evaluate <predictions>')
    .description('metrics with 95 % intervals (Wilson, DeLong, bootstrap) and the majority-class baseline from a predictions CSV (id,patient_id,label,score)')
    .option('--threshold <t>', 'predict positive when score >= t', '0.5')
    .option('--json', 'print the full result as JSON')
    .action((path: string, raw: Record<string, unknown>) => {
      const o = parseOptions(schema, raw);
      const rows = readPredictionsCsv(path);
      const labels = rows.map((r) => r.label);
      const scores = rows.map((r) => r.score);
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
