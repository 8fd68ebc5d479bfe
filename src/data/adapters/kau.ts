import { relative, sep } from 'node:path';
import type { AdapterResult, DatasetRecord, Problem } from '../records.js';
import { listImageFiles } from './files.js';
import { biradsToLabel } from './labels.js';

/** `2013_BC003026_ CC_R.jpg`: year _ case _ (a literal space) view _ side. */
const NAME = /^(\d{4})_([A-Za-z]*\d+)_\s*(CC|MLO)_([LR])(?:[_\s(].*)?\.(jpe?g|png)$/i;
const FOLDER = /^birads?[\s_-]*([0-6])$/i;

/**
 * KAU-BCMD: JPEG folders Birad1/3/4/5, possibly nested (Birad3/b3/...). BI-RADS comes from the
 * nearest ancestor folder named like "Birad3", the label from it (labels.ts), and the patient
 * from the file name (year + case id, e.g. 2013_BC003026), so the four views of a case group.
 */
export async function loadKau(dir: string): Promise<AdapterResult> {
  const problems: Problem[] = [];
  const records: DatasetRecord[] = [];
  const seen = new Map<string, string>();
  for (const path of await listImageFiles(dir)) {
    const rel = relative(dir, path);
    const parts = rel.split(sep);
    const name = parts.pop()!;
    const folder = [...parts].reverse().map((p) => FOLDER.exec(p)).find((m) => m !== null);
    if (!folder) {
      problems.push({ source: path, reason: 'not under a BiradN folder' });
      continue;
    }
    const birads = folder[1]!;
    const label = biradsToLabel(birads);
    if (!label) {
      problems.push({ source: path, reason: `unknown BI-RADS folder "${folder[0]}"` });
      continue;
    }
    const m = NAME.exec(name);
    if (!m) {
      problems.push({ source: path, reason: 'file name is not <year>_<case>_ <CC|MLO>_<L|R>.jpg' });
      continue;
    }
    const patientId = `${m[1]}_${m[2]!.toUpperCase()}`;
    const lat = m[4]!.toUpperCase() as 'L' | 'R';
    const view = m[3]!.toUpperCase();
    const id = `${patientId}_${view}_${lat}`;
    const earlier = seen.get(id);
    if (earlier) {
      problems.push({ source: path, reason: `duplicate image ${id} (also ${earlier})` });
      continue;
    }
    seen.set(id, path);
    records.push({ id, patientId, imagePath: path, dataset: 'kau-bcmd', laterality: lat, view, label, birads, lesions: [] });
  }
  return { records, problems };
}
