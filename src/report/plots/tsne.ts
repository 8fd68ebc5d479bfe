// t-SNE scatter of encoder features, coloured by label. The axes carry no meaning in t-SNE, so
// they are hidden; only the grouping is read.
import { renderVegaLite, type Plot, type PlotSize } from './render.js';

export interface TsnePoint {
  x: number;
  y: number;
  label: string;
}

export async function tsnePlot(points: TsnePoint[], title: string, size: PlotSize = {}): Promise<Plot> {
  const values = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)).map((p) => ({ ...p, label: String(p.label) }));
  const labels = [...new Set(values.map((p) => p.label))].sort();
  const hidden = { axis: null, scale: { zero: false, nice: false, padding: 10 } };
  return renderVegaLite(
    {
      title: { text: title, subtitle: `${values.length} points` },
      data: { values },
      mark: { type: 'circle', size: 22, opacity: 0.75 },
      encoding: {
        x: { field: 'x', type: 'quantitative', ...hidden },
        y: { field: 'y', type: 'quantitative', ...hidden },
        color: { field: 'label', type: 'nominal', title: 'label', scale: { domain: labels, scheme: 'tableau10' } },
      },
    },
    { width: size.width ?? 480, height: size.height ?? 420, ...(size.scale !== undefined ? { scale: size.scale } : {}) },
  );
}
