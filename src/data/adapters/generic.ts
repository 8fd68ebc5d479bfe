import { access, readdir } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { AdapterResult, DatasetRecord, Problem } from '../records.js';
import { pickColumn, readCsv } from './csv.js';
import { listImageFiles } from './files.js';
import { stripImageExtension } from '../readers/sniff.js';

export interface GenericOptions {
  /** Allowed labels; others become problems. Default: any non-empty label. */
  classes?: string[];
  /**
   * Folder mode only: a regex whose first group, applied to the file name, is the patient id.
   * Without it every image is its own patient, which is only honest if that is true.
   */
  patientFrom?: RegExp;
}

/**
 * A user's own data: either a CSV manifest (`path,label,patient_id[,split]` with a header; paths
 * relative to the CSV) or one folder per class (`root/<label>/**`, images found by content). Pass the CSV file or
 * the root folder.
 */
export async function loadGeneric(target: string, options: GenericOptions = {}): Promise<AdapterResult> {
  if (/\.csv$/i.test(target)) return loadManifest(target, options);
  return loadFolders(target, options);
}

async function loadManifest(csvPath: string, options: GenericOptions): Promise<AdapterResult> {
  const problems: Problem[] = [];
  const table = await readCsv(csvPath);
  const c = {
    path: pickColumn(table.header, 'path', 'image', 'image_path', 'file'),
    label: pickColumn(table.header, 'label', 'class'),
    patient: pickColumn(table.header, 'patient_id', 'patient'),
    split: pickColumn(table.header, 'split'),
  };
  if (!c.path || !c.label || !c.patient) {
    return { records: [], problems: [{ source: csvPath, reason: 'header must have path, label and patient_id columns' }] };
  }
  const root = dirname(csvPath);
  const records: DatasetRecord[] = [];
  const seen = new Set<string>();
  for (const { line, values } of table.rows) {
    const source = `${csvPath}:${line}`;
    const rel = values[c.path] ?? '';
    const label = values[c.label] ?? '';
    const patientId = values[c.patient] ?? '';
    if (!rel || !patientId) {
      problems.push({ source, reason: 'empty path or patient_id' });
      continue;
    }
    const why = labelProblem(label, options);
    if (why) {
      problems.push({ source, reason: why });
      continue;
    }
    const imagePath = isAbsolute(rel) ? rel : join(root, rel);
    if (seen.has(imagePath)) {
      problems.push({ source, reason: `duplicate path ${rel}` });
      continue;
    }
    seen.add(imagePath);
    try {
      await access(imagePath);
    } catch {
      problems.push({ source, reason: `missing file ${rel}` });
      continue;
    }
    const rec: DatasetRecord = { id: rel.replace(/\\/g, '/'), patientId, imagePath, dataset: 'generic', label, lesions: [] };
    if (c.split && values[c.split]) rec.officialSplit = values[c.split];
    records.push(rec);
  }
  return { records, problems };
}

async function loadFolders(root: string, options: GenericOptions): Promise<AdapterResult> {
  const problems: Problem[] = [];
  const records: DatasetRecord[] = [];
  const entries = await readdir(root, { withFileTypes: true });
  for (const e of entries.filter((d) => d.isDirectory() && !d.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name))) {
    const label = e.name;
    const why = labelProblem(label, options);
    if (why) {
      problems.push({ source: join(root, label), reason: why });
      continue;
    }
    for (const path of await listImageFiles(join(root, label))) {
      const id = relative(root, path).split(sep).join('/');
      const stem = stripImageExtension(basename(path));
      let patientId = `${label}/${stem}`;
      if (options.patientFrom) {
        const m = options.patientFrom.exec(basename(path));
        if (!m?.[1]) {
          problems.push({ source: path, reason: `patientFrom ${options.patientFrom} does not match the file name` });
          continue;
        }
        patientId = m[1];
      }
      records.push({ id, patientId, imagePath: path, dataset: 'generic', label, lesions: [] });
    }
  }
  return { records, problems };
}

function labelProblem(label: string, options: GenericOptions): string | undefined {
  if (!label) return 'empty label';
  if (options.classes && !options.classes.includes(label)) return `unknown label "${label}" (expected ${options.classes.join(', ')})`;
  return undefined;
}
