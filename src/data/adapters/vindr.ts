import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdapterResult, DatasetRecord, Lesion, Problem } from '../records.js';
import { pickColumn, readCsv } from './csv.js';
import { biradsToLabel, normalizeBirads } from './labels.js';

/**
 * VinDr-Mammo from `breast-level_annotations.csv` and `images/<study_id>/<image_id>.dicom`.
 * The dataset has no patient id; one study is one woman's exam, so patient = study_id.
 * Label from breast_birads (labels.ts). Lesions from `finding_annotations.csv` when present:
 * box centre, radius = half the longer side; rows without a box ("No Finding") add nothing.
 */
export async function loadVindr(dir: string): Promise<AdapterResult> {
  const problems: Problem[] = [];
  const csvPath = join(dir, 'breast-level_annotations.csv');
  const table = await readCsv(csvPath);
  const c = {
    study: pickColumn(table.header, 'study_id'),
    image: pickColumn(table.header, 'image_id'),
    lat: pickColumn(table.header, 'laterality'),
    view: pickColumn(table.header, 'view_position'),
    birads: pickColumn(table.header, 'breast_birads'),
    density: pickColumn(table.header, 'breast_density'),
    split: pickColumn(table.header, 'split'),
  };
  if (!c.study || !c.image || !c.birads) return { records: [], problems: [{ source: csvPath, reason: 'missing study_id, image_id or breast_birads column' }] };
  const findings = await readFindings(dir, problems);

  const records: DatasetRecord[] = [];
  const seen = new Set<string>();
  for (const { line, values } of table.rows) {
    const source = `${csvPath}:${line}`;
    const study = values[c.study] ?? '';
    const image = values[c.image] ?? '';
    if (!study || !image) {
      problems.push({ source, reason: 'empty study_id or image_id' });
      continue;
    }
    if (seen.has(image)) {
      problems.push({ source, reason: `duplicate image_id ${image}` });
      continue;
    }
    seen.add(image);
    const birads = normalizeBirads(values[c.birads] ?? '');
    const label = birads ? biradsToLabel(birads) : undefined;
    if (!birads || !label) {
      problems.push({ source, reason: `${image}: unknown breast_birads "${values[c.birads] ?? ''}"` });
      continue;
    }
    const imagePath = join(dir, 'images', study, `${image}.dicom`);
    if (!(await exists(imagePath))) {
      problems.push({ source, reason: `missing file images/${study}/${image}.dicom` });
      continue;
    }
    const lat = (c.lat && values[c.lat]?.toUpperCase()) || '';
    const rec: DatasetRecord = {
      id: image,
      patientId: study,
      imagePath,
      dataset: 'vindr-mammo',
      label,
      birads,
      lesions: findings.get(image) ?? [],
    };
    if (lat === 'L' || lat === 'R') rec.laterality = lat;
    if (c.view && values[c.view]) rec.view = values[c.view]!.toUpperCase();
    if (c.density && values[c.density]) rec.density = values[c.density]!.replace(/^DENSITY\s*/i, '');
    if (c.split && values[c.split]) rec.officialSplit = values[c.split] === 'training' ? 'train' : values[c.split];
    records.push(rec);
  }
  return { records, problems };
}

async function readFindings(dir: string, problems: Problem[]): Promise<Map<string, Lesion[]>> {
  const out = new Map<string, Lesion[]>();
  const path = join(dir, 'finding_annotations.csv');
  if (!(await exists(path))) return out;
  const t = await readCsv(path);
  for (const { line, values } of t.rows) {
    const image = values['image_id'] ?? '';
    const box = ['xmin', 'ymin', 'xmax', 'ymax'].map((k) => Number(values[k] === '' ? NaN : values[k]));
    if (!image || box.some((v) => !Number.isFinite(v))) continue;
    const [x0, y0, x1, y1] = box as [number, number, number, number];
    if (x1 < x0 || y1 < y0) {
      problems.push({ source: `${path}:${line}`, reason: `inverted box for ${image}` });
      continue;
    }
    // finding_categories is a Python list literal: "['Mass', 'Suspicious Calcification']".
    const kind = (values['finding_categories'] ?? '').replace(/[[\]'"]/g, '').trim() || undefined;
    const lesion: Lesion = { x: (x0 + x1) / 2, y: (y0 + y1) / 2, radius: Math.max(x1 - x0, y1 - y0) / 2 };
    if (kind) lesion.kind = kind;
    const list = out.get(image) ?? [];
    list.push(lesion);
    out.set(image, list);
  }
  return out;
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}
