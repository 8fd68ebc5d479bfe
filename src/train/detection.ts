/**
 * Patient-disjoint cross-validated detection on patches (Shen et al. 2019: a patch classifier
 * on lesion-centred and background windows, whole-image scores from the windows; Ilse et al.
 * 2018 for the attention-MIL image head). Per fold, the patch classifier learns from the
 * training images only: lesion-centred windows of their annotated lesions against breast
 * windows far from every lesion. Every window of a test image is then scored, and the image
 * score is the maximum, the mean of the top k, that mean against the other breast's, or an attention-MIL head trained on the
 * training images' labels alone (so images without lesion coordinates still count).
 */
import { Tensor, tensor, type Device } from '../tensor/index.js';
import type { ResNet } from '../nn/resnet.js';
import { farFromLesions, onLesion, windowCentre, type LabeledPatch, type PatchLocation, type PreparedPlanes, cropPatches } from '../data/patches.js';
import type { Lesion } from '../data/records.js';
import { kFoldByPatient, labeledFractions, assertPatientDisjoint } from '../data/splits.js';
import { createRng } from '../data/rng.js';
import { fitLogisticProbe, predictProbabilities, standardizeRows, type LogisticProbe } from './logistic-probe.js';
import { trainAttentionMil, type MilBag, type MilTrainConfig } from './mil.js';
import { trainClassifier, predictImages, type ClassifierTrainingConfig } from './supervised.js';
import { pickRows, type PatchFeatures, type PatchView } from './patch-features.js';
import { maxScore, topKMean } from '../eval/aggregate.js';
import type { ScoreMap } from '../eval/localization.js';

export interface DetectionImage {
  /** Row of the prepared images. */
  index: number;
  id: string;
  patientId: string;
  /** 0 = normal, 1 = abnormal. */
  label: number;
  lesions: readonly Lesion[];
  /** Findings without coordinates: the image gives no background negatives. */
  unlocated: boolean;
}

export interface DetectionConfig {
  view: PatchView;
  folds: number;
  seed: number;
  /** Share of each fold's training images whose labels (and lesion marks) are used. */
  fraction: number;
  /** Background windows drawn per fold for the patch classifier (at most). */
  negatives: number;
  /**
   * Hard negatives: after a first fit, this many of the training background windows that the
   * probe scores highest join the negatives and the probe is fitted again. An image's score is
   * set by its worst window, so those windows matter more than random ones (Shen et al. 2019).
   */
  hardNegatives: number;
  /** Image score = mean of the k highest window scores. */
  topK: number;
  mil: Partial<MilTrainConfig> | null;
  quiet?: boolean;
}

export const DETECTION_DEFAULTS: Omit<DetectionConfig, 'view'> = { folds: 5, seed: 1, fraction: 1, negatives: 3000, hardNegatives: 1000, topK: 3, mil: { epochs: 30 } };

/**
 * How windows are scored. 'probe': a frozen encoder's features (computed once, outside) and an
 * L2 logistic regression with its strength chosen by inner patient-disjoint CV. 'train': a
 * network trained per fold on the patch pixels (from scratch: the supervised baseline; from
 * pretrained weights: fine-tuning).
 */
export type PatchScorer =
  | { kind: 'probe'; windowFeatures: PatchFeatures; lesionFeatures: PatchFeatures }
  | { kind: 'train'; makeEncoder: () => ResNet; config: Partial<ClassifierTrainingConfig>; device?: Device };

export interface DetectionInput {
  planes: PreparedPlanes;
  images: DetectionImage[];
  /** The sliding windows of every image (breastWindows), and the image each belongs to. */
  windows: PatchLocation[];
  /** Lesion-centred positives of every image (lesionPatches); a fold keeps its training images'. */
  positives: LabeledPatch[];
}

/**
 * A decade grid: the inner CV's choice moves the patch AUC by less than the fold-to-fold spread,
 * and each extra value is one fit per inner fold. It starts at 1e-2: in mini-MIAS's all-image
 * probe 1e-4 and 1e-3 scored inner log loss 0.92 and 0.76 against 0.59 at 0.1 (256 features), and
 * each ran into the 300-iteration cap in every inner fold: most of the probe's time.
 */
