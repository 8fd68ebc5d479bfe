// Confusion-matrix heatmap: rows are the true class, columns the predicted class (sklearn's layout).
import { renderVegaLite, type Plot, type PlotSize } from './render.js';

/** `matrix[i][j]` = samples of true class i predicted as class j. */
export async function confusionPlot(matrix: number[][], classes: string[], title = 'Confusion matrix', size: PlotSize = {}): Promise<Plot> {
  const k = matrix.length;
  if (classes.length !== k || matrix.some((r) => r.length !== k)) {
    throw new Error(`confusion matrix must be ${classes.length} x ${classes.length} to match the class names`);
  }
  const values = matrix.flatMap((row, i) => row.map((count, j) => ({ actual: classes[i]!, predicted: classes[j]!, count })));
  const max = Math.max(1, ...values.map((v) => v.count));
  const domain = { domain: classes };
  return renderVegaLite(
    {
      title: { text: title },
      data: { values },
      encoding: {
        x: { field: 'predicted', type: 'nominal', title: 'predicted', scale: domain, axis: { orient: 'top', labelAngle: 0, domain: false, ticks: false } },
        y: { field: 'actual', type: 'nominal', title: 'actual', scale: domain, axis: { domain: false, ticks: false } },
      },
      layer: [
        {
          mark: { type: 'rect', stroke: 'white', strokeWidth: 2 },
          encoding: {
            color: { field: 'count', type: 'quantitative', scale: { scheme: 'blues', domain: [0, max] }, legend: null },
          },
        },
        {
          mark: { type: 'text', fontSize: 20, fontWeight: 'bold' },
          encoding: {
            text: { field: 'count', type: 'quantitative', format: 'd' },
            // Dark cells get white numbers so the count stays readable.
            color: { condition: { test: `datum.count > ${max / 2}`, value: 'white' }, value: '#222' },
          },
        },
      ],
    },
    { width: size.width ?? 400, height: size.height ?? 380, ...(size.scale !== undefined ? { scale: size.scale } : {}) },
  );
}
