// Training curves from the run log: loss per step with epoch means, kNN accuracy per epoch and
// the learning-rate schedule.
import { renderVegaLite, type Plot, type PlotSize } from './render.js';

export interface StepLoss {
  /** x position: the global step (monotone over the whole run). */
  step: number;
  loss: number;
}

export interface EpochMean {
  epoch: number;
  /** x position of the mean: the last step of that epoch. */
  step: number;
  loss: number;
}

// Above this many steps the per-step line is drawn as means of consecutive bins: a 100k-point
// path makes the inlined SVG megabytes without showing more than the screen can.
export const MAX_LINE_POINTS = 2000;

/** Means of consecutive bins of at most ceil(n / max) points, at each bin's mean x; the input when short enough. */
export function binMeans<T extends { step: number }>(points: T[], key: keyof T & string, max = MAX_LINE_POINTS): T[] {
  if (points.length <= max) return points;
  const size = Math.ceil(points.length / max);
  const out: T[] = [];
  for (let i = 0; i < points.length; i += size) {
    const bin = points.slice(i, i + size);
    const mean = (f: (p: T) => number) => bin.reduce((s, p) => s + f(p), 0) / bin.length;
    out.push({ ...bin[0]!, step: mean((p) => p.step), [key]: mean((p) => p[key] as number) });
  }
  return out;
}

const finite = (v: number) => Number.isFinite(v);

/** Loss per step (thin line) with the per-epoch means (points) on top. */
export async function lossPlot(steps: StepLoss[], epochMeans: EpochMean[], size?: PlotSize): Promise<Plot> {
  const raw = steps.filter((s) => finite(s.step) && finite(s.loss));
  const line = binMeans(raw, 'loss');
  const perStep = line.length < raw.length ? `per-step (means of ${Math.ceil(raw.length / MAX_LINE_POINTS)})` : 'per step';
  const values = [
    ...line.map((s) => ({ step: s.step, loss: s.loss, series: perStep })),
    ...epochMeans.filter((e) => finite(e.step) && finite(e.loss)).map((e) => ({ step: e.step, loss: e.loss, epoch: e.epoch, series: 'epoch mean' })),
  ];
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain: [perStep, 'epoch mean'], range: ['#7aa6c2', '#d95f02'] },
    legend: { orient: 'top-right' },
  };
  return renderVegaLite(
    {
      title: { text: 'Training loss', subtitle: `${raw.length} steps, ${epochMeans.length} epochs` },
      data: { values },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'step' },
        y: { field: 'loss', type: 'quantitative', title: 'loss', scale: { zero: false } },
        color,
      },
      layer: [
        { transform: [{ filter: `datum.series === '${perStep}'` }], mark: { type: 'line', strokeWidth: 1 } },
        {
          transform: [{ filter: "datum.series === 'epoch mean'" }],
          mark: { type: 'line', point: { size: 40 }, strokeWidth: 2 },
        },
      ],
    },
    size,
  );
}

/** kNN accuracy of the frozen features on the held-out split after each epoch. */
export async function knnPlot(epochs: { epoch: number; knnAccuracy: number }[], size?: PlotSize): Promise<Plot> {
  const values = epochs.filter((e) => finite(e.epoch) && finite(e.knnAccuracy));
  return renderVegaLite(
    {
      title: { text: 'kNN accuracy per epoch', subtitle: 'k-nearest-neighbour accuracy of the encoder features' },
      data: { values },
      mark: { type: 'line', color: '#1b9e77', point: { size: 40, color: '#1b9e77' } },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
        y: { field: 'knnAccuracy', type: 'quantitative', title: 'kNN accuracy', scale: { zero: false }, axis: { format: '.0%' } },
      },
    },
    size,
  );
}

/** The learning rate actually used at each step (warm-up and decay show here). */
export async function lrPlot(steps: { step: number; lr: number }[], size?: PlotSize): Promise<Plot> {
  const values = binMeans(steps.filter((s) => finite(s.step) && finite(s.lr)), 'lr');
  return renderVegaLite(
    {
      title: { text: 'Learning rate' },
      data: { values },
      mark: { type: 'line', color: '#7570b3' },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'step' },
        y: { field: 'lr', type: 'quantitative', title: 'learning rate', axis: { format: '~g' } },
      },
    },
    size,
  );
}
