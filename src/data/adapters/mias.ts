import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdapterResult, DatasetRecord, Lesion, Problem } from '../records.js';
import { worseLabel } from '../records.js';

/** mini-MIAS images are 1024 x 1024; Info.txt measures y from the bottom-left corner. */
export const MIAS_SIZE = 1024;
/** mini-MIAS pixels are 200 microns (the original 50 micron films reduced 4x). */
export const MIAS_PIXEL_MM = 0.2;

const TISSUE = new Set(['F', 'G', 'D']);
const CLASSES = new Set(['CALC', 'CIRC', 'SPIC', 'MISC', 'ARCH', 'ASYM', 'NORM']);

/**
 * Converts Info.txt's y (origin bottom-left, header note 3) to a 0-based row from the top.
 * The source does not say whether y is 0- or 1-based; 1023 - y keeps y in 0..1023 on the grid
 * and matches the data README's hand checks (mdb001's centre (535, 598) lies on the mass). The
 * 1024 - y reading differs by one pixel, well inside any lesion radius.
 */
export function miasRow(y: number): number {
  return MIAS_SIZE - 1 - y;
}

/**
 * mini-MIAS from Info.txt. One record per image (rows of one image are merged, each row one
 * lesion); label = most severe row (normal < benign < malignant, so mdb144 with a B and an M row
 * is malignant); patient = consecutive pair (header note 1: even number = left, odd = right,
 * mdb001 + mdb002 = patient 1). Accepts mdbNNN.pgm or .png. All films are MLO views.
 */
export async function loadMias(dir: string): Promise<AdapterResult> {
  const problems: Problem[] = [];
  const infoPath = join(dir, 'Info.txt');
  const text = await readFile(infoPath, 'utf8');
  const files = new Map<string, string>();
  for (const name of await readdir(dir)) {
    const m = /^(mdb\d{3})\.(pgm|png)$/i.exec(name);
    // Prefer the original .pgm when both are present.
    if (m && (!files.has(m[1]!.toLowerCase()) || m[2]!.toLowerCase() === 'pgm')) files.set(m[1]!.toLowerCase(), join(dir, name));
  }

  const byId = new Map<string, DatasetRecord>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const source = `${infoPath}:${i + 1}`;
    const line = raw.trim();
    // The header and footer are prose; data rows are the lines that start with a reference number.
    if (!/^mdb/i.test(line)) return;
    const parsed = parseRow(line);
    if (typeof parsed === 'string') {
      problems.push({ source, reason: parsed });
      return;
    }
    const { id, tissue, cls, severity, lesion } = parsed;
    let rec = byId.get(id);
    if (!rec) {
      const n = Number(id.slice(3));
      const imagePath = files.get(id);
      if (!imagePath) {
        problems.push({ source, reason: `no image file ${id}.pgm or ${id}.png in ${dir}` });
        return;
      }
      rec = {
        id,
        patientId: `mias-${String(Math.ceil(n / 2)).padStart(3, '0')}`,
        imagePath,
        dataset: 'mini-mias',
        laterality: n % 2 === 0 ? 'L' : 'R',
        view: 'MLO',
        pixelSpacingMm: MIAS_PIXEL_MM,
        label: 'normal',
        density: tissue,
        lesions: [],
      };
      byId.set(id, rec);
    } else if (rec.density !== tissue) {
      problems.push({ source, reason: `${id}: tissue ${tissue} differs from an earlier row (${rec.density}); kept the first` });
    }
    if (cls === 'NORM') return;
    rec.label = worseLabel(rec.label, severity === 'M' ? 'malignant' : 'benign');
    if (lesion) rec.lesions.push(lesion);
    else rec.unlocatedLesions = (rec.unlocatedLesions ?? 0) + 1;
  });
  const records = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  return { records, problems };
}

interface MiasRow {
  id: string;
  tissue: string;
  cls: string;
  severity?: 'B' | 'M';
  lesion?: Lesion;
}

/** Parses `REFNUM BG CLASS [SEVERITY [X Y RADIUS | *NOTE 3*]]`; a string is the reason it failed. */
function parseRow(line: string): MiasRow | string {
  const f = line.split(/\s+/);
  const [ref, tissue, cls, sev] = f;
  if (!ref || !/^mdb\d{3}$/i.test(ref)) return `bad reference number in "${line}"`;
  const id = ref.toLowerCase();
  if (!tissue || !TISSUE.has(tissue)) return `${id}: unknown background tissue "${tissue ?? ''}"`;
  if (!cls || !CLASSES.has(cls)) return `${id}: unknown class "${cls ?? ''}"`;
  if (cls === 'NORM') {
    if (f.length > 3) return `${id}: NORM row has extra fields "${f.slice(3).join(' ')}"`;
    return { id, tissue, cls };
  }
  if (sev !== 'B' && sev !== 'M') return `${id}: unknown severity "${sev ?? ''}" for ${cls}`;
  const rest = f.slice(4);
  // Rows with no coordinates: nothing after the severity, or "*NOTE 3*" (widely distributed calcifications).
  if (rest.length === 0 || rest.join(' ').startsWith('*NOTE')) return { id, tissue, cls, severity: sev };
  if (rest.length !== 3) return `${id}: expected X Y RADIUS, got "${rest.join(' ')}"`;
  const [x, y, r] = rest.map(Number) as [number, number, number];
  const valid = [x, y, r].every((v) => Number.isInteger(v) && v >= 0) && x < MIAS_SIZE && y < MIAS_SIZE;
  if (!valid) return `${id}: coordinates out of range "${rest.join(' ')}"`;
  const severity = sev === 'M' ? 'malignant' : 'benign';
  return { id, tissue, cls, severity: sev, lesion: { x, y: miasRow(y), radius: r, kind: cls, severity } };
}
