/**
 * A grid of experiments in the shape of the paper's tables: pretraining settings (data size,
 * temperature, epochs) x labeled fractions, each cell evaluated with patient-disjoint k-fold
 * linear probing, beside the supervised baseline trained from scratch on the same folds and
 * fractions. Every finished pretraining run and every finished cell is a file; a rerun skips
 * them, so an interrupted experiment resumes where it stopped.
 *
 * Pretraining sees images without labels; by default it uses every image of the dataset
 * (test folds included, as the paper and most SSL work do). `pretrainExcludesTest`
 * cannot apply to a k-fold design with one pretraining run, so it is not offered: say so in
 * results that compare against fully held-out numbers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tensor, type Device, type Tensor } from '../tensor/index.js';
import { createRng } from '../data/rng.js';
import { pretrain, pretrainDefaults, type EncoderConfig, type PretrainConfig } from './pretrain.js';
import type { ImageSource } from '../data/cache/image-source.js';
import { seededEncoder, supervisedBaseline } from './from-scratch.js';
import { crossValidate, type CvItem, type CvResult } from './cross-validation.js';
import { loadEncoderFile } from './encoder-io.js';
import { writeJsonAtomic } from '../io/atomic.js';
import { encoderOn } from './device.js';
import type { BinaryEvaluation } from '../eval/summary.js';

export interface ExperimentConfig {
  task: string;
  folds: number;
  seed: number;
  encoder: EncoderConfig;
  pretrain: {
    epochs: number[];
    temperature: number[];
    /** Fractions of the patients used for pretraining. */
    dataFraction: number[];
    batchSize: number;
    lr: number;
    warmupEpochs: number;
  };
  /** Fractions of each fold's training labels. */
  fractions: number[];
  linear: { epochs: number };
  /** The supervised baseline; null to leave it out. */
  supervised: { epochs: number } | null;
  bf16: boolean;
  /** Where pretraining, feature extraction and the supervised baseline run ('cpu' when absent). */
  device?: Device;
}

export interface CellRow {
  key: string;
  method: 'pretrained' | 'supervised' | 'random-init';
  dataFraction: number | null;
  temperature: number | null;
  epochs: number | null;
  fraction: number;
  auc: number;
  aucLow: number;
  aucHigh: number;
  accuracy: number;
  accuracyLow: number;
  accuracyHigh: number;
  aucFoldMean: number;
  aucFoldSd: number;
  majority: number;
  n: number;
}

export interface ExperimentData {
  images: Tensor;
  items: CvItem[];
  classes: string[];
}

const keyOf = (o: Record<string, number | string>) => Object.entries(o).map(([k, v]) => `${k}-${v}`).join('_');

function patientSubset(items: CvItem[], fraction: number, seed: number): number[] {
  const patients = [...new Set(items.map((i) => i.patientId))].sort();
  const keep = new Set(createRng(seed, 'pretrain-data').shuffle(patients).slice(0, Math.max(2, Math.round(patients.length * fraction))));
  return items.filter((i) => keep.has(i.patientId)).map((i) => i.index);
}

function row(key: string, method: CellRow['method'], setting: Pick<CellRow, 'dataFraction' | 'temperature' | 'epochs'>, fraction: number, r: CvResult): CellRow {
  const e = r.pooled as BinaryEvaluation;
  return {
    key, method, ...setting, fraction,
    auc: e.auc.value, aucLow: e.auc.lo, aucHigh: e.auc.hi,
    accuracy: e.accuracy.value, accuracyLow: e.accuracy.lo, accuracyHigh: e.accuracy.hi,
    aucFoldMean: r.aggregate['auc.value']?.mean ?? NaN, aucFoldSd: r.aggregate['auc.value']?.std ?? NaN,
    majority: e.baseline.accuracy.value, n: e.n,
  };
}

/** The pretraining of a grid cell: the paper's defaults with the grid's encoder and schedule, and the cell's temperature and epochs. */
export function gridPretrainConfig(cfg: Pick<ExperimentConfig, 'encoder' | 'seed' | 'bf16' | 'device'> & { pretrain: Pick<ExperimentConfig['pretrain'], 'batchSize' | 'lr' | 'warmupEpochs'> }, temperature: number, epochs: number): PretrainConfig {
  const p = pretrainDefaults();
  return {
    ...p, encoder: cfg.encoder, epochs, temperature, batchSize: cfg.pretrain.batchSize, bf16: cfg.bf16, device: cfg.device, seed: cfg.seed, checkpointEvery: 1,
    projection: { ...p.projection, hidden: null },
    optimizer: { ...p.optimizer, lr: cfg.pretrain.lr, warmupEpochs: cfg.pretrain.warmupEpochs },
  };
}

/**
 * Pretrains into runDir unless its encoder.safetensors is there already; an interrupted run
 * resumes from its last checkpoint (written every epoch). `open` gives the images only when they
 * are needed.
 */
export async function pretrainOnce(runDir: string, config: PretrainConfig, open: () => Promise<{ images: Tensor | ImageSource; dispose: () => unknown }>, starting: () => void = () => {}): Promise<void> {
  if (existsSync(join(runDir, 'encoder.safetensors'))) return;
  starting();
  const last = join(runDir, 'checkpoints', 'last.safetensors');
  const { images, dispose } = await open();
  try {
    const result = await pretrain(config, { images, runDir, quiet: true, resume: existsSync(last) ? last : undefined });
    result.encoder.dispose();
    result.head.dispose();
  } finally {
    await dispose();
  }
}

export interface ExperimentProgress {
  (message: string): void;
}

