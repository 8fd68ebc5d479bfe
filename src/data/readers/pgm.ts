/**
 * Netpbm PGM reader: P5 (binary) and P2 (ASCII), maxval 1..65535.
 * Samples are returned exactly as stored (no rescaling to the full 8/16-bit range), so a
 * maxval of 4095 gives 16-bit data whose brightest value is 4095; meta.notes.maxval says so.
 */
import { readFile } from 'node:fs/promises';
import type { GrayImage } from '../image.js';

interface PgmHeader {
  kind: 'P2' | 'P5';
  width: number;
  height: number;
  maxval: number;
  /** Offset of the first raster byte (P5) or first sample token (P2). */
  dataOffset: number;
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c;

/** Reads header tokens; '#' starts a comment to end of line anywhere in the header (Netpbm rule). */
function parseHeader(bytes: Uint8Array, name: string): PgmHeader {
  if (bytes.length < 2 || bytes[0] !== 0x50 /* P */) throw new Error(`${name}: bad PGM magic: not a Netpbm file`);
  const magic = String.fromCharCode(bytes[0]!, bytes[1]!);
  if (magic !== 'P2' && magic !== 'P5') {
    throw new Error(`${name}: bad PGM magic "${magic}": only grayscale P2 (ASCII) and P5 (binary) are supported`);
  }
  let pos = 2;
  const fields: number[] = [];
  while (fields.length < 3) {
    // skip whitespace and comments
    while (pos < bytes.length) {
      const c = bytes[pos]!;
      if (isSpace(c)) pos++;
      else if (c === 0x23) {
        while (pos < bytes.length && bytes[pos] !== 0x0a && bytes[pos] !== 0x0d) pos++;
      } else break;
    }
    if (pos >= bytes.length) throw new Error(`${name}: bad PGM header: ended before width, height and maxval were read`);
    let value = 0;
    let digits = 0;
    while (pos < bytes.length && bytes[pos]! >= 0x30 && bytes[pos]! <= 0x39) {
      value = value * 10 + (bytes[pos]! - 0x30);
      digits++;
      pos++;
    }
    if (digits === 0) throw new Error(`${name}: bad PGM header: expected a decimal number at byte ${pos}`);
    fields.push(value);
  }
  // exactly one whitespace byte separates maxval from a binary raster
  const [width, height, maxval] = fields as [number, number, number];
  if (pos < bytes.length && !isSpace(bytes[pos]!)) throw new Error(`${name}: bad PGM header: no whitespace after maxval`);
  if (width < 1 || height < 1) throw new Error(`${name}: bad PGM header: size ${width}x${height}`);
  if (maxval < 1 || maxval > 65535) throw new Error(`${name}: bad PGM header: maxval ${maxval} outside 1..65535`);
  return { kind: magic, width, height, maxval, dataOffset: pos + 1 };
}

function readP5(bytes: Uint8Array, h: PgmHeader, name: string): Uint8Array | Uint16Array {
  const n = h.width * h.height;
  const bytesPerSample = h.maxval < 256 ? 1 : 2;
  const need = n * bytesPerSample;
  const have = bytes.length - h.dataOffset;
  if (have < need) throw new Error(`${name}: truncated PGM: expected ${need} bytes of pixel data, found ${Math.max(0, have)}`);
  if (bytesPerSample === 1) {
    const out = bytes.slice(h.dataOffset, h.dataOffset + need);
    for (let i = 0; i < n; i++) if (out[i]! > h.maxval) throw new Error(`${name}: bad PGM data: sample ${out[i]} at pixel ${i} exceeds maxval ${h.maxval}`);
    return out;
  }
  // 16-bit P5 is big-endian (most significant byte first) per the Netpbm spec
  const out = new Uint16Array(n);
  for (let i = 0, p = h.dataOffset; i < n; i++, p += 2) {
    const v = (bytes[p]! << 8) | bytes[p + 1]!;
    if (v > h.maxval) throw new Error(`${name}: bad PGM data: sample ${v} at pixel ${i} exceeds maxval ${h.maxval}`);
    out[i] = v;
  }
  return out;
}

function readP2(bytes: Uint8Array, h: PgmHeader, name: string): Uint8Array | Uint16Array {
  const n = h.width * h.height;
  const out = h.maxval < 256 ? new Uint8Array(n) : new Uint16Array(n);
  let pos = h.dataOffset - 1;
  let i = 0;
  while (i < n) {
    while (pos < bytes.length && (isSpace(bytes[pos]!) || bytes[pos] === 0x23)) {
      if (bytes[pos] === 0x23) while (pos < bytes.length && bytes[pos] !== 0x0a) pos++;
      else pos++;
    }
    if (pos >= bytes.length) break;
    let v = 0;
    let digits = 0;
    while (pos < bytes.length && bytes[pos]! >= 0x30 && bytes[pos]! <= 0x39) {
      v = v * 10 + (bytes[pos]! - 0x30);
      digits++;
      pos++;
    }
    if (digits === 0) throw new Error(`${name}: bad PGM data: unexpected byte 0x${bytes[pos]!.toString(16)} at offset ${pos}`);
    if (v > h.maxval) throw new Error(`${name}: bad PGM data: sample ${v} at pixel ${i} exceeds maxval ${h.maxval}`);
    out[i++] = v;
  }
  if (i < n) throw new Error(`${name}: truncated PGM: expected ${n} samples of pixel data, found ${i}`);
  return out;
}

/** Decodes PGM bytes; `name` is only used in error messages and meta.source. */
export function decodePgm(bytes: Uint8Array, name: string): GrayImage {
  const h = parseHeader(bytes, name);
  const data = h.kind === 'P5' ? readP5(bytes, h, name) : readP2(bytes, h, name);
  return {
    width: h.width,
    height: h.height,
    bitDepth: h.maxval < 256 ? 8 : 16,
    data,
    meta: { source: name, format: 'pgm', notes: { pgmType: h.kind, maxval: h.maxval } },
  };
}

export async function readPgm(path: string): Promise<GrayImage> {
  return decodePgm(new Uint8Array(await readFile(path)), path);
}
