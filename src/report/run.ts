// Reads a run directory. Only config.json is required; every other part is optional, and a part
// that is absent or unreadable becomes a note instead of an error, so a report can be written
// for a run that is still training or that failed halfway.
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, resolve, relative, isAbsolute, basename } from 'node:path';
import { parsePredictionsCsv, type ScoredPrediction } from '../eval/predictions-csv.js';
import { parseTrainingLog, type TrainingLog } from './training-log.js';
import type { FractionRow } from './plots/fractions.js';
import type { TsnePoint } from './plots/tsne.js';

export interface DataSummary {
  dataset?: string;
  size?: number | string;
  /** split -> class -> count */
  counts: Record<string, Record<string, number>>;
  skipped: { source: string; reason: string }[];
}

/** <run>/eval/metrics.json, kept loosely typed: the report shows what is there. */
export interface MetricsFile {
  task?: string;
  /** How the evaluated model was made, e.g. "linear on <encoder>". */
  method?: string;
  /** Labeled fraction of the training data used. */
  fraction?: number;
  classes?: string[];
  evaluation?: Record<string, unknown>;
  baseline?: Record<string, unknown>;
  folds?: Record<string, unknown>[];
  aggregate?: Record<string, unknown>;
  supervised?: Record<string, unknown>;
}

/** A row of predictions.csv (two classes). */
export type Prediction = ScoredPrediction;

export type GradcamKind = 'tp' | 'fp' | 'fn';
export const GRADCAM_KINDS: readonly GradcamKind[] = ['tp', 'fp', 'fn'];

export interface GradcamImage {
  kind: GradcamKind;
  file: string;
  id?: string;
  label?: string | number;
  score?: number;
  dataUri: string;
}

/** An absent part and what the report lacks because of it. */
export interface MissingPart {
  part: string;
  effect: string;
}

export interface RunData {
  dir: string;
  config: unknown;
  log?: TrainingLog;
  data?: DataSummary;
  metrics?: MetricsFile;
  predictions?: Prediction[];
  /** eval/predictions-supervised.csv: the supervised baseline's out-of-fold predictions. */
  supervisedPredictions?: Prediction[];
  fractions?: FractionRow[];
  /** detect/metrics.json, as written (the section shows what is there). */
  detection?: Record<string, unknown>;
  tsne: { name: string; points: TsnePoint[] }[];
  /** Images per kind, capped at MAX_GALLERY_PER_KIND; `gradcamTotal` counts them all. */
  gradcam: GradcamImage[];
  gradcamTotal: Record<GradcamKind, number>;
  missing: MissingPart[];
  /** Parts that exist but could not be read, with the reason. */
  problems: string[];
}

// Every image is inlined as base64; a cap keeps the page loadable for large test sets.
export const MAX_GALLERY_PER_KIND = 24;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8'));
}

function toDataSummary(v: unknown): DataSummary {
  if (!isObject(v)) throw new Error('not a JSON object');
  const counts: DataSummary['counts'] = {};
  if (isObject(v['counts'])) {
    for (const [split, byClass] of Object.entries(v['counts'])) {
      if (!isObject(byClass)) continue;
      counts[split] = {};
      for (const [cls, n] of Object.entries(byClass)) if (typeof n === 'number') counts[split]![cls] = n;
    }
  }
  const skipped = Array.isArray(v['skipped'])
    ? v['skipped'].filter(isObject).map((s) => ({ source: String(s['source'] ?? ''), reason: String(s['reason'] ?? '') }))
    : [];
  return {
    ...(typeof v['dataset'] === 'string' ? { dataset: v['dataset'] } : {}),
    ...(typeof v['size'] === 'number' || typeof v['size'] === 'string' ? { size: v['size'] } : {}),
    counts,
    skipped,
  };
}