/** Runs (or resumes) the grid in `dir`; returns one row per cell. */
export async function runExperiment(cfg: ExperimentConfig, data: ExperimentData, dir: string, say: ExperimentProgress = () => {}): Promise<CellRow[]> {
  if (data.classes.length !== 2) throw new Error('experiment tables are for binary tasks (AUC); use finetune for multi-class tasks');
  const rows: CellRow[] = [];
  const cell = async (key: string, compute: () => Promise<CellRow>): Promise<void> => {
    const path = join(dir, 'cells', `${key}.json`);
    if (existsSync(path)) {
      say(`cell ${key}: done earlier, skipped`);
      rows.push(JSON.parse(readFileSync(path, 'utf8')) as CellRow);
      return;
    }
    say(`cell ${key}: running`);
    const r = await compute();
    await writeJsonAtomic(path, r);
    rows.push(r);
  };
  const cv = (fraction: number) => ({ folds: cfg.folds, seed: cfg.seed, fraction, quiet: true });

  for (const dataFraction of cfg.pretrain.dataFraction) {
    for (const temperature of cfg.pretrain.temperature) {
      for (const epochs of cfg.pretrain.epochs) {
        const setting = { dataFraction, temperature, epochs };
        const runKey = keyOf({ data: dataFraction, tau: temperature, epochs });
        const runDir = join(dir, 'pretrain', runKey);
        const encoderPath = join(runDir, 'encoder.safetensors');
        const pending = cfg.fractions.filter((f) => !existsSync(join(dir, 'cells', `${runKey}_labels-${f}.json`)));
        if (pending.length > 0) {
          await pretrainOnce(runDir, gridPretrainConfig(cfg, temperature, epochs), async () => {
            const subset = patientSubset(data.items, dataFraction, cfg.seed);
            const idx = tensor(subset, { dtype: 'int64' });
            const images = data.images.indexSelect(0, idx);
            idx.dispose();
            return { images, dispose: () => images.dispose() };
          }, () => say(`pretraining ${runKey}`));
        }
        const encoder = pending.length > 0 ? encoderOn(await loadEncoderFile(encoderPath), cfg.device) : null;
        for (const fraction of cfg.fractions) {
          await cell(`${runKey}_labels-${fraction}`, async () => row(`${runKey}_labels-${fraction}`, 'pretrained', setting, fraction,
            await crossValidate(data.images, data.items, data.classes, { kind: 'linear', encoder: encoder!, config: { epochs: cfg.linear.epochs }, bf16: cfg.bf16, device: cfg.device }, cv(fraction))));
        }
        encoder?.dispose();
      }
    }
  }
  const none = { dataFraction: null, temperature: null, epochs: null };
  for (const fraction of cfg.fractions) {
    // Linear probe of an untrained encoder: what pretraining must beat to be worth anything.
    await cell(`random-init_labels-${fraction}`, async () => {
      // Seeded like the pretraining runs' encoders, so a resumed grid recomputes a cell alike.
      const encoder = encoderOn(seededEncoder(cfg.encoder, cfg.seed), cfg.device);
      try {
        return row(`random-init_labels-${fraction}`, 'random-init', none, fraction,
          await crossValidate(data.images, data.items, data.classes, { kind: 'linear', encoder, config: { epochs: cfg.linear.epochs }, bf16: cfg.bf16, device: cfg.device }, cv(fraction)));
      } finally {
        encoder.dispose();
      }
    });
    if (cfg.supervised) {
      const sup = cfg.supervised;
      await cell(`supervised_labels-${fraction}`, async () => row(`supervised_labels-${fraction}`, 'supervised', { ...none, epochs: sup.epochs }, fraction,
        await crossValidate(data.images, data.items, data.classes, supervisedBaseline(cfg.encoder, cfg.seed, { epochs: sup.epochs, bf16: cfg.bf16, device: cfg.device }), cv(fraction))));
    }
  }
  return rows;
}

const pct = (x: number) => (Number.isFinite(x) ? (100 * x).toFixed(1) : 'n/a');
const opt = (x: number | null) => (x === null ? '' : String(x));

export const TABLE_COLUMNS = ['method', 'pretraining data', 'temperature', 'epochs', 'labels', 'AUC % [95 % CI]', 'accuracy % [95 % CI]', 'AUC across folds', 'majority class %', 'n'];

export function tableRows(rows: CellRow[]): string[][] {
  return rows.map((r) => [
    r.method, r.dataFraction === null ? '' : `${pct(r.dataFraction)} %`, opt(r.temperature), opt(r.epochs), `${pct(r.fraction)} %`,
    `${pct(r.auc)} [${pct(r.aucLow)}, ${pct(r.aucHigh)}]`, `${pct(r.accuracy)} [${pct(r.accuracyLow)}, ${pct(r.accuracyHigh)}]`,
    `${pct(r.aucFoldMean)} ± ${pct(r.aucFoldSd)}`, pct(r.majority), String(r.n),
  ]);
}

export function markdownTable(rows: CellRow[]): string {
  return markdownGrid(TABLE_COLUMNS, tableRows(rows));
}

/** A markdown table: the header row, its rule, one line per row of cells. */
export function markdownGrid(columns: readonly string[], body: readonly (readonly string[])[]): string {
  return [`| ${columns.join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n') + '\n';
}

/** One line per row, one column per field of the first row (as the cell files hold them; null and undefined empty). */
export function csvTable<T extends object>(rows: readonly T[]): string {
  const cols = Object.keys(rows[0] ?? {}) as (keyof T)[];
  return [cols.join(','), ...rows.map((r) => cols.map((c) => String(r[c] ?? '')).join(','))].join('\n') + '\n';
}
