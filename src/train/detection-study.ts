/**
 * The detection study behind `detect` and `demo --data`: patch classifiers of three encoders
 * (SimCLR-pretrained, untrained, trained from scratch on the patches) and of hand-crafted
 * classic-CAD descriptors on the same patient-disjoint folds, at each labeled fraction;
 * whole-image scores by aggregation; localisation and calibration of the pretrained one.
 * Writes `<out>/metrics.json`, `<out>/predictions.csv` and `<out>/heatmaps.json`. Its pieces
 * (the windows, the scorers, one scorer at one fraction) are exported for the detection grid
 * of `experiment` (detection-experiment.ts), which runs them cell by cell.
 */
import { join } from 'node:path';
import { saveSafetensors, tensor, type Device, type Tensor } from '../tensor/index.js';
import type { ResNet } from '../nn/resnet.js';
import type { PreparedRecord } from '../data/cache/index.js';
import { breastWindows, lesionPatches, type PreparedPlanes } from '../data/patches.js';
import { labelItems } from '../data/tasks.js';
import { patchFeatures, type PatchView } from './patch-features.js';
import { crossValidateDetection, patchTrainingSet, fitPatchProbe, AGGREGATIONS, DETECTION_DEFAULTS, type Aggregation, type DetectionImage, type DetectionInput, type DetectionResult, type PatchScorer } from './detection.js';
import type { EncoderConfig } from './encoder-io.js';
import { seededEncoder } from './from-scratch.js';
import { classicWindowFeatures } from './classic-features.js';
import { TRAINABLE } from './finetune-mode.js';
import { encoderOn } from './device.js';
import { evaluateBinary, aggregateFolds, type BinaryEvaluation } from '../eval/summary.js';
import { clusteredAucCi } from '../eval/clustered-auc.js';
import { imageScoresCsv } from '../eval/predictions-csv.js';
import { brierScore, reliabilityBins, expectedCalibrationError, signalVerdict } from '../eval/calibration.js';
import { topLocationHits, froc } from '../eval/localization.js';
import { subgroupAucs, type SubgroupAuc } from '../eval/subgroups.js';
import { pairAnalysis, type PairAnalysis } from '../eval/pairs.js';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic.js';
import { PATCH_MODEL_FORMAT, type PatchModel } from './patch-model.js';
import { compareScorers, formatComparison, type MethodComparison, type ScorerOutcome } from './method-comparison.js';

export interface StudyOptions {
  planes: PreparedPlanes;
  records: PreparedRecord[];
  task: string;
  encoder: ResNet;
  arch: EncoderConfig;
  view: PatchView;
  stride: number;
  minBreast: number;
  folds: number;
  fractions: number[];
  negatives: number;
  hardNegatives: number;
  topK: number;
  mil: boolean;
  baselines: boolean;
  supervisedEpochs: number;
  /** Also fine-tune the SimCLR encoder on the patches, per fold, in these modes (same epochs as from scratch). */
  finetune?: readonly PatchFinetuneMode[];
  bf16: boolean;
  /** Where the encoders compute features and the patch networks train ('cpu' by default); the L2 probe (L-BFGS in TypeScript) and the attention-MIL head run on the CPU. */
  device?: Device;
  seed: number;
  out: string;
  /** 'suppress' when the prepared file was made with --pectoral suppress: the deployable model then preprocesses images the same way. */
  pectoral?: 'keep' | 'suppress';
  /** Also write every window's features of each probe-scored method to `<out>/window-features.safetensors` (writeWindowFeatures). */
  saveFeatures?: boolean;
  quiet?: boolean;
}

export type Method = 'SimCLR encoder, L2 logistic probe' | 'SimCLR encoder, last-stage fine-tuned on the patches' | 'SimCLR encoder, fully fine-tuned on the patches'
  | 'untrained encoder, L2 logistic probe' | 'classic CAD features, L2 logistic probe' | 'supervised from scratch on the patches';

/** Patch classifiers that train the SimCLR weights further (the linear one is the probe). */
export const PATCH_FINETUNE_MODES = ['last-stage', 'full'] as const;
export type PatchFinetuneMode = (typeof PATCH_FINETUNE_MODES)[number];

export interface StudyRow {
  method: Method;
  fraction: number;
  aggregation: Aggregation;
  evaluation: BinaryEvaluation;
  /** Mean, sd, min and max of the per-fold values (pooling mixes five models' scales). */
  folds: ReturnType<typeof aggregateFolds>;
  brier: number;
  /** The image AUC's percentile interval from resampling women (both breasts together; the bilateral score couples them, which DeLong's interval over images ignores). */
  aucOverWomen: { lo: number; hi: number };
  verdict?: string;
}

