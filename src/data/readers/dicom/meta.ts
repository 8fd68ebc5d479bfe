/**
 * Non-identifying facts for ImageMeta. Only an allow-list of technical / anatomical attributes is
 * read here; patient, study, institution, date and UID attributes are never touched.
 */
import type { Laterality } from '../../image.js';
import type { DataSet } from './parse.js';
import { decimal, frameGroup, item, text } from './header.js';

function lat(v: string | undefined): Laterality | undefined {
  return v === 'L' || v === 'R' ? v : undefined;
}

/** ImageLaterality (0020,0062), else Laterality (0020,0060), else FrameLaterality (0020,9072). */
export function readLaterality(ds: DataSet): Laterality | undefined {
  return lat(text(ds, 'x00200062')) ?? lat(text(ds, 'x00200060')) ?? lat(text(frameGroup(ds, 'x00209071', 0), 'x00209072'));
}

// ViewCodeSequence codes (SNOMED-RT and SNOMED CT, PS3.16 CID 4014) for the usual mammography views
const VIEW_CODES: Record<string, string> = {
  'R-10242': 'CC', '399162004': 'CC',
  'R-10226': 'MLO', '399368009': 'MLO',
  'R-10224': 'ML',
  'R-10228': 'LM',
  'R-10230': 'LMO',
  'R-10244': 'FB',
  'R-1024A': 'XCCL',
  'R-1024B': 'XCCM',
};

/** ViewPosition (0018,5101), else ViewCodeSequence (0054,0220) code or its meaning. */
export function readView(ds: DataSet): string | undefined {
  const vp = text(ds, 'x00185101');
  if (vp) return vp.toUpperCase();
  const code = item(ds, 'x00540220');
  if (!code) return undefined;
  const value = text(code, 'x00080100');
  return (value && VIEW_CODES[value]) ?? text(code, 'x00080104');
}

export interface PixelSpacing {
  mm: number;
  /** Set when rows and columns are spaced differently: the mean is used, this says so. */
  note?: string;
}

/**
 * Millimetres per pixel: PixelSpacing (0028,0030), at the top level or in the enhanced
 * PixelMeasuresSequence (0028,9110), else ImagerPixelSpacing (0018,1164), the detector's
 * spacing, which projection mammograms often carry alone. Downstream code treats pixels as
 * square, so unequal row and column spacings are averaged.
 */
export function readPixelSpacing(ds: DataSet): PixelSpacing | undefined {
  const candidates: [DataSet | undefined, string][] = [[ds, 'x00280030'], [frameGroup(ds, 'x00289110', 0), 'x00280030'], [ds, 'x00181164']];
  for (const [d, tag] of candidates) {
    const row = decimal(d, tag, 0);
    const column = decimal(d, tag, 1) ?? row;
    if (row === undefined || column === undefined || !(row > 0) || !(column > 0)) continue;
    if (row === column) return { mm: row };
    return { mm: (row + column) / 2, note: `rows ${row} mm, columns ${column} mm apart: mean used` };
  }
  return undefined;
}