export const PATCH_PROBE_LAMBDAS = [1e-2, 1e-1, 1, 10, 100];

export const AGGREGATIONS = ['max', 'top-k mean', 'bilateral', 'attention MIL'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

export interface DetectionPrediction {
  id: string;
  patientId: string;
  label: number;
  fold: number;
  /** Whole-image probability of abnormal by aggregation. */
  scores: Partial<Record<Aggregation, number>>;
}

export interface DetectionResult {
  predictions: DetectionPrediction[];
  /** Every test window's patch probability, per image (the heatmap; localisation reads it). */
  maps: ScoreMap[];
  /** Test windows on a lesion (centre within its radius) against windows far from every lesion: the patch classifier's own AUC inputs. */
  patchLabels: number[];
  patchScores: number[];
  /** The woman each of those windows belongs to: the unit the patch AUC's interval resamples. */
  patchPatients: string[];
  probes: LogisticProbe[];
}

export async function crossValidateDetection(input: DetectionInput, scorer: PatchScorer, cfg: DetectionConfig): Promise<DetectionResult> {
  const { images, windows, positives } = input;
  const size = cfg.view.size;
  const windowsOf = groupBy(windows.map((w, k) => [w.image, k] as const));
  const positivesOf = groupBy(positives.map((p, k) => [p.image, k] as const));
  const folds = kFoldByPatient(images, cfg.folds, cfg.seed);
  const out: DetectionResult = { predictions: [], maps: [], patchLabels: [], patchScores: [], patchPatients: [], probes: [] };
  for (const [f, fold] of folds.entries()) {
    assertPatientDisjoint(fold.train, fold.test, [`fold ${f + 1} train`, `fold ${f + 1} test`]);
    const train = cfg.fraction >= 1 ? fold.train : labeledFractions(fold.train, cfg.seed, [cfg.fraction]).get(cfg.fraction)!;
    const t = patchTrainingSet(input, train, cfg, f, windowsOf, positivesOf);
    const { neg, pos } = t;
    const testWindows = fold.test.flatMap((im) => windowsOf.get(im.index) ?? []);
    const labels = [...neg.map(() => 0), ...pos.map(() => 1)];
    let scores: Float64Array;
    if (scorer.kind === 'probe') {
      const probe = fitPatchProbe(scorer, t, cfg);
      out.probes.push(probe);
      scores = windowProbabilities(probe, scorer.windowFeatures, testWindows);
    } else scores = await trainedScores(scorer, input, neg, pos, labels, testWindows, cfg, f);
    const scoreOf = new Map(testWindows.map((k, i) => [k, scores[i]!]));

    const milScores = new Map<number, number>();
    if (cfg.mil && scorer.kind === 'probe') {
      // The MIL head trains on the features as the fold's probe scaled them.
      const probe = out.probes[out.probes.length - 1]!;
      const scale = { mean: Float64Array.from(probe.mean), std: Float64Array.from(probe.std) };
      const bagOf = (im: DetectionImage): MilBag => {
        const rows = windowsOf.get(im.index) ?? [];
        return { features: Float32Array.from(standardizeRows(scorer.windowFeatures.values, scorer.windowFeatures.dims, rows, scale)), k: rows.length };
      };
      const trainBags = train.filter((im) => (windowsOf.get(im.index) ?? []).length > 0);
      const mil = trainAttentionMil(trainBags.map(bagOf), trainBags.map((im) => im.label), { classWeights: 'balanced', seed: cfg.seed + f, ...cfg.mil });
      const testBags = fold.test.filter((im) => (windowsOf.get(im.index) ?? []).length > 0);
      mil.predict(testBags.map(bagOf)).forEach((p, i) => milScores.set(testBags[i]!.index, p.probability));
      mil.head.dispose();
    }

    const foldStart = out.predictions.length;
    for (const im of fold.test) {
      const rows = windowsOf.get(im.index) ?? [];
      const s = rows.map((k) => scoreOf.get(k)!);
      const scoresOut: DetectionPrediction['scores'] = rows.length
        ? { max: maxScore(s), 'top-k mean': topKMean(s, cfg.topK) }
        : { max: 0, 'top-k mean': 0 };
      if (milScores.has(im.index)) scoresOut['attention MIL'] = milScores.get(im.index)!;
      out.predictions.push({ id: im.id, patientId: im.patientId, label: im.label, fold: f + 1, scores: scoresOut });
      out.maps.push({ image: im.id, patientId: im.patientId, windows: rows.map((k, i) => ({ ...windowCentre(windows[k]!, size), score: s[i]! })) });
      if (im.unlocated) continue;
      rows.forEach((k, i) => {
        const on = onLesion(windows[k]!, size, im.lesions);
        if (on || farFromLesions(windows[k]!, size, im.lesions)) {
          out.patchLabels.push(on ? 1 : 0);
          out.patchScores.push(s[i]!);
          out.patchPatients.push(im.patientId);
        }
      });
    }
    addBilateral(out.predictions.slice(foldStart));
    if (!cfg.quiet) console.log(`  fold ${f + 1}/${cfg.folds}: ${pos.length} lesion and ${neg.length} background patches from ${train.length} images; ${fold.test.length} test images scored`);
  }
  return out;
}

/**
 * 'bilateral': (top-k mean - the other breast's top-k mean + 1) / 2. Dense tissue raises the
 * window scores of both breasts of a woman; a lesion raises one. Both images of a woman are
 * always in the same test fold (folds are patient-disjoint), so this uses no training label.
 * An image without a partner keeps its top-k mean.
 */
function addBilateral(predictions: DetectionPrediction[]): void {
  for (const p of predictions) {
    const other = predictions.find((q) => q !== p && q.patientId === p.patientId);
    const own = p.scores['top-k mean']!;
    p.scores.bilateral = other ? (own - other.scores['top-k mean']! + 1) / 2 : own;
  }
}

/** The patch classifier's training windows from a set of labeled images. */
export interface PatchTrainingSet {
  /** Random background windows (rows of input.windows), at most cfg.negatives. */
  neg: number[];
  /** Lesion-centred patches (rows of input.positives). */
  pos: number[];
  /** Every window far from a lesion: where hard negatives come from. */
  background: number[];
  patientOf: (window: number) => string;
  /** Patient of each row of [neg, pos], for the inner cross-validation. */
  groups: string[];
}

/** `fold` (0-based) seeds the background sample; 'all' is the final model's. */
export function patchTrainingSet(input: DetectionInput, train: readonly DetectionImage[], cfg: Pick<DetectionConfig, 'view' | 'seed' | 'negatives'>, fold: number | 'all',
  windowsOf = groupBy(input.windows.map((w, k) => [w.image, k] as const)), positivesOf = groupBy(input.positives.map((p, k) => [p.image, k] as const))): PatchTrainingSet {
  const { windows, positives } = input;
  const what = fold === 'all' ? 'all images' : `fold ${fold + 1}`;
  const patientOfImage = new Map(input.images.map((im) => [im.index, im.patientId]));
  const pos = train.flatMap((im) => positivesOf.get(im.index) ?? []);
  if (pos.length === 0) throw new Error(`${what}: no lesion-centred patch among ${train.length} training images (no annotated lesion on the breast)`);
  const background = train.flatMap((im) => (im.unlocated ? [] : (windowsOf.get(im.index) ?? []).filter((k) => farFromLesions(windows[k]!, cfg.view.size, im.lesions))));
  const neg = createRng(cfg.seed, 'negatives', fold).shuffle(background).slice(0, cfg.negatives).sort((a, b) => a - b);
  const patientOf = (k: number): string => patientOfImage.get(windows[k]!.image)!;
  const groups = [...neg.map(patientOf), ...pos.map((k) => patientOfImage.get(positives[k]!.image)!)];
  return { neg, pos, background, patientOf, groups };
}

/** The L2 logistic patch probe, refitted once with the hardest background windows of its first fit. */
export function fitPatchProbe(scorer: Extract<PatchScorer, { kind: 'probe' }>, t: PatchTrainingSet, cfg: Pick<DetectionConfig, 'seed' | 'hardNegatives'>): LogisticProbe {
  const { windowFeatures: wf, lesionFeatures: lf } = scorer;
  const fit = (neg: number[], groups: string[]): LogisticProbe => {
    const x = new Float32Array((neg.length + t.pos.length) * wf.dims);
    x.set(pickRows(wf, neg).values, 0);
    x.set(pickRows(lf, t.pos).values, neg.length * wf.dims);
    const labels = [...neg.map(() => 0), ...t.pos.map(() => 1)];
    return fitLogisticProbe(x, labels.length, wf.dims, labels, groups, { classWeights: 'balanced', seed: cfg.seed, lambdas: PATCH_PROBE_LAMBDAS, lbfgs: { maxIterations: 300 } });
  };
  const probe = fit(t.neg, t.groups);
  if (cfg.hardNegatives <= 0) return probe;
  const chosen = new Set(t.neg);
  const rest = t.background.filter((k) => !chosen.has(k));
  const s = windowProbabilities(probe, wf, rest);
  const hard = rest.map((k, i) => [k, s[i]!] as const).sort((a, b) => b[1] - a[1]).slice(0, cfg.hardNegatives).map(([k]) => k);
  const neg = [...t.neg, ...hard];
  return fit(neg, [...neg.map(t.patientOf), ...t.groups.slice(t.neg.length)]);
}

/** P(lesion) of the given feature rows. */
export function windowProbabilities(probe: LogisticProbe, features: PatchFeatures, rows: readonly number[]): Float64Array {
  const p = predictProbabilities(probe, pickRows(features, rows).values, rows.length);
  return Float64Array.from({ length: rows.length }, (_, i) => p[2 * i + 1]!);
}

async function trainedScores(scorer: Extract<PatchScorer, { kind: 'train' }>, input: DetectionInput, neg: number[], pos: number[], labels: number[], testWindows: number[], cfg: DetectionConfig, fold: number): Promise<Float64Array> {
  const encoder = scorer.makeEncoder();
  const locations: PatchLocation[] = [...neg.map((k) => input.windows[k]!), ...pos.map((k) => input.positives[k]!)];
  const pixels = cropPatches(input.planes, locations, cfg.view.size, cfg.view.input);
  const y = tensor(labels, { dtype: 'int64' });
  try {
    const { classifier } = await trainClassifier(encoder, pixels, y, 2, { classWeights: 'balanced', seed: cfg.seed + fold, ...scorer.config }, { quiet: cfg.quiet });
    const scores = new Float64Array(testWindows.length);
    const chunk = 2048;
    for (let i = 0; i < testWindows.length; i += chunk) {
      const part = testWindows.slice(i, i + chunk).map((k) => input.windows[k]!);
      const crops = cropPatches(input.planes, part, cfg.view.size, cfg.view.input);
      const probs: Tensor = predictImages(encoder, classifier, crops, { bf16: scorer.config.bf16, channelsLast: scorer.config.channelsLast, device: scorer.device });
      const p = probs.toFloat32Array();
      for (let j = 0; j < part.length; j++) scores[i + j] = p[2 * j + 1]!;
      probs.dispose();
      crops.dispose();
    }
    classifier.dispose();
    return scores;
  } finally {
    pixels.dispose();
    y.dispose();
    encoder.dispose();
  }
}

function groupBy(pairs: readonly (readonly [number, number])[]): Map<number, number[]> {
  const m = new Map<number, number[]>();
  for (const [key, v] of pairs) {
    const list = m.get(key);
    if (list) list.push(v);
    else m.set(key, [v]);
  }
  return m;
}
