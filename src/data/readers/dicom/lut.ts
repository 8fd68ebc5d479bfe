/** LUT-described transforms (Modality LUT Sequence, VOI LUT Sequence) per PS3.3 C.11.1 / C.11.2.1.1. */
import type { DataSet } from './parse.js';

export interface Lut {
  /** Input value mapped to entry 0 (can be negative). */
  firstMapped: number;
  bitsPerEntry: number;
  data: Uint16Array;
}

/**
 * Reads LUT Descriptor (0028,3002) + LUT Data (0028,3006) from a sequence item. The descriptor's
 * second value is SS when the LUT input is signed: use the explicit VR, else `signedInput`
 * (implicit VR files carry no VR). Entry count 0 means 65536.
 */
export function readLut(item: DataSet, signedInput: boolean): Lut | undefined {
  const desc = item.elements.x00283002;
  const dataEl = item.elements.x00283006;
  if (!desc || !dataEl || desc.length < 6) return undefined;
  const n = item.uint16('x00283002', 0)! || 65536;
  const rawFirst = item.uint16('x00283002', 1)!;
  const signed = desc.vr ? desc.vr === 'SS' : signedInput;
  const firstMapped = signed && rawFirst >= 0x8000 ? rawFirst - 0x10000 : rawFirst;
  const bitsPerEntry = item.uint16('x00283002', 2)!;
  const data = new Uint16Array(n);
  const parser = item.byteArrayParser;
  if (bitsPerEntry <= 8 && dataEl.length === n) {
    // 8-bit entries packed one per byte (seen in some files) rather than one per 16-bit word
    for (let i = 0; i < n; i++) data[i] = item.byteArray[dataEl.dataOffset + i]!;
  } else {
    if (dataEl.length < 2 * n) return undefined;
    for (let i = 0; i < n; i++) data[i] = parser.readUint16(item.byteArray, dataEl.dataOffset + 2 * i);
  }
  return { firstMapped, bitsPerEntry, data };
}

/** Inputs below the first mapped value take entry 0, inputs past the end the last entry. */
export function lookup(lut: Lut, x: number): number {
  const i = Math.round(x) - lut.firstMapped;
  return lut.data[i < 0 ? 0 : i >= lut.data.length ? lut.data.length - 1 : i]!;
}
