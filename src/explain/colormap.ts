/** Heatmap colours, shared by the PNG overlays (overlay.ts) and the browser viewer (src/viewer). */

export type ColormapName = 'jet' | 'turbo';

export const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

// Jet as MATLAB / OpenCV COLORMAP_JET (pytorch-grad-cam's default): piecewise-linear
// r = clamp(1.5 - |4v - 3|), g = clamp(1.5 - |4v - 2|), b = clamp(1.5 - |4v - 1|).
function jet(v: number): [number, number, number] {
  return [clamp01(1.5 - Math.abs(4 * v - 3)), clamp01(1.5 - Math.abs(4 * v - 2)), clamp01(1.5 - Math.abs(4 * v - 1))];
}

// Turbo (Mikhailov, Google AI blog 2019): the published degree-5 polynomial approximation
// (Google's turbo_colormap.glsl), perceptually smoother than jet with the same blue-to-red order.
function turbo(v: number): [number, number, number] {
  const x = clamp01(v);
  const x2 = x * x, x3 = x2 * x, x4 = x3 * x, x5 = x4 * x;
  const r = 0.13572138 + 4.6153926 * x - 42.66032258 * x2 + 132.13108234 * x3 - 152.94239396 * x4 + 59.28637943 * x5;
  const g = 0.09140261 + 2.19418839 * x + 4.84296658 * x2 - 14.18503333 * x3 + 4.27729857 * x4 + 2.82956604 * x5;
  const b = 0.1066733 + 12.64194608 * x - 60.58204836 * x2 + 110.36276771 * x3 - 89.90310912 * x4 + 27.34824973 * x5;
  return [clamp01(r), clamp01(g), clamp01(b)];
}

/** The colour of a value in [0, 1] as RGB in [0, 1]. Both maps run blue (low) to dark red (high), peak red near 0.75-0.85. */
export function colormap(v: number, name: ColormapName = 'jet'): [number, number, number] {
  return name === 'turbo' ? turbo(v) : jet(clamp01(v));
}
