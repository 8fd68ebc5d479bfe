// Renders a Vega-Lite spec headless: Vega's string renderer gives the SVG, resvg rasterises it
// to PNG with the bundled DejaVu fonts only, so the bytes do not depend on the machine's fonts.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';
import { writeFileAtomic } from '../../io/atomic.js';

/** A rendered chart: standalone SVG markup and PNG bytes. */
export interface Plot {
  svg: string;
  png: Buffer;
}

/** Size of the whole chart (titles, axes and legends included) in CSS pixels, and the PNG scale. */
export interface PlotSize {
  width?: number;
  height?: number;
  /** PNG pixels per SVG pixel (2 by default: sharp on high-density screens and in print). */
  scale?: number;
}

export const DEFAULT_WIDTH = 560;
export const DEFAULT_HEIGHT = 360;
export const DEFAULT_SCALE = 2;

/** The family named in every chart; resvg resolves it to the bundled TTF, browsers to theirs. */
export const FONT_FAMILY = 'DejaVu Sans, Verdana, Arial, sans-serif';

// The package ships plain TTFs; resolve them through the module system so any install layout works.
const fontDir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => join(fontDir, f));

// Vega-Lite's advisory warnings would clutter CLI output; errors still reach stderr.
const quietLogger = vega.logger(vega.Error);

// Common look: white background, DejaVu everywhere, and autosize "fit" with padding included so
// the SVG is exactly width x height whatever the axis labels and legends need.
function withTheme(spec: Record<string, unknown>, width: number, height: number): vl.TopLevelSpec {
  const config = (spec['config'] ?? {}) as Record<string, unknown>;
  return {
    ...spec,
    width,
    height,
    autosize: { type: 'fit', contains: 'padding' },
    padding: 12,
    background: 'white',
    config: {
      font: FONT_FAMILY,
      view: { stroke: '#ccc' },
      title: { fontSize: 14, subtitleFontSize: 11, subtitleColor: '#555', anchor: 'start', offset: 10 },
      axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eee' },
      legend: { labelFontSize: 11, titleFontSize: 12 },
      ...config,
    },
  } as vl.TopLevelSpec;
}

/**
 * Compiles and renders a Vega-Lite spec (without width/height/config: the theme sets them) to
 * SVG and PNG. Same spec, same bytes: Vega's clip/gradient id counters are reset first.
 */
export async function renderVegaLite(spec: Record<string, unknown>, size: PlotSize = {}): Promise<Plot> {
  const width = size.width ?? DEFAULT_WIDTH;
  const height = size.height ?? DEFAULT_HEIGHT;
  const scale = size.scale ?? DEFAULT_SCALE;
  const compiled = vl.compile(withTheme(spec, width, height), { logger: quietLogger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  let svg: string;
  try {
    vega.resetSVGDefIds();
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  return { svg, png: rasterize(svg, scale) };
}

/** SVG to PNG at `scale` PNG pixels per SVG pixel, with only the bundled fonts. */
export function rasterize(svg: string, scale = DEFAULT_SCALE): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: {
      loadSystemFonts: false,
      fontFiles: FONT_FILES,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  });
  return resvg.render().asPng();
}

/** Writes <dir>/<name>.svg and <dir>/<name>.png, each atomically; returns their paths. */
export async function writePlot(dir: string, name: string, plot: Plot): Promise<{ svg: string; png: string }> {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`plot name "${name}" must be a plain file name`);
  const paths = { svg: join(dir, `${name}.svg`), png: join(dir, `${name}.png`) };
  await writeFileAtomic(paths.svg, plot.svg);
  await writeFileAtomic(paths.png, plot.png);
  return paths;
}
