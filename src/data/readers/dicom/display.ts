/**
 * DICOM grayscale pipeline for one frame: stored -> Modality LUT -> VOI -> Presentation LUT.
 *
 * Decisions (PS3.3 C.11, PS3.4 N.2):
 * - Modality: Modality LUT Sequence if present, else Rescale Slope/Intercept from the top level,
 *   else from the frame's Pixel Value Transformation functional group (per-frame over shared).
 * - VOI: the VOI LUT Sequence if present, else the FIRST Window Center/Width (top level, else the
 *   Frame VOI LUT functional group) with VOI LUT Function LINEAR / LINEAR_EXACT / SIGMOID.
 *   VOI attributes are applied whatever the Presentation Intent Type: they are the producer's display
 *   transform (DX/MG require them FOR PRESENTATION, allow them FOR PROCESSING). With no VOI at all
 *   (typical FOR PROCESSING, or a non-conformant FOR PRESENTATION image) the min..max of the frame's
 *   modality values is mapped linearly onto 0..ymax; meta.notes.voi says which was used.
 * - Presentation: an explicit Presentation LUT Shape decides polarity (INVERSE inverts, IDENTITY does
 *   not); without it MONOCHROME1 is inverted. DX/MG require INVERSE exactly when MONOCHROME1, so
 *   inverting for both would undo the inversion.
 * - Colour (RGB, YBR_FULL, and YBR_* decoded to RGB by the JPEG/J2K codecs) is converted to gray:
 *   Rec. 601 luma of RGB, or the Y sample of YBR_FULL, rescaled from Bits Stored to 0..ymax.
 */
import type { DataSet } from './parse.js';
import type { StoredValues } from './stored.js';
import { decimal, frameGroup, item, text, TRANSFER_SYNTAXES } from './header.js';
import { lookup, readLut } from './lut.js';
import { applyWindow, type VoiFunction } from './window.js';

export type Notes = Record<string, string | number>;

interface Transform {
  apply: (x: number) => number;
  note: string;
}

/** Stored value -> modality value. */
export function modalityTransform(ds: DataSet, stored: StoredValues, frame = 0): Transform {
  const mlut = item(ds, 'x00283000');
  const lut = mlut && readLut(mlut, stored.header.pixelRepresentation === 1);
  if (lut) return { apply: (x) => lookup(lut, x), note: `Modality LUT Sequence (${lut.data.length} entries from ${lut.firstMapped})` };
  const group = frameGroup(ds, 'x00289145', frame);
  const slope = decimal(ds, 'x00281053') ?? decimal(group, 'x00281053') ?? 1;
  const intercept = decimal(ds, 'x00281052') ?? decimal(group, 'x00281052') ?? 0;
  return { apply: (x) => x * slope + intercept, note: `rescale slope ${slope} intercept ${intercept}` };
}

interface Voi {
  /** Modality value -> display value in 0..ymax (not rounded). */
  apply: (m: number, ymax: number) => number;
  note: string;
}

const FUNCTIONS: readonly string[] = ['LINEAR', 'LINEAR_EXACT', 'SIGMOID'];

/** The VOI transform the file specifies for `frame`, or undefined when it specifies none. */
export function voiTransform(ds: DataSet, stored: StoredValues, frame = 0): Voi | undefined {
  const vlut = item(ds, 'x00283010');
  const lut = vlut && readLut(vlut, stored.header.pixelRepresentation === 1);
  if (lut) {
    const top = 2 ** lut.bitsPerEntry - 1;
    return { apply: (m, ymax) => (lookup(lut, m) * ymax) / top, note: `VOI LUT Sequence (${lut.data.length} entries, ${lut.bitsPerEntry} bits)` };
  }
  for (const src of [ds, frameGroup(ds, 'x00289132', frame)]) {
    const c = decimal(src, 'x00281050');
    const w = decimal(src, 'x00281051');
    if (c === undefined || w === undefined) continue;
    const declared = (text(src, 'x00281056') ?? text(ds, 'x00281056') ?? 'LINEAR').toUpperCase();
    const fn = (FUNCTIONS.includes(declared) ? declared : 'LINEAR') as VoiFunction;
    if (w <= 0 || (fn === 'LINEAR' && w < 1)) continue; // invalid width: the standard forbids it
    const unknown = fn === declared ? '' : ` (unknown function "${declared.slice(0, 16).replace(/[^A-Z_]/g, '')}" treated as LINEAR)`;
    return { apply: (m, ymax) => applyWindow(m, c, w, fn, 0, ymax), note: `window ${c}/${w} ${fn}${unknown}` };
  }
  return undefined;
}

