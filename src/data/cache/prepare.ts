/**
 * `prepare`: decode and preprocess every image of a dataset once, in parallel, and write one
 * prepared file per size plus a report. Per-file failures are collected, never fatal; the run
 * fails (leaving any existing cache untouched) only when nothing could be prepared or the files
 * cannot be written.
 */
import { constants as bufferConstants } from 'node:buffer';
import { basename, isAbsolute, relative, sep } from 'node:path';
import { encodeSafetensors } from '../../tensor/safetensors-format.js';
import { toOutput } from '../preprocess/index.js';
import type { DatasetRecord } from '../records.js';
import { commitFiles, writeTextAtomic } from './commit.js';
import { encodeMetadata, IMAGES_TENSOR, PREPARED_FORMAT, preparedPath, reportPath, type PreparedMeta, type PreparedRecord } from './format.js';
import { defaultWorkers, runPool } from './pool.js';
import { PREPARE_PREPROCESS } from './process-image.js';
import type { PrepareReport, SkippedFile } from './report.js';
import type { PrepareSource } from './sources.js';
import type { Task, TaskSuccess } from './task.js';

export interface PrepareOptions {
  source: PrepareSource;
  /** Output folder (created if missing). */
  out: string;
  /** Output sides in pixels, 16-1024; duplicates are dropped. */
  sizes: number[];
  /** File name stem; default the source's (e.g. "mini-mias"). Letters, digits, . _ - only. */
  name?: string;
  /** Worker threads; default all cores; 0 = in this thread. */
  workers?: number;
  /** 'suppress' removes the pectoral muscle from MLO views (preprocess/pectoral.ts); default 'keep'. */
  pectoral?: 'keep' | 'suppress';
  onProgress?: (done: number, total: number) => void;
  /** Test seam: runs after the temporary files are written, before they replace the cache. */
  beforeCommit?: () => void | Promise<void>;
}

export interface PreparedFile {
  size: number;
  path: string;
  count: number;
}

export interface PrepareResult {
  files: PreparedFile[];
  report: PrepareReport;
  reportPath: string;
}

export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function checkSizes(sizes: readonly number[]): number[] {
  if (sizes.length === 0) throw new Error('at least one size is needed');
  for (const s of sizes) if (!Number.isInteger(s) || s < 16 || s > 1024) throw new Error(`size must be an integer in 16..1024, got ${s}`);
  return [...new Set(sizes)].sort((a, b) => a - b);
}

export async function prepareDataset(options: PrepareOptions): Promise<PrepareResult> {
  const started = Date.now();
  const { source, out } = options;
  const sizes = checkSizes(options.sizes);
  const name = options.name ?? source.defaultName;
  if (!NAME_PATTERN.test(name)) throw new Error(`name "${name}" may hold only letters, digits, ".", "_" and "-"`);
  const workers = options.workers ?? defaultWorkers();
  const repPath = reportPath(out, name);

  // Duplicate ids would make two rows of the table indistinguishable: keep the first.
  const skipped: SkippedFile[] = [];
  const seen = new Map<string, string>();
  const items = source.items.filter(({ record }) => {
    const first = seen.get(record.id);
    if (first !== undefined) {
      skipped.push({ id: record.id, source: sourceOf(source, record), reason: `duplicate id "${record.id}" (first: ${first})` });
      return false;
    }
    seen.set(record.id, sourceOf(source, record));
    return true;
  });

  const n = items.length;
  for (const s of sizes) {
    const bytes = n * s * s * 2;
    if (bytes > bufferConstants.MAX_LENGTH) {
      throw new Error(`${n} images at ${s} px need ${(bytes / 2 ** 30).toFixed(1)} GiB in one file, more than this Node can hold (${(bufferConstants.MAX_LENGTH / 2 ** 30).toFixed(1)} GiB); prepare a subset or a smaller size`);
    }
  }
  // One preallocated plane stack per size; results land at their record's position as they arrive.
  const planes = sizes.map((s) => new Uint16Array(n * s * s));
  const done: (TaskSuccess | undefined)[] = new Array(n);
  const tasks: Task[] = items.map(({ record, input }, key) => {
    const t: Task = { key, input, sizes, choices: {} };
    if (record.laterality) t.choices.laterality = record.laterality;
    if (record.view) t.choices.view = record.view;
    if (options.pectoral) t.choices.pectoral = options.pectoral;
    return t;
  });
  let finished = 0;
  options.onProgress?.(0, n);
  await runPool(tasks, {
    workers,
    onResult(r) {
      const item = items[r.key]!;
      if (r.ok) {
        r.outputs.forEach((o, i) => planes[i]!.set(o.pixels, r.key * o.size * o.size));
        done[r.key] = r;
      } else {
        skipped.push({ id: item.record.id, source: sourceOf(source, item.record), reason: r.reason });
      }
      options.onProgress?.(++finished, n);
    },
  });

  const kept: number[] = [];
  for (let k = 0; k < n; k++) if (done[k]) kept.push(k);
  const warnings: SkippedFile[] = kept
    .filter((k) => !done[k]!.foundBreast)
    .map((k) => ({ id: items[k]!.record.id, source: sourceOf(source, items[k]!.record), reason: 'no breast found: the whole image was used' }));
  // Report skipped files in dataset order, whatever order the workers finished in.
  const order = new Map(source.items.map((it, i) => [it.record.id + '\0' + sourceOf(source, it.record), i]));
  skipped.sort((a, b) => (order.get(a.id + '\0' + a.source) ?? 0) - (order.get(b.id + '\0' + b.source) ?? 0));

  const pectoralRemoved = options.pectoral === 'suppress' ? kept.filter((k) => done[k]!.pectoralRemoved).length : undefined;
  const report: PrepareReport = {
    status: 'ok',
    name,
    adapter: source.adapter,
    input: source.input,
    sizes,
    files: [],
    workers,
    startedAt: new Date(started).toISOString(),
    seconds: 0,
    counts: { listed: source.items.length, prepared: kept.length, skipped: skipped.length, adapterProblems: source.problems.length, warnings: warnings.length, ...(pectoralRemoved !== undefined ? { pectoralRemoved } : {}) },
    skipped,
    adapterProblems: source.problems,
    warnings,
  };
  const finishReport = async (): Promise<void> => {
    report.seconds = (Date.now() - started) / 1000;
    await writeTextAtomic(repPath, `${JSON.stringify(report, null, 2)}\n`);
  };

  try {
    if (kept.length === 0) throw new Error(nothingPrepared(source, skipped.length));
    const files = sizes.map((size, i) => ({ size, path: preparedPath(out, name, size), plane: compact(planes[i]!, kept, size * size) }));
    const labels: Record<string, number> = {};
    for (const k of kept) labels[items[k]!.record.label] = (labels[items[k]!.record.label] ?? 0) + 1;
    const patients = new Set(kept.map((k) => items[k]!.record.patientId)).size;
    await commitFiles(
      files.map((f, i) => ({
        path: f.path,
        bytes: () => {
          const meta: PreparedMeta = {
            format: PREPARED_FORMAT,
            name,
            adapter: source.adapter,
            input: source.input,
            size: f.size,
            sizes,
            count: kept.length,
            dtype: 'float16',
            layout: 'NCHW',
            preprocess: { ...PREPARE_PREPROCESS, pectoral: options.pectoral ?? 'keep' },
            labels,
            patients,
            skipped: skipped.length,
            report: basename(repPath),
            createdAt: report.startedAt,
            tool: 'mammoclr prepare',
          };
          if (source.phantom) meta.phantom = { ...source.phantom };
          const records = kept.map((k) => preparedRecord(source, items[k]!.record, done[k]!, i));
          const data = new Uint8Array(f.plane.buffer, f.plane.byteOffset, f.plane.byteLength);
          return encodeSafetensors({ [IMAGES_TENSOR]: { dtype: 'F16', shape: [kept.length, 1, f.size, f.size], data } }, encodeMetadata(meta, records));
        },
      })),
      options.beforeCommit ? { beforeRename: options.beforeCommit } : {},
    );
    report.files = files.map((f) => f.path);
    await finishReport();
    return { files: files.map((f) => ({ size: f.size, path: f.path, count: kept.length })), report, reportPath: repPath };
  } catch (e) {
    report.status = 'failed';
    report.error = (e as Error).message;
    report.files = [];
    await finishReport().catch(() => undefined); // the report is best effort when the folder itself is the problem
    throw e;
  }
}

