// The safetensors file format (huggingface/safetensors, README "Format" and
// safetensors/src/tensor.rs), bytes only: no tensor engine here.
//
// Layout: u64 little-endian N | N bytes of UTF-8 JSON header (starts with '{', padded with
// spaces) | byte buffer. Header: {"__metadata__": {str: str}?, name: {dtype, shape, data_offsets}},
// offsets relative to the start of the byte buffer, END exclusive.

import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writing } from './write-error.js';

export type SafeDtype = 'BOOL' | 'U8' | 'I8' | 'I16' | 'F16' | 'BF16' | 'I32' | 'F32' | 'F64' | 'I64';

/** Bytes per element. */
export const DTYPE_SIZE: Readonly<Record<SafeDtype, number>> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  I16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
};

// Position in the reference Dtype enum, which is declared in increasing alignment order; the
// writer sorts by it descending. Note F64 < I64 there, so I64 tensors come first.
const DTYPE_RANK: Readonly<Record<SafeDtype, number>> = {
  BOOL: 0,
  U8: 1,
  I8: 2,
  I16: 3,
  F16: 4,
  BF16: 5,
  I32: 6,
  F32: 7,
  F64: 8,
  I64: 9,
};

/** The reader's limit on the header size N (tensor.rs MAX_HEADER_SIZE). */
export const MAX_HEADER_SIZE = 100_000_000;

const METADATA_KEY = '__metadata__';

export interface SafeEntry {
  dtype: SafeDtype;
  shape: number[];
  /** Raw little-endian, row-major bytes. Decoded entries are views into the file bytes. */
  data: Uint8Array;
}

export interface DecodedSafetensors {
  /** Tensors by name, in file (offset) order. */
  entries: Record<string, SafeEntry>;
  /** The `__metadata__` map; {} when absent. */
  metadata: Record<string, string>;
  /** Byte offset of the data buffer in the file (8 + N). */
  dataStart: number;
}

export function isSafeDtype(d: unknown): d is SafeDtype {
  return typeof d === 'string' && Object.prototype.hasOwnProperty.call(DTYPE_SIZE, d);
}

