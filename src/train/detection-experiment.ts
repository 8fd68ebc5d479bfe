/**
 * The detection pipeline of `pretrain --patch-size` and `detect` as a grid (`experiment` with a
 * "detection" section): resolution (one prepared file per size, the size read from the file) x
 * window (side in prepared pixels, network input side) x patch-SimCLR setting (temperature,
 * epochs) x labeled fraction, and per window the untrained-encoder and from-scratch baselines
 * that `detect` computes. Every piece is the study's own (detection-study.ts): the windows, the
 * scorers and the evaluation of one scorer at one fraction; the pretraining is patch SimCLR on
 * the windows `pretrain --patch-size` samples (patch-pretrain.ts), and each pretraining run
 * folder is one `detect` can take. Every finished pretraining run and every finished cell is a
 * file; a rerun skips them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadPreparedDataset, readPreparedHeader, type PreparedRecord } from '../data/cache/index.js';
import { PreparedPlanes } from '../data/patches.js';
import type { Device } from '../tensor/index.js';
import { topLocationHits } from '../eval/localization.js';
import { writeJsonAtomic } from '../io/atomic.js';
import { loadEncoderFile, type EncoderConfig } from './encoder-io.js';
import { gridPretrainConfig, markdownGrid, pretrainOnce } from './experiment.js';
import { encoderOn } from './device.js';
import { openPretrainPatches, type PatchSampling } from './patch-pretrain.js';
import {
  detectionInput, evaluateScorer, lesionsById, probeScorer, scratchScorer, untrainedScorer, classicScorer, studySubgroups,
  type Method, type StudyDetectionSettings, type StudyOptions, type StudyResult, type ScorerOptions,
} from './detection-study.js';
import type { Aggregation, DetectionInput, PatchScorer } from './detection.js';
import type { PatchView } from './patch-features.js';

export interface DetectionGridConfig {
  task: string;
  folds: number;
  seed: number;
  encoder: EncoderConfig;
  /** Prepared files, one per resolution: the resolution axis. */
  data: string[];
  pretrain: { epochs: number[]; temperature: number[]; batchSize: number; lr: number; warmupEpochs: number };
  /** Fractions of each fold's training images whose labels (and lesion marks) are used. */
  fractions: number[];
  detection: {
    /** Window sides in prepared pixels (an axis). */
    patchSize: number[];
    /** Network input sides (an axis); each window side must be a whole multiple of each. */
    patchInput: number[];
    /** Windows sampled for patch SimCLR (`pretrain --patches`). */
    patches: number;
    // The rest are detect's settings; its baselines are computed per window setting.
  } & Pick<StudyOptions, 'minBreast' | 'negatives' | 'hardNegatives' | 'topK' | 'mil' | 'baselines' | 'supervisedEpochs'>;
  bf16: boolean;
  /** Where pretraining, window features and the from-scratch networks run ('cpu' when absent); the L2 probe and the MIL head stay on the CPU. */
  device?: Device;
}

/** A prepared file of the resolution axis, as its header gives it. */
export interface GridResolution {
  /** Index in config.data. */
  index: number;
  path: string;
  /** Side of the prepared images in pixels. */
  size: number;
  /** Median millimetres per pixel of the records that state it; null when none does. */
  mmPerPixel: number | null;
}

export interface DetectionGridPlan {
  cfg: DetectionGridConfig;
  resolutions: GridResolution[];
  views: PatchView[];
}

/**
 * Reads each file's header (not its images) and checks the grid before anything runs: every
 * file a prepared file, no two at one size (the size keys the cells), every window inside every
 * image and a whole multiple of every input. Errors name the config key (`data.1`,
 * `detection.patchSize`) and the file.
 */
