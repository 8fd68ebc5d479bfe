/** Loading a prepared dataset for training: float32 images, a task's labels, and a data summary. */
import { loadPreparedDataset, type PreparedRecord, type PreparedMeta } from '../data/cache/index.js';
import { taskByName, type Task } from '../data/tasks.js';
import type { DatasetRecord } from '../data/records.js';
import type { Tensor } from '../tensor/index.js';

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

export interface LabeledItem {
  index: number;
  id: string;
  patientId: string;
  label: number;
}

export function labelItems(records: PreparedRecord[], taskName: string): { task: Task; items: LabeledItem[] } {
  const task = taskByName(taskName);
  const items: LabeledItem[] = [];
  records.forEach((r, index) => {
    const label = task.labelOf(r as unknown as DatasetRecord);
    if (label !== undefined) items.push({ index, id: r.id, patientId: r.patientId, label });
  });
  const present = new Set(items.map((i) => i.label));
  if (present.size < 2) throw new Error(`task ${task.name}: the dataset has ${items.length} usable images with ${present.size} class(es); at least two classes are needed`);
  return { task, items };
}

/** Counts by class for data.json and the report. */
export function classCounts(items: LabeledItem[], classes: string[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(classes.map((c) => [c, 0]));
  for (const it of items) out[classes[it.label]!]! += 1;
  return out;
}