// numel = product of the shape (1 for a scalar, shape []); 0 for an empty tensor.
function numel(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

function isNonNegativeSafeInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

// Rust compares String keys byte-wise (UTF-8); JS `<` compares UTF-16 units, which differs
// for characters above U+FFFF, so compare the UTF-8 bytes.
function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Serialises tensors as the reference writer does: sorted by descending dtype alignment, then
 * by name; compact JSON header with "__metadata__" first; spaces to a multiple of 8 bytes.
 * Deviations, both harmless to readers: the reference writes metadata keys in HashMap (random)
 * order, here they are sorted so the output is deterministic; an empty metadata map is omitted
 * (the reference would write "__metadata__":{}), so decode -> encode reproduces a file that
 * had no metadata byte for byte.
 */
export function encodeSafetensors(
  entries: Record<string, SafeEntry>,
  metadata?: Record<string, string>,
): Uint8Array {
  const names = Object.keys(entries);
  for (const name of names) {
    if (name === METADATA_KEY) throw new Error(`safetensors: a tensor cannot be named "${METADATA_KEY}"`);
    const e = entries[name]!;
    if (!isSafeDtype(e.dtype)) throw new Error(`safetensors: tensor "${name}" has unsupported dtype ${String(e.dtype)}`);
    if (!Array.isArray(e.shape) || !e.shape.every(isNonNegativeSafeInt)) {
      throw new Error(`safetensors: tensor "${name}" has an invalid shape ${JSON.stringify(e.shape)}`);
    }
    const want = numel(e.shape) * DTYPE_SIZE[e.dtype];
    if (!(e.data instanceof Uint8Array) || e.data.byteLength !== want) {
      throw new Error(
        `safetensors: tensor "${name}" (${e.dtype} [${e.shape.join(', ')}]) needs ${want} bytes, got ${e.data?.byteLength}`,
      );
    }
  }
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new Error(`safetensors: metadata value for "${k}" is not a string`);
    }
  }
  names.sort((a, b) => DTYPE_RANK[entries[b]!.dtype] - DTYPE_RANK[entries[a]!.dtype] || compareUtf8(a, b));

  // Built by hand, not JSON.stringify(object), to fix the key order to serde's: metadata, then
  // tensors in write order, and inside each tensor dtype, shape, data_offsets.
  const parts: string[] = [];
  if (metadata !== undefined && Object.keys(metadata).length > 0) {
    const keys = Object.keys(metadata).sort(compareUtf8);
    parts.push(`${JSON.stringify(METADATA_KEY)}:{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`).join(',')}}`);
  }
  let offset = 0;
  for (const name of names) {
    const e = entries[name]!;
    const end = offset + e.data.byteLength;
    parts.push(`${JSON.stringify(name)}:{"dtype":"${e.dtype}","shape":[${e.shape.join(',')}],"data_offsets":[${offset},${end}]}`);
    offset = end;
  }
  const json = Buffer.from(`{${parts.join(',')}}`, 'utf8');
  const headerLen = Math.ceil(json.byteLength / 8) * 8;

  const out = new Uint8Array(8 + headerLen + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLen), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.byteLength, 8 + headerLen);
  let at = 8 + headerLen;
  for (const name of names) {
    out.set(entries[name]!.data, at);
    at += entries[name]!.data.byteLength;
  }
  return out;
}

/** One tensor as the header describes it, without its bytes. */
export interface SafeTensorInfo {
  dtype: SafeDtype;
  shape: number[];
  /** [begin, end) in the byte buffer, i.e. relative to dataStart. */
  dataOffsets: [number, number];
}

export interface SafetensorsHeader {
  /** Tensors by name, in file (offset) order. */
  tensors: Record<string, SafeTensorInfo>;
  /** The `__metadata__` map; {} when absent. */
  metadata: Record<string, string>;
  /** Byte offset of the data buffer in the file (8 + N). */
  dataStart: number;
}

/**
 * Parses and validates the header of a safetensors file of `fileSize` bytes from its first
 * bytes (`head` holds at least 8 + N of them, or the whole file when shorter). Every check of
 * the reference reader is applied, plus duplicate keys (which serde would silently collapse),
 * including that the tensors exactly fill the rest of the file; errors name `source`. Split
 * from decodeSafetensors so a reader can validate a file without reading its tensors.
 */
export function decodeSafetensorsHeader(head: Uint8Array, fileSize: number, source = '<buffer>'): SafetensorsHeader {
  const fail = (why: string): never => {
    throw new Error(`safetensors ${source}: ${why}`);
  };
  if (fileSize < 8) fail(`file is ${fileSize} bytes, shorter than the 8-byte header length`);
  const n64 = new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER_SIZE)) fail(`header size ${n64} exceeds the limit of ${MAX_HEADER_SIZE} bytes`);
  const n = Number(n64);
  if (8 + n > fileSize) fail(`header size ${n} runs past the end of the file (${fileSize} bytes)`);
  if (8 + n > head.byteLength) throw new Error(`decodeSafetensorsHeader: ${source}: given ${head.byteLength} bytes, the header needs ${8 + n}`);

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(head.subarray(8, 8 + n));
  } catch {
    return fail('header is not valid UTF-8');
  }
  if (text[0] !== '{') fail(`header does not start with '{'`);
  let header: Record<string, unknown>;
  try {
    header = parseStrictJson(text) as Record<string, unknown>;
  } catch (e) {
    return fail(`header is not valid JSON: ${(e as Error).message}`);
  }

  const metadata: Record<string, string> = {};
  const infos: { name: string; dtype: SafeDtype; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === METADATA_KEY) {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(`"${METADATA_KEY}" is not an object`);
      for (const [k, v] of Object.entries(raw as object)) {
        if (typeof v !== 'string') fail(`metadata value for "${k}" is not a string`);
        setOwn(metadata, k, v as string);
      }
      continue;
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(`tensor "${name}": entry is not an object`);
    const info = raw as Record<string, unknown>;
    if (!isSafeDtype(info['dtype'])) fail(`tensor "${name}": unsupported dtype ${JSON.stringify(info['dtype'])}`);
    const shape = info['shape'];
    if (!Array.isArray(shape) || !shape.every(isNonNegativeSafeInt)) {
      fail(`tensor "${name}": shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
    }
    const off = info['data_offsets'];
    if (!Array.isArray(off) || off.length !== 2 || !off.every(isNonNegativeSafeInt)) {
      fail(`tensor "${name}": data_offsets ${JSON.stringify(off)} is not a pair of non-negative integers`);
    }
    const [begin, end] = off as number[];
    infos.push({ name, dtype: info['dtype'] as SafeDtype, shape: shape as number[], begin: begin!, end: end! });
  }

  // The reference sorts by (begin, end), then requires contiguous, hole-free coverage from 0.
  infos.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const t of infos) {
    if (t.begin !== expected || t.end < t.begin) {
      fail(`tensor "${t.name}": data_offsets [${t.begin}, ${t.end}] are not contiguous (expected to begin at ${expected})`);
    }
    const want = numel(t.shape) * DTYPE_SIZE[t.dtype];
    if (!Number.isSafeInteger(want)) fail(`tensor "${t.name}": shape [${t.shape.join(', ')}] overflows`);
    if (t.end - t.begin !== want) {
      fail(`tensor "${t.name}": data_offsets span ${t.end - t.begin} bytes but ${t.dtype} [${t.shape.join(', ')}] needs ${want}`);
    }
    expected = t.end;
  }
  const dataStart = 8 + n;
  if (dataStart + expected !== fileSize) {
    fail(`tensors end at byte ${dataStart + expected} but the file has ${fileSize} bytes`);
  }

  const tensors: Record<string, SafeTensorInfo> = {};
  for (const t of infos) setOwn(tensors, t.name, { dtype: t.dtype, shape: t.shape, dataOffsets: [t.begin, t.end] });
  return { tensors, metadata, dataStart };
}

/**
 * Parses and validates a safetensors file held in memory (see decodeSafetensorsHeader).
 * Entry data are zero-copy subarrays of `bytes`.
 */