export interface StudyResult {
  rows: StudyRow[];
  /** Test windows on a lesion against windows far from every lesion; lo and hi: percentile interval of a bootstrap over women. */
  patchAuc: { method: Method; fraction: number; auc: number; lo: number; hi: number; women: number; lesionWindows: number; backgroundWindows: number }[];
  /** The SimCLR probe against every other patch classifier at each fraction, as paired differences (method-comparison.ts). */
  comparisons: MethodComparison[];
  localisation: { topLocation: ReturnType<typeof topLocationHits>; froc: ReturnType<typeof froc>['operatingPoints'] };
  main: DetectionResult;
  /** The headline encoder's image scores by kind of finding (against every normal image) and by breast density (against the normals of that density). */
  subgroups: { aggregation: Aggregation; by: 'finding' | 'density'; groups: SubgroupAuc[] }[];
  /** The headline encoder's image scores between women and within a woman (eval/pairs.ts). */
  pairs: ({ aggregation: Aggregation } & PairAnalysis)[];
  counts: Record<string, number>;
  windows: number;
  positives: number;
}

export function detectionImages(records: PreparedRecord[], taskName: string): { classes: string[]; images: DetectionImage[] } {
  const { task, items } = labelItems(records, taskName);
  if (task.classes.length !== 2) throw new Error(`detect needs a two-class task, ${task.name} has ${task.classes.length}`);
  const images = items.map((it) => {
    const r = records[it.index]!;
    return { ...it, lesions: r.lesions, unlocated: (r.unlocatedLesions ?? 0) > 0 };
  });
  return { classes: task.classes, images };
}

/** The sliding windows and lesion-centred patches of every image a task keeps: what every scorer of a study is evaluated on. */
export function detectionInput(planes: PreparedPlanes, records: PreparedRecord[], task: string, o: { view: PatchView; stride: number; minBreast: number; seed: number }): { classes: string[]; input: DetectionInput } {
  const { classes, images } = detectionImages(records, task);
  const windows = images.flatMap((im) => breastWindows(planes, im.index, { size: o.view.size, stride: o.stride, minBreast: o.minBreast }));
  const positives = lesionPatches(planes, records.map((r) => r.lesions), images.map((im) => im.index), { size: o.view.size, seed: o.seed });
  return { classes, input: { planes, images, windows, positives } };
}

/** How the study's encoders run: features and trained patch networks on `device` (the L2 probe and the MIL head stay on the CPU). */
export interface ScorerOptions {
  view: PatchView;
  bf16: boolean;
  device?: Device;
}

/** A frozen encoder (already on o.device) and the L2 logistic probe: its features of every window and lesion patch, computed once. */
export function probeScorer(encoder: ResNet, input: DetectionInput, o: ScorerOptions): Extract<PatchScorer, { kind: 'probe' }> {
  const fo = { bf16: o.bf16, channelsLast: true, batchSize: 256, device: o.device };
  return {
    kind: 'probe',
    windowFeatures: patchFeatures(encoder, input.planes, input.windows, o.view, fo),
    lesionFeatures: patchFeatures(encoder, input.planes, input.positives, o.view, fo),
  };
}

/** The untrained-encoder baseline: the probe on the seeded initial weights of the architecture. */
export function untrainedScorer(arch: EncoderConfig, seed: number, input: DetectionInput, o: ScorerOptions): PatchScorer {
  const raw = encoderOn(seededEncoder(arch, seed + 7, { channelsLast: true }), o.device);
  try {
    return probeScorer(raw, input, o);
  } finally {
    raw.dispose();
  }
}

/** The classic-CAD baseline: the same probe on hand-crafted descriptors of the windows (classic-features.ts) instead of an encoder's features. */
export function classicScorer(input: DetectionInput, view: PatchView): Extract<PatchScorer, { kind: 'probe' }> {
  // One call, so each image's filter maps are computed once for its windows and its lesion patches.
  const all = classicWindowFeatures(input.planes, [...input.windows, ...input.positives], view.size);
  const split = all.dims * input.windows.length;
  return {
    kind: 'probe',
    windowFeatures: { values: all.values.subarray(0, split), rows: input.windows.length, dims: all.dims },
    lesionFeatures: { values: all.values.subarray(split), rows: input.positives.length, dims: all.dims },
  };
}

