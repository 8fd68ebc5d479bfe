import { relative, sep } from 'node:path';
import type { AdapterResult, DatasetRecord } from '../records.js';
import { listImageFiles } from './files.js';
import { stripImageExtension } from '../readers/sniff.js';

export const UNLABELED = 'unlabeled';

/**
 * Every image under `root`, recursively, found by content (files.ts), for self-supervised pretraining. The label is
 * "unlabeled". Patient = the file's folder when `patientPerFolder` (a common layout: one folder
 * per woman), else the file itself; choose what keeps a pretraining set disjoint from any test
 * patients you later evaluate on.
 */
export async function loadUnlabeled(root: string, options: { patientPerFolder?: boolean } = {}): Promise<AdapterResult> {
  const records: DatasetRecord[] = [];
  for (const path of await listImageFiles(root)) {
    const id = relative(root, path).split(sep).join('/');
    const folder = id.includes('/') ? id.slice(0, id.lastIndexOf('/')) : '.';
    const patientId = options.patientPerFolder ? folder : stripImageExtension(id);
    records.push({ id, patientId, imagePath: path, dataset: 'unlabeled', label: UNLABELED, lesions: [] });
  }
  return { records, problems: [] };
}