export async function planDetectionGrid(cfg: DetectionGridConfig): Promise<DetectionGridPlan> {
  const resolutions: GridResolution[] = [];
  for (const [index, path] of cfg.data.entries()) {
    let header;
    try {
      header = await readPreparedHeader(path);
    } catch (e) {
      throw new Error(`data.${index}: ${path}: ${(e as Error).message}`);
    }
    const mm = header.records.map((r) => r.mmPerPixel).filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
    const same = resolutions.find((r) => r.size === header.meta.size);
    if (same) throw new Error(`data.${index}: ${path} is at ${header.meta.size} px like data.${same.index} (${same.path}); the resolution axis takes one file per size`);
    resolutions.push({ index, path, size: header.meta.size, mmPerPixel: mm.length ? mm[Math.floor(mm.length / 2)]! : null });
  }
  const views: PatchView[] = [];
  for (const size of cfg.detection.patchSize) {
    for (const r of resolutions) {
      if (size > r.size) throw new Error(`detection.patchSize: ${size} px windows do not fit the ${r.size} px images of data.${r.index} (${r.path})`);
    }
    for (const input of cfg.detection.patchInput) {
      if (size % input !== 0) throw new Error(`detection.patchInput: a ${size} px window (detection.patchSize) is not a whole multiple of the ${input} px input`);
      views.push({ size, input });
    }
  }
  return { cfg, resolutions, views };
}

export type DetectionGridMethod = 'pretrained' | 'random-init' | 'classic' | 'supervised';

/** detect's name of each method (metrics.json, the console). */
export const GRID_METHODS: Record<DetectionGridMethod, Method> = {
  pretrained: 'SimCLR encoder, L2 logistic probe',
  'random-init': 'untrained encoder, L2 logistic probe',
  classic: 'classic CAD features, L2 logistic probe',
  supervised: 'supervised from scratch on the patches',
};

/** The image aggregations as column-name prefixes. */
export const AGGREGATION_FIELDS: Record<Aggregation, string> = { max: 'max', 'top-k mean': 'topKMean', bilateral: 'bilateral', 'attention MIL': 'attentionMil' };

/** One cell: an AUC with its 95 % DeLong interval per image aggregation (null where not computed: MIL for the from-scratch network or with mil off). */
export interface DetectionCellRow {
  key: string;
  method: DetectionGridMethod;
  /** The prepared file's name, its image side and mm per pixel. */
  data: string;
  resolution: number;
  mmPerPixel: number | null;
  patchSize: number;
  patchInput: number;
  temperature: number | null;
  epochs: number | null;
  fraction: number;
  n: number;
  positives: number;
  /** Accuracy of always answering the majority class. */
  majority: number;
  /** Test windows on a lesion against windows far from every lesion. */
  patchAuc: number;
  patchAucLow: number;
  patchAucHigh: number;
  lesionWindows: number;
  backgroundWindows: number;
  maxAuc: number | null;
  maxAucLow: number | null;
  maxAucHigh: number | null;
  topKMeanAuc: number | null;
  topKMeanAucLow: number | null;
  topKMeanAucHigh: number | null;
  bilateralAuc: number | null;
  bilateralAucLow: number | null;
  bilateralAucHigh: number | null;
  attentionMilAuc: number | null;
  attentionMilAucLow: number | null;
  attentionMilAucHigh: number | null;
  /** Each image AUC's 95 % interval from resampling women (a bilateral score couples a woman's two images; DeLong's interval above ignores that). */
  maxAucWomenLow: number | null;
  maxAucWomenHigh: number | null;
  topKMeanAucWomenLow: number | null;
  topKMeanAucWomenHigh: number | null;
  bilateralAucWomenLow: number | null;
  bilateralAucWomenHigh: number | null;
  attentionMilAucWomenLow: number | null;
  attentionMilAucWomenHigh: number | null;
  /** The top-scoring window of a lesion image on a lesion: hits of n, rate with its Wilson interval, and the rate of a random breast window. */
  topLocationHits: number;
  topLocationN: number;
  topLocationRate: number;
  topLocationLow: number;
  topLocationHigh: number;
  topLocationChance: number;
  /** Image AUC by kind of finding (against every normal image) and by density (against the normals of that density), bilateral and max, as `detect` reports them for its main row. */
  subgroups: StudyResult['subgroups'];
}