/** The from-scratch baseline: the same network trained on the patch pixels in each fold. */
export function scratchScorer(arch: EncoderConfig, seed: number, epochs: number, o: ScorerOptions): PatchScorer {
  return {
    kind: 'train',
    makeEncoder: () => seededEncoder(arch, seed + 7, { channelsLast: true }),
    config: { trainable: TRAINABLE.full, epochs, batchSize: 128, lr: 0.05, bf16: o.bf16, channelsLast: true, device: o.device },
    device: o.device,
  };
}

/** The pretrained weights fine-tuned on the patches in each fold (`pretrained`: the encoder's state dict). */
export function finetuneScorer(mode: PatchFinetuneMode, arch: EncoderConfig, seed: number, pretrained: Map<string, Tensor>, epochs: number, o: ScorerOptions): PatchScorer {
  return {
    kind: 'train',
    makeEncoder: () => {
      const e = seededEncoder(arch, seed + 7, { channelsLast: true });
      e.loadStateDict(pretrained);
      return e;
    },
    // A pretrained encoder is moved less than one from scratch (lr 0.05): 0.02 kept the patch AUC
    // of a full fine-tune at 78.6 on mini-MIAS in a trial, where 0.05 is the from-scratch setting.
    config: { trainable: TRAINABLE[mode], epochs, batchSize: 128, lr: 0.02, bf16: o.bf16, channelsLast: true, device: o.device },
    device: o.device,
  };
}

/** The settings of crossValidateDetection that a study keeps for every scorer and fraction. */
export interface StudyDetectionSettings {
  view: PatchView;
  folds: number;
  seed: number;
  negatives: number;
  hardNegatives: number;
  topK: number;
  mil: boolean;
}

/** One scorer at one labeled fraction: patient-disjoint k-fold detection, then each aggregation's image-level evaluation and the patch AUC. */
export async function evaluateScorer(input: DetectionInput, method: Method, scorer: PatchScorer, fraction: number, s: StudyDetectionSettings): Promise<{ result: DetectionResult; rows: StudyRow[]; patchAuc: StudyResult['patchAuc'][number] }> {
  const r = await crossValidateDetection(input, scorer, {
    ...DETECTION_DEFAULTS, view: s.view, folds: s.folds, seed: s.seed, fraction, negatives: s.negatives, hardNegatives: s.hardNegatives, topK: s.topK,
    mil: s.mil && scorer.kind === 'probe' ? DETECTION_DEFAULTS.mil : null, quiet: true,
  });
  const ci = clusteredAucCi(r.patchLabels, r.patchScores, r.patchPatients, { seed: s.seed });
  const patchAuc = { method, fraction, auc: ci.value, lo: ci.lo, hi: ci.hi, women: new Set(r.patchPatients).size, lesionWindows: r.patchLabels.filter((l) => l === 1).length, backgroundWindows: r.patchLabels.filter((l) => l === 0).length };
  const rows: StudyRow[] = [];
  for (const aggregation of AGGREGATIONS) {
    const scored = r.predictions.filter((p) => p.scores[aggregation] !== undefined);
    if (scored.length === 0) continue;
    const labels = scored.map((p) => p.label);
    const scores = scored.map((p) => p.scores[aggregation]!);
    const evaluation = evaluateBinary(labels, scores, 0.5, { trainLabels: input.images.map((im) => im.label) });
    const perFold = [...new Set(scored.map((p) => p.fold))].map((f) => {
      const sc = scored.filter((p) => p.fold === f);
      return evaluateBinary(sc.map((p) => p.label), sc.map((p) => p.scores[aggregation]!));
    });
    const women = clusteredAucCi(labels, scores, scored.map((p) => p.patientId), { seed: s.seed });
    const row: StudyRow = { method, fraction, aggregation, evaluation, folds: aggregateFolds(perFold), brier: brierScore(labels, scores), aucOverWomen: { lo: women.lo, hi: women.hi } };
    const verdict = signalVerdict(evaluation.auc);
    if (verdict) row.verdict = verdict;
    rows.push(row);
  }
  return { result: r, rows, patchAuc };
}

/** Lesion circles by image id for localisation; an image with findings but no coordinates has none (it is not scored). */
export function lesionsById(images: readonly DetectionImage[]): Record<string, readonly DetectionImage['lesions'][number][]> {
  return Object.fromEntries(images.map((im) => [im.id, im.unlocated ? [] : im.lesions]));
}

