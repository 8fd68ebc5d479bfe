/**
 * The deployable model of a run, ready for export: the encoder with either the classifier
 * `finetune` fitted on all labels (<run>/eval/classifier.safetensors) or the patch probe of
 * `detect` (<run>/detect/patch-model.json), chosen as `predict` chooses. Errors name the file.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadRunModel } from './run-model.js';
import { readPatchModel } from '../train/patch-model.js';
import { loadEncoderWithArch } from '../train/encoder-io.js';
import { linearClassifierHead, type ClassifierExport, type StandardisedLinearHead } from '../export/index.js';
import { exportMetadata, preprocessingDescription, windowsDescription } from './export-metadata.js';

export interface RunExportOptions {
  /** Folder with classifier.safetensors (default <run>/eval). */
  eval?: string;
  /** Folder with patch-model.json; forces the patch model. */
  detect?: string;
}

export interface RunExport extends ClassifierExport {
  kind: 'classifier' | 'patch';
  classes: string[];
  /** The files the model was read from, as the command was given them (no absolute paths leave the machine in the model). */
  sources: Record<string, string>;
}

/** Runs `load`, putting `path` in front of an error that does not name it. */
async function reading<T>(path: string, load: () => Promise<T> | T): Promise<T> {
  try {
    return await load();
  } catch (e) {
    const message = (e as Error).message;
    throw new Error(message.includes(path) ? message : `${path}: ${message}`);
  }
}

async function classifierExport(run: string, evalDir: string): Promise<RunExport> {
  const path = join(evalDir, 'classifier.safetensors');
  const m = await reading(path, () => loadRunModel(run, evalDir));
  try {
    const head = linearClassifierHead(m.classifier);
    const arch = { depth: m.encoder.config.depth, stem: m.encoder.config.stem, width: m.encoder.config.width, inChannels: m.encoder.config.inChannels };
    const sources = { classifier: path, encoder: m.encoderPath };
    const metadata = exportMetadata({
      model: 'whole-image classifier',
      task: m.task,
      classes: m.classes,
      arch,
      featureDim: m.encoder.featureDim,
      preprocessing: preprocessingDescription(m.size, arch.inChannels),
      metricsPath: join(evalDir, 'metrics.json'),
      metricsAbout: 'patient-disjoint cross-validation of the recipe (pooled out-of-fold, 95 % intervals); the exported classifier is its refit on every labeled image',
      sources,
    });
    return { kind: 'classifier', encoder: m.encoder, head, inputSize: m.size, metadata, classes: m.classes, sources, docString: `mammoclr ${m.task} classifier` };
  } finally {
    m.classifier.dispose();
  }
}

async function patchExport(run: string, detectDir: string): Promise<RunExport> {
  const modelPath = join(detectDir, 'patch-model.json');
  if (!existsSync(modelPath)) throw new Error(`${modelPath} does not exist: run \`mammoclr detect ${run} --data ...\` first`);
  const m = await reading(modelPath, () => readPatchModel(modelPath));
  const encoderPath = join(run, 'encoder.safetensors');
  if (!existsSync(encoderPath)) throw new Error(`${encoderPath} does not exist: the patch model needs the run's encoder`);
  const { encoder, arch } = await reading(encoderPath, () => loadEncoderWithArch(encoderPath));
  encoder.eval();
  const p = m.probe;
  if (p.classes !== m.classes.length) throw new Error(`${modelPath}: the probe has ${p.classes} classes, the model names ${m.classes.length}`);
  if (p.dims !== encoder.featureDim) throw new Error(`${modelPath}: the probe reads ${p.dims} features, ${encoderPath} gives ${encoder.featureDim}`);
  const head: StandardisedLinearHead = { classes: p.classes, dims: p.dims, weight: p.weights.flat(), bias: p.bias, mean: p.mean, std: p.std };
  const sources = { patchModel: modelPath, encoder: encoderPath };
  const metadata = exportMetadata({
    model: 'patch classifier',
    task: m.task,
    classes: m.classes,
    arch,
    featureDim: encoder.featureDim,
    preprocessing: preprocessingDescription(m.resolution, arch.inChannels),
    windows: windowsDescription(m),
    metricsPath: join(detectDir, 'metrics.json'),
    metricsAbout: 'the detection study: image-level scores by several aggregations, pooled out-of-fold over patient-disjoint folds with 95 % intervals, localisation and calibration',
    sources,
  });
  return {
    kind: 'patch', encoder, head, inputSize: m.view.size, poolFactor: m.view.size / m.view.input, metadata, classes: m.classes, sources,
    docString: `mammoclr ${m.task} patch classifier: probability of a lesion in each ${m.view.size} px window`,
  };
}

export async function loadRunExport(run: string, o: RunExportOptions = {}): Promise<RunExport> {
  if (!existsSync(run)) throw new Error(`${run} does not exist`);
  const evalDir = o.eval ?? join(run, 'eval');
  if (o.detect) return patchExport(run, o.detect);
  if (existsSync(join(evalDir, 'classifier.safetensors')) || o.eval) return classifierExport(run, evalDir);
  if (existsSync(join(run, 'detect', 'patch-model.json'))) return patchExport(run, join(run, 'detect'));
  throw new Error(`${run}: nothing to export: neither ${join(evalDir, 'classifier.safetensors')} (written by \`mammoclr finetune\`) nor ${join(run, 'detect', 'patch-model.json')} (written by \`mammoclr detect\`) exists`);
}
