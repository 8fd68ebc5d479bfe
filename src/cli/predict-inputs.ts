/** The files `predict` reads: each argument, or for a folder every image below it found by content. */
import { stat } from 'node:fs/promises';
import { basename, relative, sep } from 'node:path';
import { listImageFiles } from '../data/adapters/files.js';
import { stripImageExtension } from '../data/readers/index.js';

export interface PredictInput {
  file: string;
  /** Heatmap file stem; for a file found in a folder, its path below the folder ("PAT1_STU1_IM0001"), since PACS trees reuse names. */
  stem: string;
  /** Set when the argument yielded nothing to read (an empty folder). */
  error?: string;
}

export async function predictInputs(args: string[]): Promise<PredictInput[]> {
  const out: PredictInput[] = [];
  for (const arg of args) {
    const isFolder = await stat(arg).then((s) => s.isDirectory(), () => false);
    if (!isFolder) {
      // A missing or unreadable file is read anyway so its error is reported beside the others.
      out.push({ file: arg, stem: stripImageExtension(basename(arg)) });
      continue;
    }
    const found = await listImageFiles(arg);
    if (found.length === 0) out.push({ file: arg, stem: basename(arg), error: 'no image found in this folder (PNG, JPEG, TIFF, PGM or DICOM, by content)' });
    for (const file of found) out.push({ file, stem: stripImageExtension(relative(arg, file)).split(sep).join('_') });
  }
  return out;
}