export async function runDetectionStudy(o: StudyOptions): Promise<StudyResult> {
  const log = (s: string): void => {
    if (!o.quiet) console.log(s);
  };
  const { classes, input } = detectionInput(o.planes, o.records, o.task, o);
  const { images, windows, positives } = input;
  log(`  ${images.length} images, ${windows.length} breast windows of ${o.view.size} px (input ${o.view.input} px, stride ${o.stride}), ${positives.length} lesion-centred patches`);
  const so: ScorerOptions = { view: o.view, bf16: o.bf16, device: o.device };
  const scorers: [Method, () => PatchScorer][] = [['SimCLR encoder, L2 logistic probe', () => probeScorer(o.encoder, input, so)]];
  const pretrained = o.encoder.stateDict();
  for (const mode of o.finetune ?? []) {
    scorers.push([mode === 'full' ? 'SimCLR encoder, fully fine-tuned on the patches' : 'SimCLR encoder, last-stage fine-tuned on the patches',
      () => finetuneScorer(mode, o.arch, o.seed, pretrained, o.supervisedEpochs, so)]);
  }
  if (o.baselines) {
    scorers.push(['untrained encoder, L2 logistic probe', () => untrainedScorer(o.arch, o.seed, input, so)]);
    scorers.push(['classic CAD features, L2 logistic probe', () => classicScorer(input, o.view)]);
    scorers.push(['supervised from scratch on the patches', () => scratchScorer(o.arch, o.seed, o.supervisedEpochs, so)]);
  }
  const rows: StudyRow[] = [];
  const patchAuc: StudyResult['patchAuc'] = [];
  let main: DetectionResult | undefined;
  let model: PatchModel | undefined;
  const saved: [Method, Extract<PatchScorer, { kind: 'probe' }>][] = [];
  const outcomes: ScorerOutcome[] = [];
  for (const [method, make] of scorers) {
    const started = Date.now();
    const scorer = make();
    if (o.saveFeatures && scorer.kind === 'probe') saved.push([method, scorer]);
    if (method === scorers[0]![0] && scorer.kind === 'probe') {
      // The deployable model: the same recipe fitted on every labeled image.
      const all = patchTrainingSet(input, images, { view: o.view, seed: o.seed, negatives: o.negatives }, 'all');
      const probe = fitPatchProbe(scorer, all, { seed: o.seed, hardNegatives: o.hardNegatives });
      model = { format: PATCH_MODEL_FORMAT, task: o.task, classes, resolution: o.planes.size, view: o.view, stride: o.stride, minBreast: o.minBreast, topK: o.topK, probe };
      if (o.pectoral === 'suppress') model.pectoral = 'suppress';
    }
    for (const fraction of o.fractions) {
      log(`  ${method}, ${(100 * fraction).toFixed(0)} % of the labels`);
      const e = await evaluateScorer(input, method, scorer, fraction, o);
      if (method === scorers[0]![0] && fraction === Math.max(...o.fractions)) main = e.result;
      patchAuc.push(e.patchAuc);
      rows.push(...e.rows);
      outcomes.push({ method, fraction, result: e.result });
    }
    log(`    ${((Date.now() - started) / 60000).toFixed(1)} min`);
  }
  const lesions = lesionsById(images);
  const topLocation = topLocationHits(main!.maps, lesions);
  const frocResult = froc(main!.maps, lesions, { windowSize: o.view.size, seed: o.seed });
  const counts = Object.fromEntries(classes.map((c, i) => [c, images.filter((im) => im.label === i).length]));
  const subgroups = studySubgroups(main!, o.records, images);
  const pairs = studyPairs(main!);
  const comparisons = outcomes.filter((x) => x.method !== scorers[0]![0]).map((x) => compareScorers(outcomes.find((y) => y.method === scorers[0]![0] && y.fraction === x.fraction)!, x, o.seed));
  const result: StudyResult = { rows, patchAuc, comparisons, localisation: { topLocation, froc: frocResult.operatingPoints }, main: main!, subgroups, pairs, counts, windows: windows.length, positives: positives.length };
  await writeStudy(o, classes, result);
  await writeJsonAtomic(join(o.out, 'patch-model.json'), model);
  if (o.saveFeatures) await writeWindowFeatures(join(o.out, WINDOW_FEATURES_FILE), input, saved, { task: o.task, classes, view: o.view, stride: o.stride });
  return result;
}

