// AUC (with its 95 % band) or accuracy against the fraction of labeled training data, pretrained
// encoder vs the supervised baseline: the paper's label-efficiency figure.
import { renderVegaLite, type Plot, type PlotSize } from './render.js';

export interface FractionRow {
  fraction: number;
  method: 'pretrained' | 'supervised' | string;
  auc?: number;
  aucLow?: number;
  aucHigh?: number;
  accuracy?: number;
}

const METHOD_COLORS = { domain: ['pretrained', 'supervised'], range: ['#d95f02', '#1f78b4'] };

export async function fractionPlot(rows: FractionRow[], metric: 'auc' | 'accuracy', size?: PlotSize): Promise<Plot> {
  const values = rows.filter((r) => Number.isFinite(r.fraction) && Number.isFinite(r[metric] as number));
  const fractions = values.map((r) => r.fraction).filter((f) => f > 0);
  // Fractions such as 1 %, 10 %, 100 % crowd the left of a linear axis; spread them on a log one.
  const log = fractions.length > 0 && Math.max(...fractions) / Math.min(...fractions) > 10 && fractions.length === values.length;
  const x = {
    field: 'fraction',
    type: 'quantitative',
    title: 'labeled fraction of the training set',
    scale: log ? { type: 'log' } : { zero: false },
    axis: { format: '~%', values: [...new Set(fractions)].sort((a, b) => a - b) },
  };
  // symbolOpacity: the legend is shared with the band layer and would otherwise take its faint opacity.
  const color = { field: 'method', type: 'nominal', title: null, scale: METHOD_COLORS, legend: { orient: 'bottom-right', symbolOpacity: 1 } };
  const title = metric === 'auc' ? 'AUC against labeled fraction' : 'Accuracy against labeled fraction';
  const band = values.filter((r) => Number.isFinite(r.aucLow as number) && Number.isFinite(r.aucHigh as number));
  const layer: Record<string, unknown>[] = [];
  if (metric === 'auc' && band.length > 0) {
    layer.push({
      data: { values: band },
      mark: { type: 'area', opacity: 0.18 },
      encoding: { x, y: { field: 'aucLow', type: 'quantitative' }, y2: { field: 'aucHigh' }, color },
    });
  }
  layer.push({
    data: { values },
    mark: { type: 'line', point: { size: 45 }, strokeWidth: 2 },
    encoding: {
      x,
      y: { field: metric, type: 'quantitative', title: metric === 'auc' ? 'AUC (95 % CI band)' : 'accuracy', scale: { zero: false } },
      color,
    },
  });
  return renderVegaLite({ title: { text: title }, layer }, size);
}
