import { dirname, join, relative, sep } from 'node:path';
import type { AdapterResult, DatasetRecord, Problem } from '../records.js';
import { worseLabel } from '../records.js';
import { pickColumn, readCsv } from './csv.js';
import { listFiles } from './files.js';
import { normalizeBirads, worseBirads } from './labels.js';

const CSV_NAME = /^(mass|calc)_case_description_(train|test)_set\.csv$/i;

/**
 * CBIS-DDSM from its four case-description CSVs and the DICOM tree (found anywhere under `dir`).
 *
 * One record per full mammogram, keyed `P_xxxxx_LEFT_CC`: a view listed in both the mass and
 * the calc CSV is the same DDSM scan stored twice, so it becomes one record (its ROIs merged)
 * rather than two near-identical images that could straddle a split. Label = MALIGNANT if any
 * ROI is, else benign (BENIGN_WITHOUT_CALLBACK counts as benign). CBIS has no normal images.
 * Lesion geometry lives in ROI mask DICOMs, so lesions stay empty and the mask paths are kept.
 *
 * Image paths: the CSV paths often do not match the downloaded tree (NBIA renames folders,
 * `000000.dcm` vs `1-1.dcm`) and may end with a newline. Resolution order: exact path; the single
 * DICOM under the case folder (the unsuffixed folder holds only the full image); a folder named
 * by the CSV's series UID, or by its last five digits (NBIA's `1.000000-full mammogram
 * images-24515`).
 */
export async function loadCbisDdsm(dir: string): Promise<AdapterResult> {
  const problems: Problem[] = [];
  const all = await listFiles(dir);
  // Train before test and mass before calc, so an image listed in both splits keeps its
  // training assignment whatever the folder layout.
  const rank = (p: string): number => {
    const m = CSV_NAME.exec(p.split(sep).pop() ?? '')!;
    return (m[2]!.toLowerCase() === 'train' ? 0 : 2) + (m[1]!.toLowerCase() === 'mass' ? 0 : 1);
  };
  const csvs = all.filter((p) => CSV_NAME.test(p.split(sep).pop() ?? '')).sort((a, b) => rank(a) - rank(b));
  if (csvs.length === 0) return { records: [], problems: [{ source: dir, reason: 'no *_case_description_*_set.csv found' }] };
  const dicoms = all.filter((p) => /\.dcm$/i.test(p)).map((p) => relative(dir, p));
  const index = indexDicoms(dicoms);

  const byId = new Map<string, DatasetRecord>();
  for (const csv of csvs) {
    const split = CSV_NAME.exec(csv.split(sep).pop() ?? '')![2]!.toLowerCase();
    const table = await readCsv(csv);
    const col = {
      patient: pickColumn(table.header, 'patient_id'),
      density: pickColumn(table.header, 'breast_density', 'breast density'),
      side: pickColumn(table.header, 'left or right breast'),
      view: pickColumn(table.header, 'image view'),
      pathology: pickColumn(table.header, 'pathology'),
      assessment: pickColumn(table.header, 'assessment'),
      image: pickColumn(table.header, 'image file path'),
      roi: pickColumn(table.header, 'ROI mask file path'),
    };
    const missing = Object.entries(col).filter(([, v]) => v === undefined).map(([k]) => k);
    if (missing.length > 0) {
      problems.push({ source: csv, reason: `missing columns: ${missing.join(', ')}` });
      continue;
    }
    for (const { line, values } of table.rows) {
      const source = `${csv}:${line}`;
      const v = (k: keyof typeof col): string => values[col[k]!] ?? '';
      const patient = v('patient');
      const side = v('side').toUpperCase();
      const view = v('view').toUpperCase();
      if (!/^P_\d+$/.test(patient) || (side !== 'LEFT' && side !== 'RIGHT') || !view) {
        problems.push({ source, reason: `bad patient/side/view "${patient}" "${side}" "${view}"` });
        continue;
      }
      const pathology = v('pathology').toUpperCase();
      const label = pathology === 'MALIGNANT' ? 'malignant' : pathology.startsWith('BENIGN') ? 'benign' : undefined;
      if (!label) {
        problems.push({ source, reason: `unknown pathology "${v('pathology')}"` });
        continue;
      }
      const id = `${patient}_${side}_${view}`;
      let rec = byId.get(id);
      if (!rec) {
        const imagePath = resolveImage(v('image'), index);
        if (!imagePath) {
          problems.push({ source, reason: `image not found for "${v('image')}"` });
          continue;
        }
        rec = {
          id,
          patientId: patient,
          imagePath: join(dir, imagePath),
          dataset: 'cbis-ddsm',
          laterality: side === 'LEFT' ? 'L' : 'R',
          view,
          label,
          density: v('density') || undefined,
          officialSplit: split,
          lesions: [],
          unlocatedLesions: 0,
          annotationPaths: [],
        };
        byId.set(id, rec);
      } else if (rec.officialSplit !== split) {
        problems.push({ source, reason: `${id} is in the ${rec.officialSplit} CSVs and the ${split} CSVs; kept ${rec.officialSplit}` });
      }
      rec.label = worseLabel(rec.label, label);
      const birads = normalizeBirads(v('assessment'));
      if (birads !== undefined) rec.birads = worseBirads(rec.birads, birads);
      rec.unlocatedLesions = (rec.unlocatedLesions ?? 0) + 1;
      const roi = resolveImage(v('roi'), index, true);
      if (roi) rec.annotationPaths!.push(join(dir, roi));
    }
  }
  const records = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  return { records, problems };
}