export const WINDOW_FEATURES_FILE = 'window-features.safetensors';

/** 'SimCLR encoder, L2 logistic probe' -> 'simclr-encoder': the method's tensor-name prefix. */
function featureKey(method: Method): string {
  return method.split(',')[0]!.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/**
 * The study's windows for classifiers of one's own: `windows` and `positives` (int32 [n, 3]:
 * row of the prepared file, x, y of the top-left corner in prepared pixels), `<key>.windows` and
 * `<key>.positives` (float32 [n, dims]) per method, and in the metadata the images (row, id,
 * patient, label, lesions in prepared pixels), the classes, the window view and the methods.
 */
async function writeWindowFeatures(path: string, input: DetectionInput, methods: [Method, Extract<PatchScorer, { kind: 'probe' }>][], about: { task: string; classes: string[]; view: PatchView; stride: number }): Promise<void> {
  const corners = (ps: readonly { image: number; x: number; y: number }[]) => tensor(Int32Array.from(ps.flatMap((p) => [p.image, p.x, p.y])), [ps.length, 3], { dtype: 'int32' });
  const tensors = new Map<string, Tensor>([['windows', corners(input.windows)], ['positives', corners(input.positives)]]);
  for (const [method, s] of methods) {
    tensors.set(`${featureKey(method)}.windows`, tensor(s.windowFeatures.values, [s.windowFeatures.rows, s.windowFeatures.dims]));
    tensors.set(`${featureKey(method)}.positives`, tensor(s.lesionFeatures.values, [s.lesionFeatures.rows, s.lesionFeatures.dims]));
  }
  try {
    await saveSafetensors(path, tensors, {
      format: 'mammoclr.window-features/1',
      task: about.task,
      classes: JSON.stringify(about.classes),
      view: JSON.stringify({ ...about.view, stride: about.stride }),
      methods: JSON.stringify(Object.fromEntries(methods.map(([m]) => [featureKey(m), m]))),
      images: JSON.stringify(input.images.map((im) => ({ row: im.index, id: im.id, patientId: im.patientId, label: im.label, lesions: im.lesions, unlocated: im.unlocated }))),
    });
  } finally {
    for (const t of tensors.values()) t.dispose();
  }
}

/** The finding's kind (the first located lesion's; MIAS gives no coordinates, and so no kind here, for some calcification clusters) and the density, for the bilateral and max scores. */
export function studySubgroups(main: DetectionResult, records: PreparedRecord[], images: DetectionImage[]): StudyResult['subgroups'] {
  const byId = new Map(images.map((im) => [im.id, records[im.index]!]));
  const finding = (id: string): string => byId.get(id)!.lesions[0]?.kind ?? 'no coordinates';
  const density = (id: string): string => byId.get(id)!.density ?? 'not stated';
  const out: StudyResult['subgroups'] = [];
  for (const aggregation of ['bilateral', 'max'] as const) {
    const p = main.predictions.filter((x) => x.scores[aggregation] !== undefined);
    const labels = p.map((x) => x.label);
    const scores = p.map((x) => x.scores[aggregation]!);
    out.push({ aggregation, by: 'finding', groups: subgroupAucs(labels, scores, (i) => finding(p[i]!.id)) });
    out.push({ aggregation, by: 'density', groups: subgroupAucs(labels, scores, (i) => density(p[i]!.id), (i) => density(p[i]!.id)) });
  }
  return out;
}

/** Each aggregation of the headline encoder: which breast of a woman with one positive image, and women with any positive image against the rest. */
export function studyPairs(main: DetectionResult): StudyResult['pairs'] {
  return AGGREGATIONS.flatMap((aggregation) => {
    const p = main.predictions.filter((x) => x.scores[aggregation] !== undefined);
    return p.length ? [{ aggregation, ...pairAnalysis(p.map((x) => x.label), p.map((x) => x.scores[aggregation]!), p.map((x) => x.patientId)) }] : [];
  });
}

async function writeStudy(o: StudyOptions, classes: string[], r: StudyResult): Promise<void> {
  const mainRows = r.rows.filter((x) => x.method === 'SimCLR encoder, L2 logistic probe' && x.fraction === Math.max(...o.fractions));
  await writeJsonAtomic(join(o.out, 'metrics.json'), {
    task: o.task,
    classes,
    counts: r.counts,
    view: o.view,
    stride: o.stride,
    windows: r.windows,
    lesionPatches: r.positives,
    folds: o.folds,
    results: r.rows,
    patchAuc: r.patchAuc,
    comparisons: r.comparisons,
    subgroups: r.subgroups,
    pairs: r.pairs,
    calibration: Object.fromEntries(mainRows.map((x) => {
      const scored = r.main.predictions.filter((p) => p.scores[x.aggregation] !== undefined);
      const labels = scored.map((p) => p.label);
      const scores = scored.map((p) => p.scores[x.aggregation]!);
      return [x.aggregation, { brier: x.brier, ece: expectedCalibrationError(labels, scores), bins: reliabilityBins(labels, scores) }];
    })),
    localisation: {
      topLocation: { hits: r.localisation.topLocation.hits, n: r.localisation.topLocation.n, rate: r.localisation.topLocation.rate, chance: r.localisation.topLocation.chance, ratio: r.localisation.topLocation.ratio },
      froc: r.localisation.froc,
      units: `window centres within the lesion radius, in prepared pixels (${o.view.size} px windows)`,
    },
  });
  await writeFileAtomic(join(o.out, 'predictions.csv'), imageScoresCsv(AGGREGATIONS, r.main.predictions));
  await writeJsonAtomic(join(o.out, 'heatmaps.json'), { windowSize: o.view.size, size: o.planes.size, maps: r.main.maps });
}

const pct = (x: number): string => (Number.isFinite(x) ? (100 * x).toFixed(1) : 'n/a');

/** The study as a console table: AUC with its interval, accuracy against the majority class. */
export function formatStudy(r: StudyResult): string {
  const out: string[] = [];
  const first = r.rows[0]?.evaluation;
  if (first) out.push(`  image level, ${first.n} images (${first.positives} positive), pooled out-of-fold; AUC % [95 % CI, DeLong] (and from resampling women); majority class ${pct(first.baseline.accuracy.value)} %`);
  for (const x of r.rows) {
    const e = x.evaluation;
    out.push(`  ${x.method.padEnd(40)} ${`${pct(x.fraction)} %`.padStart(7)} ${x.aggregation.padEnd(13)} AUC ${pct(e.auc.value)} [${pct(e.auc.lo)}, ${pct(e.auc.hi)}] (over women [${pct(x.aucOverWomen.lo)}, ${pct(x.aucOverWomen.hi)}])  fold mean ${pct(x.folds['auc.value']?.mean ?? NaN)}  Brier ${x.brier.toFixed(3)}${x.verdict ? `  (${x.verdict})` : ''}`);
  }
  for (const g of r.subgroups) {
    const cells = g.groups.map((x) => `${x.group} (${x.positives} vs ${x.negatives}) ${x.auc ? `${pct(x.auc.value)} [${pct(x.auc.lo)}, ${pct(x.auc.hi)}]` : 'n/a'}`);
    out.push(`  AUC by ${g.by}, ${g.aggregation}: ${cells.join('; ')}`);
  }
  for (const p of r.pairs) {
    const w = p.women ? `${pct(p.women.auc)} [${pct(p.women.lo)}, ${pct(p.women.hi)}] (${p.women.m} vs ${p.women.n} women)` : 'n/a';
    out.push(`  ${p.aggregation}: the positive breast above its partner in ${p.side.k}/${p.side.n} women = ${pct(p.side.value)} % [${pct(p.side.lo)}, ${pct(p.side.hi)}] (chance 50 %); women with a positive image against the rest, by their highest image score: AUC ${w}`);
  }
  for (const p of r.patchAuc) out.push(`  patch AUC, ${p.method}, ${pct(p.fraction)} %: ${pct(p.auc)} [${pct(p.lo)}, ${pct(p.hi)}] (${p.lesionWindows} lesion vs ${p.backgroundWindows} background test windows of ${p.women} women; interval: bootstrap over women)`);
  for (const c of r.comparisons) out.push(`  ${formatComparison(c)}`);
  const t = r.localisation.topLocation;
  out.push(`  top location on a lesion: ${t.hits}/${t.n} = ${pct(t.rate.value)} % [${pct(t.rate.lo)}, ${pct(t.rate.hi)}], chance ${pct(t.chance)} % (${t.ratio.toFixed(1)}x)`);
  for (const f of r.localisation.froc) out.push(`  FROC: sensitivity ${pct(f.sensitivity)} % [${pct(f.lo)}, ${pct(f.hi)}] at ${f.target} false marks per image`);
  return out.join('\n');
}