const keyOf = (o: Record<string, number | string>) => Object.entries(o).map(([k, v]) => `${k}-${v}`).join('_');

/** Runs (or resumes) the grid in `dir`; one row per cell, in grid order. */
export async function runDetectionExperiment(plan: DetectionGridPlan, dir: string, say: (message: string) => void = () => {}): Promise<DetectionCellRow[]> {
  const { cfg } = plan;
  const d = cfg.detection;
  const rows: DetectionCellRow[] = [];
  const cellPath = (key: string) => join(dir, 'cells', `${key}.json`);
  const done = (key: string) => existsSync(cellPath(key));
  const cell = async (key: string, compute: () => Promise<DetectionCellRow>): Promise<void> => {
    if (done(key)) {
      say(`cell ${key}: done earlier, skipped`);
      rows.push(JSON.parse(readFileSync(cellPath(key), 'utf8')) as DetectionCellRow);
      return;
    }
    say(`cell ${key}: running`);
    const r = await compute();
    await writeJsonAtomic(cellPath(key), r);
    rows.push(r);
  };
  const settings = cfg.pretrain.temperature.flatMap((temperature) => cfg.pretrain.epochs.map((epochs) => ({ temperature, epochs })));
  const baselines: DetectionGridMethod[] = d.baselines ? ['random-init', 'classic', 'supervised'] : [];

  for (const res of plan.resolutions) {
    const windowKey = (v: PatchView) => keyOf({ res: res.size, win: `${v.size}-${v.input}` });
    const runKey = (v: PatchView, s: { temperature: number; epochs: number }) => `${windowKey(v)}_${keyOf({ tau: s.temperature, epochs: s.epochs })}`;
    const cellKeys = (prefix: string) => cfg.fractions.map((f) => `${prefix}_labels-${f}`);
    const pendingRun = (v: PatchView, s: { temperature: number; epochs: number }) => cellKeys(runKey(v, s)).some((k) => !done(k));
    const pendingBaseline = (v: PatchView, m: DetectionGridMethod) => cellKeys(`${windowKey(v)}_${m}`).some((k) => !done(k));

    // Pretraining first, each run reading its windows from the file itself.
    for (const view of plan.views) {
      for (const s of settings) {
        if (!pendingRun(view, s)) continue;
        const runDir = join(dir, 'pretrain', runKey(view, s));
        const config = gridPretrainConfig(cfg, s.temperature, s.epochs);
        const patch: PatchSampling = { size: view.size, input: view.input, count: d.patches, minBreast: d.minBreast, seed: cfg.seed };
        await pretrainOnce(runDir, config, async () => {
          const p = await openPretrainPatches(res.path, patch);
          say(`  ${p.how}`);
          // As `pretrain --patch-size` records it, so `detect` takes this folder as a run.
          await writeJsonAtomic(join(runDir, 'config.json'), { command: 'experiment', data: res.path, ...config, patch, processes: 1 });
          return { images: p.images, dispose: () => p.images.dispose() };
        }, () => say(`pretraining ${runKey(view, s)}`));
      }
    }

    const anyPending = plan.views.some((v) => settings.some((s) => pendingRun(v, s)) || baselines.some((m) => pendingBaseline(v, m)));
    const loaded = anyPending ? await loadPreparedDataset(res.path) : null;
    try {
      const planes = loaded ? PreparedPlanes.fromTensor(loaded.images) : null;
      for (const view of plan.views) {
        const needed = settings.some((s) => pendingRun(view, s)) || baselines.some((m) => pendingBaseline(view, m));
        const input = needed ? detectionInput(planes!, loaded!.records, cfg.task, { view, stride: Math.max(1, Math.floor(view.size / 2)), minBreast: d.minBreast, seed: cfg.seed }).input : null;
        const study: StudyDetectionSettings = { view, folds: cfg.folds, seed: cfg.seed, negatives: d.negatives, hardNegatives: d.hardNegatives, topK: d.topK, mil: d.mil };
        const so: ScorerOptions = { view, bf16: cfg.bf16, device: cfg.device };
        const base = { data: basename(res.path), resolution: res.size, mmPerPixel: res.mmPerPixel, patchSize: view.size, patchInput: view.input };
        // One scorer (its window features computed once) for all the fractions of a setting.
        const cells = async (prefix: string, method: DetectionGridMethod, setting: { temperature: number | null; epochs: number | null }, make: () => Promise<PatchScorer>) => {
          let scorer: PatchScorer | undefined;
          for (const fraction of cfg.fractions) {
            const key = `${prefix}_labels-${fraction}`;
            await cell(key, async () => {
              scorer ??= await make();
              const e = await evaluateScorer(input!, GRID_METHODS[method], scorer, fraction, study);
              return cellRow({ key, method, ...base, ...setting, fraction }, e, input!, loaded!.records);
            });
          }
        };
        for (const s of settings) {
          await cells(runKey(view, s), 'pretrained', s, async () => {
            const encoder = encoderOn(await loadEncoderFile(join(dir, 'pretrain', runKey(view, s), 'encoder.safetensors'), { channelsLast: true }), cfg.device);
            try {
              return probeScorer(encoder, input!, so);
            } finally {
              encoder.dispose();
            }
          });
        }
        const none = { temperature: null, epochs: null };
        if (baselines.includes('random-init')) await cells(`${windowKey(view)}_random-init`, 'random-init', none, async () => untrainedScorer(cfg.encoder, cfg.seed, input!, so));
        if (baselines.includes('classic')) await cells(`${windowKey(view)}_classic`, 'classic', none, async () => classicScorer(input!, view));
        if (baselines.includes('supervised')) await cells(`${windowKey(view)}_supervised`, 'supervised', { temperature: null, epochs: d.supervisedEpochs }, async () => scratchScorer(cfg.encoder, cfg.seed, d.supervisedEpochs, so));
      }
    } finally {
      loaded?.images.dispose();
    }
  }
  return rows;
}

