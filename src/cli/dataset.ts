/** Loading a prepared dataset for training: float32 images, a task's labels, and a data summary. */
import { statSync } from 'node:fs';
import { freemem } from 'node:os';
import { loadPreparedDataset, type PreparedRecord, type PreparedMeta } from '../data/cache/index.js';
import { openPreparedImages, type PreparedImages } from '../data/cache/open-images.js';
import type { LabeledItem } from '../data/tasks.js';
import type { Tensor } from '../tensor/index.js';

/** Where the task's labels are read (data/tasks: the detection study in train needs them too). */
export { labelItems, type LabeledItem } from '../data/tasks.js';

export interface TrainingData {
  images: Tensor;
  records: PreparedRecord[];
  meta: PreparedMeta;
}

export async function loadTrainingData(path: string): Promise<TrainingData> {
  const d = await loadPreparedDataset(path);
  const images = d.images.float();
  d.images.dispose();
  return { images, records: d.records, meta: d.meta };
}

export interface TrainingImages extends PreparedImages {
  streamed: boolean;
  /** One line for the console: which way and why. */
  how: string;
}

/**
 * The pretraining images: `stream` true reads the file per batch, false loads it; undefined
 * loads it only when it takes less than half the memory free now (counting one copy per
 * process on this machine), because a dataset that fits is read from RAM at no cost while one
 * that does not would swap or be killed.
 */
export async function openTrainingImages(path: string, o: { stream?: boolean; processesHere?: number } = {}): Promise<TrainingImages> {
  const bytes = statSync(path).size;
  const copies = o.processesHere ?? 1;
  const free = freeMemory();
  const stream = o.stream ?? bytes * copies > free / 2;
  const why = o.stream !== undefined ? (stream ? '--stream' : '--no-stream')
    : `${mb(bytes)}${copies > 1 ? ` x ${copies} processes` : ''} is ${stream ? 'more' : 'less'} than half of the ${mb(free)} free`;
  const d = await openPreparedImages(path, { stream });
  return { ...d, streamed: stream, how: `images: ${stream ? 'streamed from disk per batch' : 'loaded into memory'} (${why})` };
}

function mb(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GB` : `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 0)} MB`;
}

// What this process may still allocate: the cgroup limit counts where there is one (Node 20.13+).
function freeMemory(): number {
  const p = process as { availableMemory?: () => number };
  return typeof p.availableMemory === 'function' ? p.availableMemory() : freemem();
}

/** Counts by class for data.json and the report. */
export function classCounts(items: LabeledItem[], classes: string[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(classes.map((c) => [c, 0]));
  for (const it of items) out[classes[it.label]!]! += 1;
  return out;
}
