/** Image-pixel facts from a parsed data set, and helpers to read (functional-group) attributes. */
import type { DataSet } from './parse.js';
import { dicomError } from './errors.js';

export interface DicomHeader {
  transferSyntaxUid: string;
  transferSyntaxName: string;
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  /** 0 unsigned, 1 two's complement. */
  pixelRepresentation: number;
  planarConfiguration: number;
  photometricInterpretation: string;
  numberOfFrames: number;
}

export function item(ds: DataSet | undefined, seqTag: string, index = 0): DataSet | undefined {
  return ds?.elements[seqTag]?.items?.[index]?.dataSet;
}

/**
 * The first item of `seqTag` that applies to `frame` in an enhanced (multi-frame functional group) object:
 * the frame's PerFrameFunctionalGroupsSequence item wins over SharedFunctionalGroupsSequence.
 */
export function frameGroup(ds: DataSet, seqTag: string, frame: number): DataSet | undefined {
  return item(item(ds, 'x52009230', frame), seqTag) ?? item(item(ds, 'x52009229'), seqTag);
}

export function text(ds: DataSet | undefined, tag: string): string | undefined {
  const s = ds?.string(tag)?.trim();
  return s ? s : undefined;
}

export function decimal(ds: DataSet | undefined, tag: string, index = 0): number | undefined {
  const v = ds?.floatString(tag, index);
  return v === undefined || Number.isNaN(v) ? undefined : v;
}

/** Reads a US attribute; dicom-parser returns undefined when absent or empty. */
export function us(ds: DataSet | undefined, tag: string, index = 0): number | undefined {
  if (!ds?.elements[tag] || ds.elements[tag]!.length < 2 * (index + 1)) return undefined;
  return ds.uint16(tag, index);
}

export const TRANSFER_SYNTAXES: Record<string, { name: string; codec: 'native' | 'jpeg' | 'jpegls' | 'j2k' | 'rle' }> = {
  '1.2.840.10008.1.2': { name: 'Implicit VR Little Endian', codec: 'native' },
  '1.2.840.10008.1.2.1': { name: 'Explicit VR Little Endian', codec: 'native' },
  '1.2.840.10008.1.2.2': { name: 'Explicit VR Big Endian', codec: 'native' },
  '1.2.840.10008.1.2.1.99': { name: 'Deflated Explicit VR Little Endian', codec: 'native' },
  '1.2.840.10008.1.2.4.50': { name: 'JPEG Baseline (Process 1)', codec: 'jpeg' },
  '1.2.840.10008.1.2.4.51': { name: 'JPEG Extended (Process 2 & 4)', codec: 'jpeg' },
  '1.2.840.10008.1.2.4.57': { name: 'JPEG Lossless (Process 14)', codec: 'jpeg' },
  '1.2.840.10008.1.2.4.70': { name: 'JPEG Lossless SV1 (Process 14, Selection Value 1)', codec: 'jpeg' },
  '1.2.840.10008.1.2.4.80': { name: 'JPEG-LS Lossless', codec: 'jpegls' },
  '1.2.840.10008.1.2.4.81': { name: 'JPEG-LS Near-Lossless', codec: 'jpegls' },
  '1.2.840.10008.1.2.4.90': { name: 'JPEG 2000 Lossless', codec: 'j2k' },
  '1.2.840.10008.1.2.4.91': { name: 'JPEG 2000', codec: 'j2k' },
  '1.2.840.10008.1.2.5': { name: 'RLE Lossless', codec: 'rle' },
};

/** A transfer syntax UID as safe text for an error message (UIDs are digits and dots only). */
function safeUid(uid: string): string {
  return /^[0-9.]{1,64}$/.test(uid) ? uid : '(malformed UID)';
}

export function readHeader(ds: DataSet, name: string): DicomHeader {
  const transferSyntaxUid = (text(ds, 'x00020010') ?? '1.2.840.10008.1.2').replace(/\0/g, '');
  const ts = TRANSFER_SYNTAXES[transferSyntaxUid];
  if (!ts) throw dicomError(name, `unsupported transfer syntax ${safeUid(transferSyntaxUid)}`);
  const rows = us(ds, 'x00280010');
  const columns = us(ds, 'x00280011');
  const bitsAllocated = us(ds, 'x00280100');
  if (!rows || !columns || !bitsAllocated) throw dicomError(name, 'image header incomplete: Rows, Columns or Bits Allocated missing');
  const bitsStored = us(ds, 'x00280101') ?? bitsAllocated;
  if (bitsAllocated !== 8 && bitsAllocated !== 16) throw dicomError(name, `Bits Allocated ${bitsAllocated} not supported (only 8 and 16)`);
  if (bitsStored < 1 || bitsStored > bitsAllocated) throw dicomError(name, `Bits Stored ${bitsStored} invalid for Bits Allocated ${bitsAllocated}`);
  const frames = ds.intString('x00280008');
  return {
    transferSyntaxUid,
    transferSyntaxName: ts.name,
    rows,
    columns,
    samplesPerPixel: us(ds, 'x00280002') ?? 1,
    bitsAllocated,
    bitsStored,
    highBit: us(ds, 'x00280102') ?? bitsStored - 1,
    pixelRepresentation: us(ds, 'x00280103') ?? 0,
    planarConfiguration: us(ds, 'x00280006') ?? 0,
    photometricInterpretation: text(ds, 'x00280004') ?? 'MONOCHROME2',
    numberOfFrames: frames && frames > 0 ? frames : 1,
  };
}