type CellIdentity = Pick<DetectionCellRow, 'key' | 'method' | 'data' | 'resolution' | 'mmPerPixel' | 'patchSize' | 'patchInput' | 'temperature' | 'epochs' | 'fraction'>;

function cellRow(id: CellIdentity, e: Awaited<ReturnType<typeof evaluateScorer>>, input: DetectionInput, records: PreparedRecord[]): DetectionCellRow {
  const first = e.rows[0]!.evaluation;
  const top = topLocationHits(e.result.maps, lesionsById(input.images));
  const aucs = Object.fromEntries(Object.entries(AGGREGATION_FIELDS).flatMap(([aggregation, field]) => {
    const row = e.rows.find((r) => r.aggregation === aggregation);
    const auc = row?.evaluation.auc;
    return [[`${field}Auc`, auc?.value ?? null], [`${field}AucLow`, auc?.lo ?? null], [`${field}AucHigh`, auc?.hi ?? null],
      [`${field}AucWomenLow`, row?.aucOverWomen.lo ?? null], [`${field}AucWomenHigh`, row?.aucOverWomen.hi ?? null]];
  })) as Pick<DetectionCellRow, `${'max' | 'topKMean' | 'bilateral' | 'attentionMil'}${'Auc' | 'AucLow' | 'AucHigh' | 'AucWomenLow' | 'AucWomenHigh'}`>;
  return {
    ...id,
    n: first.n, positives: first.positives, majority: first.baseline.accuracy.value,
    patchAuc: e.patchAuc.auc, patchAucLow: e.patchAuc.lo, patchAucHigh: e.patchAuc.hi, lesionWindows: e.patchAuc.lesionWindows, backgroundWindows: e.patchAuc.backgroundWindows,
    ...aucs,
    topLocationHits: top.hits, topLocationN: top.n, topLocationRate: top.rate.value, topLocationLow: top.rate.lo, topLocationHigh: top.rate.hi, topLocationChance: top.chance,
    subgroups: studySubgroups(e.result, records, input.images),
  };
}

