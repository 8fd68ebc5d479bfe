import { readFile } from 'node:fs/promises';
import { basename, sep } from 'node:path';
import type { AdapterResult, DatasetRecord, Lesion, Problem } from '../records.js';
import { pickColumn, readCsv } from './csv.js';
import { listFiles } from './files.js';
import { biradsToLabel, normalizeBirads } from './labels.js';
import { parsePlist, type PlistValue } from './plist.js';

const DICOM_NAME = /^(\d+)_([0-9a-f]+)_MG_([LR])_(CC|MLO)_ANON\.dcm$/i;

/**
 * INbreast from `INbreast.csv` (semicolon-separated) and `AllDICOMs/`. The CSV's Patient ID is
 * "removed", so the patient is the 16-hex hash in the DICOM name
 * `<FileName>_<hash>_MG_<L|R>_<CC|MLO>_ANON.dcm`. Label from BI-RADS (see labels.ts: no
 * pathology column). Lesions from `AllXML/<FileName>.xml` when present: each ROI's centre is the
 * mean of its Point_px outline and its radius the farthest outline point (at least 1 px).
 */
export async function loadInbreast(dir: string): Promise<AdapterResult> {
  const problems: Problem[] = [];
  const all = await listFiles(dir);
  const csvPath = all.find((p) => /^inbreast\.csv$/i.test(basename(p)));
  if (!csvPath) return { records: [], problems: [{ source: dir, reason: 'INbreast.csv not found' }] };
  const dicomByFile = new Map<string, { path: string; hash: string; lat: 'L' | 'R'; view: string }>();
  const xmlByFile = new Map<string, string>();
  for (const p of all) {
    const name = p.split(sep).pop()!;
    const m = DICOM_NAME.exec(name);
    if (m) dicomByFile.set(m[1]!, { path: p, hash: m[2]!.toLowerCase(), lat: m[3]!.toUpperCase() as 'L' | 'R', view: m[4]!.toUpperCase() });
    const x = /^(\d+)\.xml$/i.exec(name);
    if (x) xmlByFile.set(x[1]!, p);
  }

  const table = await readCsv(csvPath, ';');
  const fileCol = pickColumn(table.header, 'File Name');
  const biradsCol = pickColumn(table.header, 'Bi-Rads');
  if (!fileCol || !biradsCol) return { records: [], problems: [{ source: csvPath, reason: 'missing "File Name" or "Bi-Rads" column' }] };
  const latCol = pickColumn(table.header, 'Laterality');
  const viewCol = pickColumn(table.header, 'View');
  const acrCol = pickColumn(table.header, 'ACR');

  const records: DatasetRecord[] = [];
  const seen = new Set<string>();
  for (const { line, values } of table.rows) {
    const source = `${csvPath}:${line}`;
    const file = values[fileCol] ?? '';
    if (!/^\d+$/.test(file)) {
      problems.push({ source, reason: `bad File Name "${file}"` });
      continue;
    }
    if (seen.has(file)) {
      problems.push({ source, reason: `duplicate File Name ${file}` });
      continue;
    }
    seen.add(file);
    const birads = normalizeBirads(values[biradsCol] ?? '');
    const label = birads ? biradsToLabel(birads) : undefined;
    if (!birads || !label) {
      problems.push({ source, reason: `${file}: unknown Bi-Rads "${values[biradsCol] ?? ''}"` });
      continue;
    }
    const dicom = dicomByFile.get(file);
    if (!dicom) {
      problems.push({ source, reason: `${file}: no DICOM named ${file}_<hash>_MG_<L|R>_<view>_ANON.dcm` });
      continue;
    }
    const csvLat = latCol ? (values[latCol] ?? '').toUpperCase() : '';
    if (csvLat && csvLat !== dicom.lat) problems.push({ source, reason: `${file}: CSV laterality ${csvLat} but file name says ${dicom.lat}; used the file name` });
    const rec: DatasetRecord = {
      id: file,
      patientId: dicom.hash,
      imagePath: dicom.path,
      dataset: 'inbreast',
      laterality: dicom.lat,
      view: (viewCol && values[viewCol]) || dicom.view,
      label,
      birads,
      density: (acrCol && values[acrCol]) || undefined,
      lesions: [],
    };
    const xml = xmlByFile.get(file);
    if (xml) {
      try {
        rec.lesions = roisFromXml(await readFile(xml, 'utf8'));
        rec.annotationPaths = [xml];
      } catch (e) {
        problems.push({ source: xml, reason: `unreadable ROI file: ${(e as Error).message}` });
      }
    }
    records.push(rec);
  }
  return { records, problems };
}

/** Lesion centres and radii from an OsiriX ROI plist. */
export function roisFromXml(xml: string): Lesion[] {
  const root = parsePlist(xml) as Record<string, PlistValue>;
  const images = (root['Images'] ?? []) as Record<string, PlistValue>[];
  const out: Lesion[] = [];
  for (const img of images) {
    for (const roi of (img['ROIs'] ?? []) as Record<string, PlistValue>[]) {
      const pts = ((roi['Point_px'] ?? []) as string[]).flatMap((s) => {
        const m = /\(\s*([-\d.eE+]+)\s*,\s*([-\d.eE+]+)/.exec(s);
        return m ? [{ x: Number(m[1]), y: Number(m[2]) }] : [];
      });
      if (pts.length === 0) continue;
      const cx = pts.reduce((a, p) => a + p.x, 0) / pts.length;
      const cy = pts.reduce((a, p) => a + p.y, 0) / pts.length;
      const radius = Math.max(1, ...pts.map((p) => Math.hypot(p.x - cx, p.y - cy)));
      const lesion: Lesion = { x: cx, y: cy, radius };
      if (typeof roi['Name'] === 'string') lesion.kind = roi['Name'];
      out.push(lesion);
    }
  }
  return out;
}