/** True when the displayed image must be inverted (see module comment). */
export function invertsPolarity(ds: DataSet, photometric: string): boolean {
  const shape = text(ds, 'x20500020')?.toUpperCase();
  if (shape === 'INVERSE') return true;
  if (shape === 'IDENTITY') return false;
  return photometric === 'MONOCHROME1';
}

export interface Rendered {
  data: Uint8Array | Uint16Array;
  notes: Notes;
}

function renderColour(stored: StoredValues, frame: number, ymax: number): Rendered {
  const h = stored.header;
  const px = h.rows * h.columns;
  const base = frame * stored.frameLength;
  const v = stored.values;
  const codec = TRANSFER_SYNTAXES[h.transferSyntaxUid]!.codec;
  const useY = h.photometricInterpretation === 'YBR_FULL' && (codec === 'native' || codec === 'rle');
  const scale = ymax / (2 ** h.bitsStored - 1);
  const out = ymax > 255 ? new Uint16Array(px) : new Uint8Array(px);
  for (let i = 0, p = base; i < px; i++, p += 3) {
    const y = useY ? v[p]! : 0.299 * v[p]! + 0.587 * v[p + 1]! + 0.114 * v[p + 2]!;
    out[i] = Math.min(ymax, Math.max(0, Math.round(y * scale)));
  }
  return { data: out, notes: { colourToGray: useY ? 'Y of YBR_FULL' : `Rec.601 luma of RGB (${h.photometricInterpretation})` } };
}

/**
 * Renders one frame to display values 0..ymax (ymax 255 -> Uint8Array, else Uint16Array).
 * Works through a table over the frame's stored range, so each transform runs once per distinct value.
 */
export function renderFrame(stored: StoredValues, ds: DataSet, frame = 0, ymax = 255): Rendered {
  const h = stored.header;
  if (frame < 0 || frame >= h.numberOfFrames) throw new Error(`frame ${frame} out of range 0..${h.numberOfFrames - 1}`);
  if (h.photometricInterpretation === 'PALETTE COLOR') throw new Error('PALETTE COLOR images are not supported');
  if (h.samplesPerPixel === 3) return renderColour(stored, frame, ymax);
  const start = frame * stored.frameLength;
  const px = stored.values.subarray(start, start + stored.frameLength);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < px.length; i++) {
    const v = px[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const modality = modalityTransform(ds, stored, frame);
  const table = new Float64Array(hi - lo + 1);
  for (let v = lo; v <= hi; v++) table[v - lo] = modality.apply(v);
  const notes: Notes = { modalityTransform: modality.note };
  const voi = voiTransform(ds, stored, frame);
  if (voi) {
    notes.voi = voi.note;
    for (let i = 0; i < table.length; i++) table[i] = voi.apply(table[i]!, ymax);
  } else {
    let mlo = Infinity;
    let mhi = -Infinity;
    for (const m of table) {
      if (m < mlo) mlo = m;
      if (m > mhi) mhi = m;
    }
    notes.voi = `none in file: modality min..max ${mlo}..${mhi} mapped linearly`;
    const span = mhi - mlo;
    for (let i = 0; i < table.length; i++) table[i] = span > 0 ? ((table[i]! - mlo) / span) * ymax : 0;
  }
  const invert = invertsPolarity(ds, h.photometricInterpretation);
  if (invert) notes.inverted = text(ds, 'x20500020') ? 'Presentation LUT Shape INVERSE' : 'MONOCHROME1';
  const lutOut = ymax > 255 ? new Uint16Array(table.length) : new Uint8Array(table.length);
  for (let i = 0; i < table.length; i++) {
    const y = invert ? ymax - table[i]! : table[i]!;
    lutOut[i] = Math.min(ymax, Math.max(0, Math.round(y)));
  }
  const out = ymax > 255 ? new Uint16Array(px.length) : new Uint8Array(px.length);
  for (let i = 0; i < px.length; i++) out[i] = lutOut[px[i]! - lo]!;
  return { data: out, notes };
}
