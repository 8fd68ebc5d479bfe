/** Parses DICOM bytes with dicom-parser, handling deflate, missing preambles and its odd throws. */
import { inflateRawSync } from 'node:zlib';
import dicomParser from 'dicom-parser';
import type { DataSet } from 'dicom-parser';
import { dicomError, describeThrown } from './errors.js';
import { hasDicmPrefix, rawSyntax } from '../sniff.js';

export type { DataSet, Element } from 'dicom-parser';

// Deflated Explicit VR LE: everything after the File Meta group is raw DEFLATE (RFC 1951, no zlib header).
function inflater(bytes: Uint8Array, position: number): Uint8Array {
  const inflated = inflateRawSync(bytes.subarray(position));
  const full = new Uint8Array(position + inflated.length);
  full.set(bytes.subarray(0, position), 0);
  full.set(inflated, position);
  return full;
}

export function parseDicomBytes(bytes: Uint8Array, name: string): DataSet {
  let input = bytes;
  const options: { inflater: unknown; TransferSyntaxUID?: string } = { inflater };
  if (!hasDicmPrefix(bytes)) {
    if (bytes.length >= 8 && bytes[0] === 0x02 && bytes[1] === 0x00) {
      // File Meta group present but the 128-byte preamble and "DICM" missing: restore them
      input = new Uint8Array(132 + bytes.length);
      input.set([0x44, 0x49, 0x43, 0x4d], 128);
      input.set(bytes, 132);
    } else {
      // A data set without preamble or meta header (see rawSyntax in ../sniff.ts)
      options.TransferSyntaxUID = rawSyntax(bytes) === 'explicit' ? '1.2.840.10008.1.2.1' : '1.2.840.10008.1.2';
    }
  }
  let ds: DataSet;
  try {
    ds = dicomParser.parseDicom(input, options as Parameters<typeof dicomParser.parseDicom>[1]);
  } catch (e) {
    const msg = describeThrown(e);
    const truncated = /overrun|past end|end of buffer|eof/i.test(msg);
    throw dicomError(name, truncated ? `truncated or corrupt DICOM (parser: ${msg})` : `not a readable DICOM file (parser: ${msg})`, undefined);
  }
  return ds;
}