interface DicomIndex {
  exact: Map<string, string>;
  /** Case folder (first path component, e.g. Mass-Training_P_00001_LEFT_CC) -> DICOMs under it. */
  byCase: Map<string, string[]>;
}

function indexDicoms(paths: string[]): DicomIndex {
  const exact = new Map<string, string>();
  const byCase = new Map<string, string[]>();
  for (const p of paths) {
    const parts = p.split(sep);
    // The tree may sit under an extra "CBIS-DDSM/" folder; key on the part that names the case.
    const k = parts.findIndex((s) => /^(Mass|Calc)-(Training|Test)_P_\d+/i.test(s));
    const tail = k >= 0 ? parts.slice(k) : parts;
    exact.set(tail.join('/').toLowerCase(), p);
    const caseDir = tail[0]!.toLowerCase();
    const list = byCase.get(caseDir) ?? [];
    list.push(p);
    byCase.set(caseDir, list);
  }
  return { exact, byCase };
}

function resolveImage(csvPath: string, index: DicomIndex, roi = false): string | undefined {
  const clean = csvPath.trim().replace(/\\/g, '/').replace(/^\/+/, '');
  if (!clean) return undefined;
  const hit = index.exact.get(clean.toLowerCase());
  if (hit) return hit;
  const parts = clean.split('/');
  const caseDir = parts[0]!.toLowerCase();
  const inCase = index.byCase.get(caseDir) ?? [];
  // Full images: the unsuffixed case folder holds exactly one DICOM. ROI folders hold a crop
  // and a mask, so for them this shortcut is not safe.
  if (!roi && inCase.length === 1) return inCase[0];
  const series = parts.length >= 3 ? parts[2]! : undefined;
  if (series) {
    const last5 = series.slice(-5);
    const matches = inCase.filter((p) =>
      dirname(p)
        .split(sep)
        .some((d) => d === series || d.endsWith(`-${last5}`)),
    );
    const file = parts[parts.length - 1]!.toLowerCase();
    const sameName = matches.filter((p) => p.toLowerCase().endsWith(file));
    if (sameName.length === 1) return sameName[0];
    if (matches.length === 1) return matches[0];
  }
  return undefined;
}
