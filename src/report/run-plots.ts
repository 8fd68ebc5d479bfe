// Which charts a run directory supports, rendered from its parts.
import { rocCurve } from '../eval/roc.js';
import { delongAuc } from '../eval/delong.js';
import { lossPlot, knnPlot, lrPlot } from './plots/training.js';
import { rocPlot } from './plots/roc.js';
import { confusionPlot } from './plots/confusion.js';
import { tsnePlot } from './plots/tsne.js';
import { fractionPlot } from './plots/fractions.js';
import type { Plot } from './plots/render.js';
import { trainingSeries } from './training-log.js';
import type { RunData } from './run.js';

export type PlotSection = 'training' | 'evaluation' | 'tsne' | 'fractions';

export interface NamedPlot {
  /** File stem, also the id prefix when the SVG is inlined. */
  name: string;
  section: PlotSection;
  plot: Plot;
}

/** Class names for labels 0..k-1: metrics.json's classes when there are k of them, else the indices (negative/positive for 2). */
export function classNames(run: RunData, k = 2): string[] {
  const c = run.metrics?.classes;
  if (c && c.length === k) return c;
  return k === 2 ? ['negative', 'positive'] : Array.from({ length: k }, (_, i) => String(i));
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);

export async function runPlots(run: RunData): Promise<{ plots: NamedPlot[]; notes: string[] }> {
  const plots: NamedPlot[] = [];
  const notes: string[] = [];
  const add = async (name: string, section: PlotSection, make: () => Promise<Plot>) => {
    try {
      plots.push({ name, section, plot: await make() });
    } catch (e) {
      notes.push(`${name} plot: ${(e as Error).message}`);
    }
  };

  if (run.log) {
    const s = trainingSeries(run.log);
    if (s.steps.length > 0) await add('loss', 'training', () => lossPlot(s.steps, s.epochMeans));
    if (s.knn.length > 0) await add('knn-accuracy', 'training', () => knnPlot(s.knn));
    const lr = s.steps.filter((p): p is typeof p & { lr: number } => p.lr !== undefined);
    if (lr.length > 0) await add('learning-rate', 'training', () => lrPlot(lr));
  }

  // ROC from the predictions themselves, with the DeLong AUC of those same points, so the
  // curve and the number in its title can never disagree (pooled over folds when there are folds).
  const roc = async (name: string, predictions: RunData['predictions'], model?: string) => {
    if (!predictions || predictions.length === 0) return;
    const labels = predictions.map((p) => p.label);
    const scores = predictions.map((p) => p.score);
    await add(name, 'evaluation', async () => {
      const curve = rocCurve(labels, scores);
      const d = delongAuc(labels, scores);
      return rocPlot({ fpr: curve.fpr, tpr: curve.tpr, auc: { value: d.auc, lo: d.lo, hi: d.hi }, positives: d.m, negatives: d.n, ...(model ? { model } : {}) });
    });
  };
  await roc('roc', run.predictions);
  await roc('roc-supervised', run.supervisedPredictions, 'supervised baseline');

  const ev = run.metrics?.evaluation;
  const counts = ev?.['counts'] as Record<string, unknown> | undefined;
  if (counts) {
    const matrix = [
      [num(counts['tn']), num(counts['fp'])],
      [num(counts['fn']), num(counts['tp'])],
    ];
    if (matrix.flat().every(Number.isFinite)) {
      const t = num(ev!['threshold']);
      await add('confusion', 'evaluation', () => confusionPlot(matrix, classNames(run), Number.isFinite(t) ? `Confusion matrix (threshold ${t})` : 'Confusion matrix'));
    } else {
      notes.push('eval/metrics.json: evaluation.counts lacks tp, fp, tn or fn; no confusion matrix');
    }
  } else if (Array.isArray(ev?.['confusion'])) {
    // Multi-class evaluation: the k x k matrix itself.
    const matrix = (ev!['confusion'] as unknown[]).map((r) => (Array.isArray(r) ? r.map(num) : []));
    await add('confusion', 'evaluation', () => confusionPlot(matrix, classNames(run, matrix.length), 'Confusion matrix (most probable class)'));
  }

  for (const t of run.tsne) {
    const names = classNames(run);
    // Integer labels name classes when metrics.json lists them.
    const points = t.points.map((p) => ({ ...p, label: /^[01]$/.test(p.label) && run.metrics?.classes ? names[Number(p.label)]! : p.label }));
    await add(`tsne-${t.name.replace(/[^A-Za-z0-9._-]/g, '_')}`, 'tsne', () => tsnePlot(points, `t-SNE: ${t.name} embedding`));
  }

  if (run.fractions && run.fractions.length > 0) {
    const hasAuc = run.fractions.some((r) => Number.isFinite(r.auc as number));
    const hasAcc = run.fractions.some((r) => Number.isFinite(r.accuracy as number));
    if (hasAuc) await add('fraction-auc', 'fractions', () => fractionPlot(run.fractions!, 'auc'));
    if (hasAcc) await add('fraction-accuracy', 'fractions', () => fractionPlot(run.fractions!, 'accuracy'));
  }
  return { plots, notes };
}
