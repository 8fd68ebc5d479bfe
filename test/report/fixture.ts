// A small synthetic run directory, written the way the training and evaluation commands will.
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { evaluateBinary, aggregateFolds } from '../../src/eval/summary.js';

export const LABELS = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
export const SCORES = [0.9, 0.8, 0.6, 0.3, 0.7, 0.55, 0.4, 0.2, 0.1, 0.05];
// The supervised baseline: a weaker model on the same test set.
export const SUPERVISED_SCORES = [0.7, 0.45, 0.6, 0.3, 0.65, 0.55, 0.5, 0.2, 0.35, 0.05];
export const EVIL_ID = '<b>x</b>';

export async function emptyRun(config: unknown = { seed: 1 }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mammoclr-report-'));
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

/** Tiny solid-colour PNG standing in for a Grad-CAM overlay. */
export function tinyPng(r: number, g: number, b: number): Promise<Buffer> {
  return sharp({ create: { width: 8, height: 8, channels: 3, background: { r, g, b } } }).png().toBuffer();
}

type Evaluation = ReturnType<typeof evaluateBinary>;

/** The shape `finetune` writes for a model: pooled evaluation, per-fold results, their aggregate. */
function cvBody(scores: number[]) {
  const evaluation = evaluateBinary(LABELS, scores, 0.5, { bootstrap: { B: 200, seed: 1 } });
  // Two patient-disjoint folds: even and odd indices (each holds both classes).
  const folds = [0, 1].map((fold) => {
    const idx = LABELS.map((_, i) => i).filter((i) => i % 2 === fold);
    const e = evaluateBinary(idx.map((i) => LABELS[i]!), idx.map((i) => scores[i]!), 0.5, { bootstrap: { B: 50, seed: 1 } });
    return { fold, trainImages: 5, trainPatients: 5, testImages: 5, evaluation: e };
  });
  return { classes: ['normal', 'abnormal'], evaluation, baseline: evaluation.baseline, folds, aggregate: aggregateFolds(folds.map((f) => f.evaluation)) };
}

function predictionsCsv(scores: number[]): string {
  return `${['id,patient_id,label,score,fold', ...LABELS.map((l, i) => `img${i},p${i},${l},${scores[i]},${i % 2}`)].join('\n')}\n`;
}

export interface FullRun {
  dir: string;
  evaluation: Evaluation;
  supervised: Evaluation;
  aggregate: ReturnType<typeof aggregateFolds>;
  pngs: { tp: Buffer; fp: Buffer };
}

export async function fullRun(): Promise<FullRun> {
  const dir = await emptyRun({ model: { arch: 'resnet18', projection: 128 }, pretrain: { epochs: 2, temperature: 0.1 }, note: 'a & b' });
  // 2 epochs x 10 steps, then a half-written line as a killed run leaves it.
  const lines: string[] = [];
  for (let i = 0; i < 20; i++) {
    const epoch = Math.floor(i / 10);
    lines.push(JSON.stringify({ type: 'step', epoch, step: i + 1, loss: 4 - i * 0.1, lr: 0.01 * (i + 1), imagesPerSecond: 50, dataWaitFraction: 0.1 }));
    if (i % 10 === 9) lines.push(JSON.stringify({ type: 'epoch', epoch, loss: 4 - i * 0.1 + 0.45, knnAccuracy: 0.6 + epoch * 0.1 }));
  }
  await writeFile(join(dir, 'log.jsonl'), `${lines.join('\n')}\n{"type":"st`);
  await writeFile(
    join(dir, 'data.json'),
    JSON.stringify({
      dataset: 'phantom',
      size: 64,
      counts: { train: { normal: 30, abnormal: 20 }, test: { normal: 6, abnormal: 4 } },
      skipped: [
        { source: 'mdb999.pgm', reason: 'truncated header' },
        { source: 'x<y>.dcm', reason: 'no pixel data & "bad"' },
      ],
    }),
  );
  const model = cvBody(SCORES);
  const supervised = cvBody(SUPERVISED_SCORES);
  await mkdir(join(dir, 'eval'));
  await writeFile(
    join(dir, 'eval', 'metrics.json'),
    JSON.stringify({ task: 'normal-vs-abnormal', method: 'linear on /runs/a/encoder.safetensors', ...model, supervised, fraction: 0.5 }),
  );
  await writeFile(join(dir, 'eval', 'predictions.csv'), predictionsCsv(SCORES));
  await writeFile(join(dir, 'eval', 'predictions-supervised.csv'), predictionsCsv(SUPERVISED_SCORES));
  const pngs = { tp: await tinyPng(255, 0, 0), fp: await tinyPng(0, 0, 255) };
  await mkdir(join(dir, 'gradcam', 'tp'), { recursive: true });
  await mkdir(join(dir, 'gradcam', 'fp'), { recursive: true });
  await writeFile(join(dir, 'gradcam', 'tp', 'a.png'), pngs.tp);
  await writeFile(join(dir, 'gradcam', 'fp', 'b.png'), pngs.fp);
  await writeFile(
    join(dir, 'gradcam', 'index.json'),
    JSON.stringify([
      { file: 'tp/a.png', kind: 'tp', id: EVIL_ID, label: 1, score: 0.9 },
      { file: 'b.png', kind: 'fp', id: 'mdb002', label: 0, score: 0.7 },
    ]),
  );
  return { dir, evaluation: model.evaluation, supervised: supervised.evaluation, aggregate: model.aggregate, pngs };
}