const pct = (x: number | null) => (x !== null && Number.isFinite(x) ? (100 * x).toFixed(1) : 'n/a');
const opt = (x: number | null) => (x === null ? '' : String(x));
const withCi = (v: number | null, lo: number | null, hi: number | null) => (v === null ? '' : `${pct(v)} [${pct(lo)}, ${pct(hi)}]`);
/** An image AUC with its DeLong interval, then the interval from resampling women. */
const imageAuc = (r: DetectionCellRow, field: 'max' | 'topKMean' | 'bilateral' | 'attentionMil') => {
  const v = r[`${field}Auc`];
  const lo = r[`${field}AucWomenLow`];
  // Cells written before the women's interval existed have no such field.
  return v === null ? '' : `${withCi(v, r[`${field}AucLow`], r[`${field}AucHigh`])}${lo === null || lo === undefined ? '' : `; women [${pct(lo)}, ${pct(r[`${field}AucWomenHigh`])}]`}`;
};

export const DETECTION_TABLE_COLUMNS = ['method', 'resolution', 'window (input)', 'temperature', 'epochs', 'labels', 'patch AUC %',
  'image AUC %, max', 'top-k mean', 'bilateral', 'attention MIL', 'top location % (chance %)', 'majority class %', 'n'];

export function detectionTableRows(rows: DetectionCellRow[]): string[][] {
  return rows.map((r) => [
    r.method, `${r.resolution} px${r.mmPerPixel === null ? '' : ` (${r.mmPerPixel.toFixed(2)} mm)`}`, `${r.patchSize} px (${r.patchInput} px)`,
    opt(r.temperature), opt(r.epochs), `${pct(r.fraction)} %`, withCi(r.patchAuc, r.patchAucLow, r.patchAucHigh),
    imageAuc(r, 'max'), imageAuc(r, 'topKMean'), imageAuc(r, 'bilateral'), imageAuc(r, 'attentionMil'),
    `${r.topLocationHits}/${r.topLocationN} = ${pct(r.topLocationRate)} [${pct(r.topLocationLow)}, ${pct(r.topLocationHigh)}] (${pct(r.topLocationChance)})`,
    pct(r.majority), String(r.n),
  ]);
}

export function detectionMarkdownTable(rows: DetectionCellRow[]): string {
  return markdownGrid(DETECTION_TABLE_COLUMNS, detectionTableRows(rows));
}

/**
 * One row per cell, one column per kind of finding and per density (the union over the cells):
 * image AUC % [95 % DeLong] of one aggregation, n positives in the header. Cells written by a
 * version without subgroups leave their row empty.
 */
export function detectionSubgroupTable(rows: DetectionCellRow[], aggregation: 'bilateral' | 'max'): string {
  const columns: { by: 'finding' | 'density'; group: string; positives: number }[] = [];
  for (const r of rows) {
    for (const g of r.subgroups ?? []) {
      if (g.aggregation !== aggregation) continue;
      for (const x of g.groups) if (!columns.some((c) => c.by === g.by && c.group === x.group)) columns.push({ by: g.by, group: x.group, positives: x.positives });
    }
  }
  const cell = (r: DetectionCellRow, c: (typeof columns)[number]) => {
    const auc = r.subgroups?.find((g) => g.aggregation === aggregation && g.by === c.by)?.groups.find((x) => x.group === c.group)?.auc;
    return auc ? withCi(auc.value, auc.lo, auc.hi) : '';
  };
  return markdownGrid(['cell', ...columns.map((c) => `${c.by === 'density' ? 'density ' : ''}${c.group} (${c.positives})`)], rows.map((r) => [r.key, ...columns.map((c) => cell(r, c))]));
}
