/**
 * `demo --data <mini-MIAS>`: the detection pipeline on real mammograms in one command. Prepare
 * at 512 px, SimCLR on breast-tissue windows, then the detection study (patch classifier on the
 * frozen encoder against the untrained encoder, classic CAD features and a from-scratch network, whole-image scores,
 * localisation). Sized for a 2-core CPU: 19 min measured with nothing else running (target 30).
 */
import { join } from 'node:path';
import { collectSource, prepareDataset, loadPreparedDataset, pectoralSummary } from '../data/cache/index.js';
import { PreparedPlanes } from '../data/patches.js';
import { openPretrainPatches } from '../train/patch-pretrain.js';
import { pretrain, pretrainDefaults } from '../train/pretrain.js';
import { runDetectionStudy, formatStudy, type Method, type StudyResult } from '../train/detection-study.js';
import { writeJsonAtomic } from '../io/atomic.js';
import { buildReport } from '../report/index.js';
import { bf16Default } from './common-options.js';
import { pretrainingInterrupted } from './interrupted.js';
import { parseArch, type ArchName } from './arch.js';

export interface DetectDemoOptions {
  data: string;
  out: string;
  arch: ArchName;
  width: number;
  epochs: number;
  seed: number;
  /** 'suppress': prepare removes the pectoral muscle (prepare --pectoral suppress). */
  pectoral?: 'keep' | 'suppress';
}

/** Window of 64 px at 512 px (26 mm of mini-MIAS) seen at 32 px: the paper's input size, at patch scale. */
export const DEMO_VIEW = { size: 64, input: 32 } as const;
export const DEMO_RESOLUTION = 512;
export const DEMO_PATCHES = 16000;
export const DETECT_DEMO_EPOCHS = 6;

const HEADLINE_BASELINES: [Method, string][] = [
  ['untrained encoder, L2 logistic probe', 'untrained encoder'],
  ['classic CAD features, L2 logistic probe', 'classic CAD features'],
  ['supervised from scratch on the patches', 'from scratch'],
];

/**
 * The demo's last line: the SimCLR bilateral image AUC with all labels and its interval, then
 * the same score of each baseline and the majority class's accuracy, so the headline is never
 * read without what it has to beat.
 */
export function detectDemoHeadline(result: StudyResult, minutes: number, peakGb: number): string {
  const row = (method: Method) => result.rows.find((r) => r.method === method && r.fraction === 1 && r.aggregation === 'bilateral');
  const bilateral = (method: Method) => row(method)?.evaluation;
  const ci = (e: NonNullable<ReturnType<typeof bilateral>>) => `${pct(e.auc.value)} [${pct(e.auc.lo)}, ${pct(e.auc.hi)}]`;
  const main = bilateral('SimCLR encoder, L2 logistic probe');
  const women = row('SimCLR encoder, L2 logistic probe')?.aucOverWomen;
  if (!main) throw new Error('the detection study has no SimCLR bilateral row at 100 % of the labels');
  const beside = HEADLINE_BASELINES.flatMap(([method, name]) => {
    const e = bilateral(method);
    return e ? [`${name} ${ci(e)}`] : [];
  });
  return `done in ${minutes.toFixed(1)} min; AUC ${pct(main.auc.value)} % [${pct(main.auc.lo)}, ${pct(main.auc.hi)}] (SimCLR, bilateral top-3 window scores, all labels${women ? `; [${pct(women.lo)}, ${pct(women.hi)}] resampling women` : ''})`
    + `${beside.length ? `; beside it ${beside.join(', ')}` : ''}; majority class ${pct(main.baseline.accuracy.value)} % accurate; peak memory ${peakGb.toFixed(1)} GB`;
}

const pct = (x: number): string => (100 * x).toFixed(1);

export async function runDetectDemo(o: DetectDemoOptions): Promise<void> {
  const started = Date.now();
  const step = (i: number, what: string): void => console.log(`[${i}/4] ${what} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  const bf16 = bf16Default();
  const pectoral = o.pectoral ?? 'keep';
  step(1, `preparing mini-MIAS from ${o.data} at ${DEMO_RESOLUTION} px${pectoral === 'suppress' ? ', pectoral muscle removed' : ''}`);
  const source = await collectSource('mias', o.data, { sizes: [DEMO_RESOLUTION] });
  const prepared = await prepareDataset({ source, out: join(o.out, 'data'), sizes: [DEMO_RESOLUTION], pectoral });
  const removed = pectoralSummary(prepared.report);
  if (removed) console.log(`  ${removed}`);
  if (prepared.report.skipped.length) console.log(`  skipped ${prepared.report.skipped.length} unreadable files (see ${prepared.reportPath})`);
  const path = prepared.files[0]!.path;

  const cfg = pretrainDefaults();
  cfg.encoder = parseArch(o.arch, { width: o.width });
  cfg.epochs = o.epochs;
  cfg.batchSize = 256;
  cfg.optimizer = { ...cfg.optimizer, lr: 1.0, warmupEpochs: Math.min(1, o.epochs - 1) };
  cfg.checkpointEvery = 1;
  cfg.seed = o.seed;
  cfg.bf16 = bf16;
  const patch = { ...DEMO_VIEW, count: DEMO_PATCHES, minBreast: 0.5, seed: o.seed };
  await writeJsonAtomic(join(o.out, 'config.json'), { command: 'demo', data: path, ...cfg, patch });
  step(2, `SimCLR on ${DEMO_PATCHES} breast-tissue windows (${DEMO_VIEW.size} px at ${DEMO_RESOLUTION} px, input ${DEMO_VIEW.input} px): ResNet-${cfg.encoder.depth} width ${o.width}, ${cfg.epochs} epochs, batch ${cfg.batchSize}, ${bf16 ? 'bf16' : 'fp32'}`);
  const patches = await openPretrainPatches(path, patch);
  const run = await pretrain(cfg, { images: patches.images, runDir: o.out });
  await patches.images.dispose();
  if (pretrainingInterrupted(run)) return;
  run.head.dispose();

  step(3, 'detection study: patch classifiers, whole-image scores and localisation on 5 patient-disjoint folds, at 10, 25 and 100 % of the labels');
  const d = await loadPreparedDataset(path);
  try {
    const result = await runDetectionStudy({
      planes: PreparedPlanes.fromTensor(d.images), records: d.records, task: 'normal-vs-abnormal', encoder: run.encoder, arch: cfg.encoder,
      view: DEMO_VIEW, stride: DEMO_VIEW.size / 2, minBreast: 0.5, folds: 5, fractions: [0.1, 0.25, 1], negatives: 3000, hardNegatives: 1000, topK: 3,
      mil: true, baselines: true, supervisedEpochs: 4, bf16, seed: o.seed, out: join(o.out, 'detect'), pectoral,
    });
    step(4, 'summary');
    console.log(`\nnormal-vs-abnormal, mini-MIAS at ${DEMO_RESOLUTION} px:`);
    console.log(formatStudy(result));
    console.log(`\n${detectDemoHeadline(result, (Date.now() - started) / 60000, process.resourceUsage().maxRSS / 2 ** 20)}`);
    const report = await buildReport(o.out);
    console.log(`results: ${join(o.out, 'detect')}; report: ${report.path}`);
  } finally {
    d.images.dispose();
    run.encoder.dispose();
  }
}