function nothingPrepared(source: PrepareSource, skipped: number): string {
  if (source.items.length > 0) return `no image could be prepared (${source.items.length} listed, ${skipped} skipped, ${source.problems.length} adapter problems)`;
  const first = source.problems[0];
  // The adapter's own complaint (a missing table, say) is usually why the folder looks empty.
  return `no images found in ${source.input}` + (first ? ` (${source.problems.length} adapter problem(s), first: ${first.source}: ${first.reason})` : '');
}

/** Moves the kept images to the front, in order (in place: kept[j] >= j). */
function compact(plane: Uint16Array, kept: number[], stride: number): Uint16Array {
  kept.forEach((k, j) => {
    if (k !== j) plane.copyWithin(j * stride, k * stride, (k + 1) * stride);
  });
  return plane.subarray(0, kept.length * stride);
}

function preparedRecord(source: PrepareSource, rec: DatasetRecord, r: TaskSuccess, sizeIndex: number): PreparedRecord {
  const { transform } = r.outputs[sizeIndex]!;
  const lesions = (r.lesions ?? rec.lesions).map((l) => {
    const p = toOutput(transform, l);
    return { ...l, x: p.x, y: p.y, ...(p.radius !== undefined ? { radius: p.radius } : {}) };
  });
  const out: PreparedRecord = {
    id: rec.id,
    patientId: rec.patientId,
    label: rec.label,
    dataset: rec.dataset,
    lesions,
    source: sourceOf(source, rec),
    transform,
    foundBreast: r.foundBreast,
    sourceBitDepth: r.bitDepth,
  };
  if (r.pectoralRemoved !== undefined) out.pectoralRemoved = r.pectoralRemoved;
  const laterality = rec.laterality ?? r.imageLaterality;
  if (laterality) out.laterality = laterality;
  const view = rec.view ?? r.imageView;
  if (view) out.view = view;
  const spacing = rec.pixelSpacingMm ?? r.imagePixelSpacingMm;
  if (spacing !== undefined) out.mmPerPixel = spacing / transform.scale;
  if (rec.birads !== undefined) out.birads = rec.birads;
  const density = rec.density ?? r.density;
  if (density !== undefined) out.density = density;
  if (rec.officialSplit !== undefined) out.officialSplit = rec.officialSplit;
  if (rec.unlocatedLesions !== undefined) out.unlocatedLesions = rec.unlocatedLesions;
  if (rec.annotationPaths) out.annotationPaths = rec.annotationPaths.map((p) => relativeTo(source.root, p));
  return out;
}

function sourceOf(source: PrepareSource, rec: DatasetRecord): string {
  return relativeTo(source.root, rec.imagePath);
}

/** Relative to the input folder when inside it (portable caches), POSIX separators. */
function relativeTo(root: string | undefined, p: string): string {
  if (!root || !isAbsolute(p)) return p;
  const rel = relative(root, p);
  if (rel.startsWith('..') || isAbsolute(rel)) return p;
  return rel.split(sep).join('/');
}
