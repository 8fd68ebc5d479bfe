// ROC curve with its AUC and 95 % interval in the title and the chance diagonal.
import { renderVegaLite, type Plot, type PlotSize } from './render.js';

export interface RocPlotData {
  fpr: number[];
  tpr: number[];
  auc: { value: number; lo: number; hi: number };
  /** Counts for the subtitle, when known. */
  positives?: number;
  negatives?: number;
  /** Which model, e.g. "supervised baseline"; "ROC curve" alone when absent. */
  model?: string;
}

// Above this many points the markers are left off (they merge into the line anyway).
export const MAX_ROC_MARKERS = 500;

/** "0.833 (95 % CI 0.601–1.000)", or "undefined" for a NaN AUC. */
export function formatAuc(auc: { value: number; lo: number; hi: number }): string {
  if (!Number.isFinite(auc.value)) return 'undefined';
  const ci = Number.isFinite(auc.lo) && Number.isFinite(auc.hi) ? ` (95 % CI ${auc.lo.toFixed(3)}–${auc.hi.toFixed(3)})` : '';
  return `${auc.value.toFixed(3)}${ci}`;
}

export async function rocPlot(data: RocPlotData, size: PlotSize = {}): Promise<Plot> {
  if (data.fpr.length !== data.tpr.length) throw new Error(`fpr (${data.fpr.length}) and tpr (${data.tpr.length}) differ in length`);
  // `order` keeps the curve in the given (threshold) order; sorting by fpr would scramble ties.
  const values = data.fpr.map((fpr, order) => ({ fpr, tpr: data.tpr[order]!, order }));
  const counts = data.positives !== undefined && data.negatives !== undefined ? `${data.positives} positive, ${data.negatives} negative` : undefined;
  const axis = { format: '.1f' };
  return renderVegaLite(
    {
      title: { text: `ROC curve${data.model ? ` (${data.model})` : ''}, AUC ${formatAuc(data.auc)}`, ...(counts ? { subtitle: counts } : {}) },
      layer: [
        {
          data: { values: [{ fpr: 0, tpr: 0 }, { fpr: 1, tpr: 1 }] },
          mark: { type: 'line', strokeDash: [4, 4], color: '#999', strokeWidth: 1 },
          encoding: { x: { field: 'fpr', type: 'quantitative' }, y: { field: 'tpr', type: 'quantitative' } },
        },
        {
          data: { values },
          mark: {
            type: 'line',
            color: '#d95f02',
            strokeWidth: 2,
            ...(values.length <= MAX_ROC_MARKERS ? { point: { size: 18, filled: true, color: '#d95f02' } } : {}),
          },
          encoding: {
            x: { field: 'fpr', type: 'quantitative', title: '1 − specificity (false-positive rate)', scale: { domain: [0, 1] }, axis },
            y: { field: 'tpr', type: 'quantitative', title: 'sensitivity (true-positive rate)', scale: { domain: [0, 1] }, axis },
            order: { field: 'order', type: 'quantitative' },
          },
        },
      ],
    },
    { width: size.width ?? 440, height: size.height ?? 440, ...(size.scale !== undefined ? { scale: size.scale } : {}) },
  );
}