export function decodeSafetensors(bytes: Uint8Array, source = '<buffer>'): DecodedSafetensors {
  const { tensors, metadata, dataStart } = decodeSafetensorsHeader(bytes, bytes.byteLength, source);
  const entries: Record<string, SafeEntry> = {};
  for (const [name, t] of Object.entries(tensors)) {
    const [begin, end] = t.dataOffsets;
    setOwn(entries, name, { dtype: t.dtype, shape: t.shape, data: bytes.subarray(dataStart + begin, dataStart + end) });
  }
  return { entries, metadata, dataStart };
}

/**
 * Reads and validates only the header of an open file (two positional reads), for readers that
 * fetch tensor bytes later, piece by piece.
 */
export async function readSafetensorsHeader(handle: FileHandle, source: string): Promise<SafetensorsHeader> {
  const { size } = await handle.stat();
  const prefix = new Uint8Array(8);
  await readFullyAt(handle, prefix.subarray(0, Math.min(8, size)), 0, source);
  if (size < 8) return decodeSafetensorsHeader(prefix, size, source);
  // Clamped so a corrupt length reads no more than the file; the decoder then reports it.
  const n = Number(new DataView(prefix.buffer).getBigUint64(0, true));
  const len = 8 + Math.max(0, Math.min(n, MAX_HEADER_SIZE, size - 8));
  const head = new Uint8Array(len);
  head.set(prefix);
  await readFullyAt(handle, head.subarray(8), 8, source);
  return decodeSafetensorsHeader(head, size, source);
}

/**
 * Fills `target` from the file at `position`. pread may return fewer bytes than asked (signals,
 * reads above 2 GiB), so it loops; end of file before `target` is full means the file is
 * shorter than its header says (truncated or replaced since it was opened).
 */
export async function readFullyAt(handle: FileHandle, target: Uint8Array, position: number, source: string): Promise<void> {
  let done = 0;
  while (done < target.byteLength) {
    const { bytesRead } = await handle.read(target, done, target.byteLength - done, position + done);
    if (bytesRead === 0) {
      throw new Error(`${source}: the file ends early: read ${done} of ${target.byteLength} bytes at offset ${position} (truncated or replaced while in use?)`);
    }
    done += bytesRead;
  }
}

// obj[key] = value as an own data property, even for key "__proto__" (plain assignment would
// replace the prototype: a file must not be able to do that).
function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Writes atomically: temporary file in the same folder (so rename cannot cross file systems),
 * fsync, rename over `path`, then fsync the folder so the rename itself is durable. Encoding
 * happens first, so a bad entry throws before anything is touched; any failure removes the
 * temporary file and leaves an existing `path` as it was.
 */
export async function writeSafetensorsFile(
  path: string,
  entries: Record<string, SafeEntry>,
  metadata?: Record<string, string>,
): Promise<void> {
  const bytes = encodeSafetensors(entries, metadata);
  await writing(path, () => replaceFile(path, bytes));
}

async function replaceFile(path: string, bytes: Uint8Array): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let renamed = false;
  try {
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    renamed = true;
    await syncDir(dir);
  } finally {
    if (!renamed) await unlink(tmp).catch(() => undefined);
  }
}

// fsync of a directory; some platforms (Windows) and file systems refuse it, which only
// weakens durability after a crash, so errors are ignored.
async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // best effort
  }
}

/** Reads and validates a file; entry data are views into the one buffer read. */
export async function readSafetensorsFile(path: string): Promise<DecodedSafetensors> {
  const buf = await readFile(path);
  return decodeSafetensors(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), path);
}

// A small strict JSON (RFC 8259) parser. JSON.parse keeps the last of duplicate keys silently;
// a safetensors header with two entries of one name is corrupt, so duplicates must be seen.
// Objects are created with a null prototype so a key like "__proto__" is plain data.
function parseStrictJson(text: string): unknown {
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const err = (what: string): never => {
    throw new Error(`${what} at character ${i}`);
  };
  const str = (): string => {
    // text[i] === '"'
    let out = '';
    i++;
    for (;;) {
      if (i >= text.length) err('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return out;
      }
      if (c < 0x20) err('control character in string');
      if (c !== 0x5c) {
        out += text[i++];
        continue;
      }
      const e = text[i + 1];
      i += 2;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          const hex = text.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) err('bad \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
          break;
        }
        default:
          err('bad escape');
      }
    }
  };
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = Object.create(null);
      const seen = new Set<string>();
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') err('expected a string key');
        const key = str();
        if (seen.has(key)) err(`duplicate key ${JSON.stringify(key)}`);
        seen.add(key);
        ws();
        if (text[i] !== ':') err(`expected ':'`);
        i++;
        obj[key] = value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        err(`expected ',' or '}'`);
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        err(`expected ',' or ']'`);
      }
    }
    if (c === '"') return str();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return err('unexpected token');
    i += m[0].length;
    return Number(m[0]);
  };
  const v = value();
  ws();
  if (i !== text.length) err('trailing characters after the JSON value');
  return v;
}