function toMetrics(v: unknown): MetricsFile {
  if (!isObject(v)) throw new Error('not a JSON object');
  const obj = (k: string) => (isObject(v[k]) ? { [k]: v[k] as Record<string, unknown> } : {});
  return {
    ...(typeof v['task'] === 'string' ? { task: v['task'] } : {}),
    ...(typeof v['method'] === 'string' ? { method: v['method'] } : {}),
    ...(typeof v['fraction'] === 'number' ? { fraction: v['fraction'] } : {}),
    ...(Array.isArray(v['classes']) ? { classes: v['classes'].map(String) } : {}),
    ...obj('evaluation'),
    ...obj('baseline'),
    ...obj('aggregate'),
    ...obj('supervised'),
    ...(Array.isArray(v['folds']) ? { folds: v['folds'].filter(isObject) } : {}),
  };
}

function toFractions(v: unknown): FractionRow[] {
  if (!Array.isArray(v)) throw new Error('not a JSON array');
  const num = (x: unknown) => (typeof x === 'number' ? x : undefined);
  return v.filter(isObject).map((r) => {
    const row: FractionRow = { fraction: Number(r['fraction']), method: String(r['method'] ?? '') };
    for (const k of ['auc', 'aucLow', 'aucHigh', 'accuracy'] as const) {
      const x = num(r[k]);
      if (x !== undefined) row[k] = x;
    }
    return row;
  });
}

function toTsne(v: unknown): TsnePoint[] {
  if (!Array.isArray(v)) throw new Error('not a JSON array');
  return v.filter(isObject).map((p) => ({ x: Number(p['x']), y: Number(p['y']), label: String(p['label'] ?? '') }));
}

// PNG or JPEG by signature; anything else is refused rather than inlined under a wrong type.
function imageDataUri(bytes: Buffer): string {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return `data:image/png;base64,${bytes.toString('base64')}`;
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return `data:image/jpeg;base64,${bytes.toString('base64')}`;
  throw new Error('not a PNG or JPEG image');
}

/** `file` of an index entry, resolved inside gradcam/ (as given, or under its kind folder); never outside it. */
async function locateGradcam(dir: string, kind: GradcamKind, file: string): Promise<string> {
  for (const candidate of [resolve(dir, file), resolve(dir, kind, file)]) {
    const rel = relative(dir, candidate);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new Error('outside the gradcam folder');
    if (await exists(candidate)) return candidate;
  }
  throw new Error('not found');
}

interface GradcamEntry {
  kind: GradcamKind;
  file: string;
  id?: string;
  label?: string | number;
  score?: number;
}

async function gradcamEntries(dir: string, problems: string[]): Promise<GradcamEntry[]> {
  const indexPath = join(dir, 'index.json');
  if (await exists(indexPath)) {
    const index = await readJson(indexPath);
    if (!Array.isArray(index)) throw new Error('gradcam/index.json: not a JSON array');
    const entries: GradcamEntry[] = [];
    for (const e of index) {
      if (!isObject(e) || typeof e['file'] !== 'string' || !GRADCAM_KINDS.includes(e['kind'] as GradcamKind)) {
        problems.push(`gradcam/index.json: entry ${JSON.stringify(e)} has no file or a kind other than tp, fp, fn`);
        continue;
      }
      entries.push({
        kind: e['kind'] as GradcamKind,
        file: e['file'],
        ...(e['id'] !== undefined ? { id: String(e['id']) } : {}),
        ...(typeof e['label'] === 'number' || typeof e['label'] === 'string' ? { label: e['label'] } : {}),
        ...(typeof e['score'] === 'number' ? { score: e['score'] } : {}),
      });
    }
    return entries;
  }
  // No index: the images themselves, in name order.
  const entries: GradcamEntry[] = [];
  for (const kind of GRADCAM_KINDS) {
    const files = await readdir(join(dir, kind)).catch(() => [] as string[]);
    for (const f of files.filter((f) => /\.(png|jpe?g)$/i.test(f)).sort()) entries.push({ kind, file: `${kind}/${f}` });
  }
  return entries;
}

