/** One unit of preparation work (decode + preprocess one image), shared by the worker and in-process runs. */
import type { Laterality } from '../image.js';
import type { Lesion } from '../records.js';
import { readImage } from '../readers/index.js';
import { renderPhantom, type PhantomSpec } from '../phantom/index.js';
import { processImage, type ProcessChoices, type SizedOutput } from './process-image.js';

export type TaskInput = { kind: 'file'; path: string } | { kind: 'phantom'; spec: PhantomSpec };

export interface Task {
  /** Position of the record in the run; results come back out of order. */
  key: number;
  input: TaskInput;
  /** The record's laterality and view, and prepare's pectoral choice. */
  choices: ProcessChoices;
  sizes: number[];
}

export interface TaskSuccess {
  key: number;
  ok: true;
  outputs: SizedOutput[];
  foundBreast: boolean;
  pectoralRemoved?: boolean;
  width: number;
  height: number;
  bitDepth: 8 | 16;
  /** Laterality/view as the file states them (DICOM); only used where the adapter had none. */
  imageLaterality?: Laterality;
  imageView?: string;
  /** Millimetres per original pixel as the file states it (DICOM). */
  imagePixelSpacingMm?: number;
  /** Phantoms only: ground truth known once the image is rendered. */
  lesions?: Lesion[];
  density?: string;
}

export interface TaskFailure {
  key: number;
  ok: false;
  reason: string;
}

export type TaskResult = TaskSuccess | TaskFailure;

export async function runTask(task: Task): Promise<TaskResult> {
  try {
    if (task.input.kind === 'phantom') {
      const ph = renderPhantom(task.input.spec);
      const done = processImage(ph.image, task.sizes, { ...task.choices, laterality: task.choices.laterality ?? ph.laterality });
      return { key: task.key, ok: true, ...done, width: ph.image.width, height: ph.image.height, bitDepth: ph.image.bitDepth, lesions: ph.lesions, density: String(ph.density) };
    }
    const image = await readImage(task.input.path);
    const done = processImage(image, task.sizes, task.choices);
    const r: TaskSuccess = { key: task.key, ok: true, ...done, width: image.width, height: image.height, bitDepth: image.bitDepth };
    // Only these three header facts leave the worker: ImageMeta.notes and anything else from a
    // DICOM header stay behind, so no identifier can reach the cache.
    if (image.meta.laterality) r.imageLaterality = image.meta.laterality;
    if (image.meta.view) r.imageView = image.meta.view;
    if (image.meta.pixelSpacingMm) r.imagePixelSpacingMm = image.meta.pixelSpacingMm;
    return r;
  } catch (e) {
    return { key: task.key, ok: false, reason: reasonOf(e, task.input.kind === 'file' ? task.input.path : undefined) };
  }
}

/** The error message without the leading "<path>: " the readers add (the report names the file anyway). */
export function reasonOf(e: unknown, path?: string): string {
  const msg = e instanceof Error ? e.message : typeof e === 'object' && e !== null ? JSON.stringify(e) : String(e);
  return path && msg.startsWith(`${path}: `) ? msg.slice(path.length + 2) : msg;
}

/** The typed-array buffers of a result, handed to postMessage so pixels move without a copy. */
export function transferList(r: TaskResult): ArrayBuffer[] {
  return r.ok ? r.outputs.map((o) => o.pixels.buffer as ArrayBuffer) : [];
}
