/**
 * What an exported model carries besides its weights (ONNX metadata_props): how to make its
 * input the way `prepare` and `predict` do, what its outputs mean, the classes, the task, the
 * architecture, the mammoclr version and the run's own measurements. Every value is a string
 * (JSON where structured), as metadata_props requires.
 */
import { existsSync, readFileSync } from 'node:fs';
import { PREPARE_PREPROCESS } from '../data/cache/process-image.js';
import type { PatchModel } from '../train/patch-model.js';
import type { EncoderConfig } from '../train/encoder-io.js';
import { FEATURES, HEAD_BIAS, HEAD_WEIGHT, INPUT, PROBABILITIES, mammoclrPackage } from '../export/index.js';

/** The preprocessing of prepare and predict (preprocessMammogram with PREPARE_PREPROCESS), in words and numbers. */
export function preprocessingDescription(size: number, channels: number): Record<string, unknown> {
  const p = PREPARE_PREPROCESS;
  return {
    size,
    channels,
    layout: `${INPUT}: float32 [N, ${channels}, ${size}, ${size}], row-major`,
    breastCrop: `foreground = pixels above ${100 * p.threshold} % of the brightest pixel; an opening by a square of radius 1/${Math.round(1 / p.opening)} of the image's long side (erode, keep the largest 8-connected component, take back the foreground within twice that radius of it) cuts strips that join labels and film edges to the breast; that component with its holes filled is the breast; everything outside it is set to 0 (film labels, markers); the image is cropped to its bounding box and padded to a square on the right and equally above and below`,
    flip: `${p.flip}: a right breast (laterality from the DICOM header, or from the dataset's file names or CSV where prepare's adapter knows it) is mirrored so that the chest wall is on the left; when laterality is unknown, the side holding more breast is put on the left`,
    intensity: `${p.normalize}: divided by the brightest breast pixel, so values lie in [0, 1] with the background 0`,
    resize: `area averaging of the square to ${size} x ${size}`,
    normalization: {
      mean: new Array<number>(channels).fill(0),
      std: new Array<number>(channels).fill(1),
      note: 'none after the [0, 1] scaling: the encoder was trained and the classifier fitted on the prepared images as they are',
    },
    options: { ...p, size },
    reference: 'mammoclr prepare and predict (preprocessMammogram)',
  };
}

/** The detection work's windows: how an image becomes the batch this model scores, and back. */
export function windowsDescription(m: PatchModel): Record<string, unknown> {
  return {
    resolution: m.resolution,
    window: m.view.size,
    encoderInput: m.view.input,
    stride: m.stride,
    minBreast: m.minBreast,
    topK: m.topK,
    ...(m.pectoral ? { pectoral: m.pectoral } : {}),
    howTo: `prepare the whole image at ${m.resolution} px (mammoclr.preprocessing${m.pectoral ? ', with the pectoral muscle of MLO views removed as `mammoclr prepare --pectoral suppress` does' : ''}); slide a ${m.view.size} px window with stride ${m.stride} and keep the windows whose breast (non-zero) fraction is at least ${m.minBreast}; ${PROBABILITIES}[:, 1] of each window is its lesion probability. mammoclr rounds the prepared image to float16 before cropping windows (as prepare stores it)`,
    aggregation: `outside the graph: the whole-image probability is the mean of the ${m.topK} highest window probabilities; the heatmap at a pixel is the mean probability of the windows covering it`,
  };
}

function metricsOf(path: string, about: string): string | undefined {
  if (!existsSync(path)) return undefined;
  let values: unknown;
  try {
    values = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
  return JSON.stringify({ file: path, about, values });
}

export interface ExportDescription {
  model: 'whole-image classifier' | 'patch classifier';
  task: string;
  classes: string[];
  arch: EncoderConfig;
  featureDim: number;
  preprocessing: Record<string, unknown>;
  windows?: Record<string, unknown>;
  /** metrics.json beside the classifier, when there is one. */
  metricsPath: string;
  metricsAbout: string;
  sources: Record<string, string>;
}

export function exportMetadata(d: ExportDescription): Record<string, string> {
  const out: Record<string, string> = {
    'mammoclr.version': mammoclrPackage().version,
    'mammoclr.model': d.model,
    'mammoclr.task': d.task,
    'mammoclr.classes': JSON.stringify(d.classes),
    'mammoclr.architecture': JSON.stringify({ ...d.arch, featureDim: d.featureDim, batchNorm: 'folded into the convolutions (eval mode)' }),
    'mammoclr.preprocessing': JSON.stringify(d.preprocessing),
    'mammoclr.outputs': JSON.stringify({
      [PROBABILITIES]: `[N, ${d.classes.length}] softmax probabilities in the order of mammoclr.classes`,
      [FEATURES]: `[N, ${d.featureDim}, h, w] layer4 feature maps (after the last ReLU); class activation map of class c = sum_d ${HEAD_WEIGHT}[c, d] * ${FEATURES}[:, d] + ${HEAD_BIAS}[c] (initializers of the graph), whose spatial mean is the logit of c`,
    }),
    'mammoclr.sources': JSON.stringify(d.sources),
  };
  if (d.windows) out['mammoclr.windows'] = JSON.stringify(d.windows);
  const metrics = metricsOf(d.metricsPath, d.metricsAbout);
  if (metrics) out['mammoclr.metrics'] = metrics;
  return out;
}
