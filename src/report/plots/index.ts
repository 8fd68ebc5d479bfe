/** Every chart of the report: data in, { svg, png } out. */
export { renderVegaLite, rasterize, writePlot, type Plot, type PlotSize } from './render.js';
export { lossPlot, knnPlot, lrPlot, binMeans, type StepLoss, type EpochMean } from './training.js';
export { rocPlot, formatAuc, type RocPlotData } from './roc.js';
export { confusionPlot } from './confusion.js';
export { tsnePlot, type TsnePoint } from './tsne.js';
export { fractionPlot, type FractionRow } from './fractions.js';
