/** Writing and printing evaluation results: metrics.json, predictions.csv and a summary table. */
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic.js';
import { isBinaryEvaluation } from '../eval/multi-class.js';
import { classPredictionsCsv } from '../eval/predictions-csv.js';
import type { CvResult } from '../train/cross-validation.js';

export interface EvalOutput {
  task: string;
  method: string;
  result: CvResult;
  supervised?: CvResult;
  extra?: Record<string, unknown>;
}

export async function writeEvaluation(dir: string, o: EvalOutput): Promise<void> {
  const body = (r: CvResult) => ({
    classes: r.classes,
    evaluation: r.pooled,
    baseline: isBinaryEvaluation(r.pooled) ? r.pooled.baseline : undefined,
    folds: r.folds,
    aggregate: r.aggregate,
  });
  await writeJsonAtomic(join(dir, 'metrics.json'), {
    task: o.task,
    method: o.method,
    ...body(o.result),
    ...(o.supervised ? { supervised: body(o.supervised) } : {}),
    ...o.extra,
  });
  await writeFileAtomic(join(dir, 'predictions.csv'), classPredictionsCsv(o.result));
  if (o.supervised) await writeFileAtomic(join(dir, 'predictions-supervised.csv'), classPredictionsCsv(o.supervised));
}

const pct = (x: number) => (Number.isFinite(x) ? (100 * x).toFixed(1) : 'n/a');
const ci = (i: { value: number; lo: number; hi: number }) => `${pct(i.value).padStart(5)}  [${pct(i.lo)}, ${pct(i.hi)}]`;

/** A table of the pooled out-of-fold metrics with 95 % intervals, and the majority-class baseline. */
export function formatEvaluation(title: string, r: CvResult): string {
  const e = r.pooled;
  const out = [title];
  if (isBinaryEvaluation(e)) {
    out.push(`  ${e.n} images (${e.positives} ${r.classes[1]}, ${e.negatives} ${r.classes[0]}), ${r.folds.length} patient-disjoint folds; % with 95 % CI`);
    const rows: [string, { value: number; lo: number; hi: number }][] = [
      ['ROC AUC (DeLong)', e.auc], ['accuracy', e.accuracy], ['sensitivity', e.sensitivity], ['specificity', e.specificity],
      ['precision', e.precision], ['F1', e.f1], ['balanced accuracy', e.balancedAccuracy],
      [`majority class (${r.classes[e.baseline.majorityClass]})`, e.baseline.accuracy],
    ];
    for (const [k, v] of rows) out.push(`  ${k.padEnd(32)} ${ci(v)}`);
    const auc = r.aggregate['auc.value'];
    if (auc) out.push(`  AUC across folds: mean ${pct(auc.mean)}, sd ${pct(auc.std)}, min ${pct(auc.min)}, max ${pct(auc.max)}`);
  } else {
    out.push(`  ${e.n} images, accuracy ${pct(e.accuracy)} %, macro F1 ${pct(e.macroF1)} %, one-vs-rest AUC ${e.aucPerClass.map((a, i) => `${r.classes[i]} ${pct(a)}`).join(', ')}`);
  }
  return out.join('\n');
}
