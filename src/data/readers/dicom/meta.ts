/**
 * Non-identifying facts for ImageMeta. Only an allow-list of technical / anatomical attributes is
 * read here; patient, study, institution, date and UID attributes are never touched.
 */
import type { Laterality } from '../../image.js';
import type { DataSet } from './parse.js';
import { frameGroup, item, text } from './header.js';

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