async function loadGradcam(runDir: string, run: RunData): Promise<void> {
  const dir = resolve(runDir, 'gradcam');
  if (!(await exists(dir))) {
    run.missing.push({ part: 'gradcam/', effect: 'no Grad-CAM gallery' });
    return;
  }
  const entries = await gradcamEntries(dir, run.problems);
  for (const e of entries) {
    run.gradcamTotal[e.kind]++;
    if (run.gradcamTotal[e.kind] > MAX_GALLERY_PER_KIND) continue;
    try {
      const path = await locateGradcam(dir, e.kind, e.file);
      run.gradcam.push({ ...e, dataUri: imageDataUri(await readFile(path)) });
    } catch (err) {
      run.problems.push(`gradcam/${e.file}: ${(err as Error).message}`);
    }
  }
  if (entries.length === 0) run.missing.push({ part: 'gradcam/ images', effect: 'the Grad-CAM gallery is empty' });
}

/** Reads an optional part: absent -> a missing note; unreadable -> a problem; else the parsed value. */
async function optional<T>(run: RunData, part: string, effect: string, read: (path: string) => Promise<T>): Promise<T | undefined> {
  const path = join(run.dir, part);
  if (!(await exists(path))) {
    run.missing.push({ part, effect });
    return undefined;
  }
  try {
    return await read(path);
  } catch (e) {
    run.problems.push(`${part}: ${(e as Error).message}`);
    return undefined;
  }
}

export async function loadRun(runDir: string): Promise<RunData> {
  const dir = resolve(runDir);
  const configPath = join(dir, 'config.json');
  if (!(await exists(configPath))) throw new Error(`${runDir} is not a run directory: it has no config.json`);
  let config: unknown;
  try {
    config = await readJson(configPath);
  } catch (e) {
    throw new Error(`${configPath}: ${(e as Error).message}`);
  }
  const run: RunData = { dir, config, tsne: [], gradcam: [], gradcamTotal: { tp: 0, fp: 0, fn: 0 }, missing: [], problems: [] };

  const log = await optional(run, 'log.jsonl', 'no training curves', async (p) => parseTrainingLog(await readFile(p, 'utf8')));
  if (log) {
    run.log = log;
    if (log.skippedLines > 0) run.problems.push(`log.jsonl: ${log.skippedLines} line(s) were not step or epoch records and were skipped`);
  }
  const data = await optional(run, 'data.json', 'no data summary', async (p) => toDataSummary(await readJson(p)));
  if (data) run.data = data;
  const metrics = await optional(run, join('eval', 'metrics.json'), 'no metrics table or confusion matrix', async (p) => toMetrics(await readJson(p)));
  if (metrics) run.metrics = metrics;
  const predictions = await optional(run, join('eval', 'predictions.csv'), 'no ROC curve', async (p) => parsePredictionsCsv(await readFile(p, 'utf8')));
  if (predictions) run.predictions = predictions;
  // Written only beside a supervised baseline, so its absence is not reported as missing.
  const supPath = join(dir, 'eval', 'predictions-supervised.csv');
  if (await exists(supPath)) {
    try {
      run.supervisedPredictions = parsePredictionsCsv(await readFile(supPath, 'utf8'));
    } catch (e) {
      run.problems.push(`eval/predictions-supervised.csv: ${(e as Error).message}`);
    }
  }
  const fractions = await optional(run, join('eval', 'fractions.json'), 'no labeled-fraction plot', async (p) => toFractions(await readJson(p)));
  if (fractions) run.fractions = fractions;
  // Only patch-detection runs have it, so its absence is not reported as missing.
  const detectPath = join(dir, 'detect', 'metrics.json');
  if (await exists(detectPath)) {
    try {
      run.detection = (await readJson(detectPath)) as Record<string, unknown>;
    } catch (e) {
      run.problems.push(`detect/metrics.json: ${(e as Error).message}`);
    }
  }

  const tsneDir = join(dir, 'tsne');
  const tsneFiles = (await readdir(tsneDir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
  for (const f of tsneFiles) {
    try {
      run.tsne.push({ name: basename(f, '.json'), points: toTsne(await readJson(join(tsneDir, f))) });
    } catch (e) {
      run.problems.push(`tsne/${f}: ${(e as Error).message}`);
    }
  }
  if (tsneFiles.length === 0) run.missing.push({ part: 'tsne/*.json', effect: 'no t-SNE plots' });

  try {
    await loadGradcam(dir, run);
  } catch (e) {
    run.problems.push((e as Error).message);
  }
  return run;
}
