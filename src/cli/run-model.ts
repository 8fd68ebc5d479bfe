/** The deployable model of a run: its encoder and the classifier `finetune` fitted on all labels. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadSafetensors } from '../tensor/index.js';
import { LinearClassifier } from '../nn/heads.js';
import type { ResNet } from '../nn/resnet.js';
import { loadEncoderFile } from '../train/encoder-io.js';

export interface RunModel {
  encoder: ResNet;
  classifier: LinearClassifier;
  classes: string[];
  task: string;
  /** The input side the model was trained at. */
  size: number;
  /** The encoder file read. */
  encoderPath: string;
}

export async function loadRunModel(run: string, evalDir = join(run, 'eval')): Promise<RunModel> {
  const classifierPath = join(evalDir, 'classifier.safetensors');
  if (!existsSync(classifierPath)) throw new Error(`${classifierPath} does not exist: run \`mammoclr finetune ${run} --data ...\` first`);
  const { tensors, metadata } = await loadSafetensors(classifierPath);
  try {
    const classes = JSON.parse(metadata.classes ?? 'null') as string[] | null;
    if (!classes || !metadata.size) throw new Error(`${classifierPath}: metadata lacks classes or input size`);
    const encoderPath = existsSync(join(run, 'encoder.safetensors')) ? join(run, 'encoder.safetensors') : metadata.encoder;
    if (!encoderPath || !existsSync(encoderPath)) throw new Error(`${join(run, 'encoder.safetensors')} does not exist${metadata.encoder ? `, nor ${metadata.encoder} (the encoder ${classifierPath} names)` : ''}`);
    const encoder = await loadEncoderFile(encoderPath);
    const weight = tensors.get('fc.weight');
    if (!weight) throw new Error(`${classifierPath}: no fc.weight`);
    const classifier = new LinearClassifier(weight.shape[1]!, weight.shape[0]!);
    classifier.loadStateDict(tensors);
    encoder.eval();
    classifier.eval();
    return { encoder, classifier, classes, task: metadata.task ?? 'unknown', size: Number(metadata.size), encoderPath };
  } finally {
    for (const t of tensors.values()) t.dispose();
  }
}
