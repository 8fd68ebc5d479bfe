import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DTYPE_SIZE,
  MAX_HEADER_SIZE,
  decodeSafetensors,
  encodeSafetensors,
  readSafetensorsFile,
  readSafetensorsHeader,
  writeSafetensorsFile,
  type SafeDtype,
  type SafeEntry,
} from '../../src/tensor/safetensors-format.js';

const u8 = (...xs: number[]) => new Uint8Array(xs);
const f32 = (...xs: number[]) => new Uint8Array(new Float32Array(xs).buffer);
const ascii = (s: string) => Array.from(Buffer.from(s, 'utf8'));
const le64 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff, 0, 0, 0, 0];

// A file with the given header text (padded with spaces to a multiple of 8) and data bytes.
function build(header: string, data: number[] = []): Uint8Array {
  const h = Buffer.from(header, 'utf8');
  const pad = (8 - (h.length % 8)) % 8;
  return u8(...le64(h.length + pad), ...h, ...new Array(pad).fill(0x20), ...data);
}

test('dtype sizes', () => {
  const want: Record<SafeDtype, number> = { F32: 4, F16: 2, BF16: 2, F64: 8, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };
  assert.deepEqual({ ...DTYPE_SIZE }, want);
});

test('byte-exact: the reference tests test_empty and test_serialization_forced_alignement', () => {
  // safetensors/src/tensor.rs test_empty: "{}" + 6 spaces, N = 8.
  assert.deepEqual(Array.from(encodeSafetensors({})), [8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]);
  // ... with metadata {"framework": "pt"}: 35 JSON bytes + 5 spaces, N = 40.
  assert.deepEqual(Array.from(encodeSafetensors({}, { framework: 'pt' })), [
    40, 0, 0, 0, 0, 0, 0, 0, ...ascii('{"__metadata__":{"framework":"pt"}}'), 32, 32, 32, 32, 32,
  ]);
  // test_serialization_forced_alignement: 65 JSON bytes + 7 spaces, N = 72, then 0..5 as f32.
  const out = encodeSafetensors({ attn0: { dtype: 'F32', shape: [1, 1, 2, 3], data: f32(0, 1, 2, 3, 4, 5) } });
  assert.deepEqual(Array.from(out), [
    72, 0, 0, 0, 0, 0, 0, 0,
    ...ascii('{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}'), 32, 32, 32, 32, 32, 32, 32,
    0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
  ]);
  // Deviation: an empty metadata map is omitted, so a file without metadata re-encodes exactly.
  assert.deepEqual(encodeSafetensors({}, {}), encodeSafetensors({}));
  assert.deepEqual(encodeSafetensors(decodeSafetensors(out).entries, decodeSafetensors(out).metadata), out);
  // test_serialization: "attn.0" makes the JSON exactly 64 bytes, no padding.
  const out2 = encodeSafetensors({ 'attn.0': { dtype: 'F32', shape: [1, 2, 3], data: f32(0, 1, 2, 3, 4, 5) } });
  assert.deepEqual(Array.from(out2.subarray(0, 8 + 64)), [64, 0, 0, 0, 0, 0, 0, 0, ...ascii('{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}')]);
});

test('byte-exact: sort by descending dtype alignment (enum order: I64 above F64), then name; scalar and empty tensor', () => {
  const entries: Record<string, SafeEntry> = {
    a: { dtype: 'U8', shape: [3], data: u8(1, 2, 3) },
    b: { dtype: 'F32', shape: [2], data: f32(1, 2) },
    c: { dtype: 'I64', shape: [], data: u8(7, 0, 0, 0, 0, 0, 0, 0) }, // like num_batches_tracked
    d: { dtype: 'F64', shape: [0], data: u8() },
  };
  // Order c (I64), d (F64), b (F32), a (U8); offsets c [0,8], d [8,8], b [8,16], a [16,19].
  const json =
    '{"__metadata__":{"format":"pt"},' +
    '"c":{"dtype":"I64","shape":[],"data_offsets":[0,8]},' +
    '"d":{"dtype":"F64","shape":[0],"data_offsets":[8,8]},' +
    '"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},' +
    '"a":{"dtype":"U8","shape":[3],"data_offsets":[16,19]}}';
  assert.equal(json.length, 245); // + 3 spaces = 248 = 0xf8
  const expected = [
    0xf8, 0, 0, 0, 0, 0, 0, 0, ...ascii(json), 32, 32, 32,
    7, 0, 0, 0, 0, 0, 0, 0, // c
    0, 0, 0x80, 0x3f, 0, 0, 0, 0x40, // b = 1.0f, 2.0f
    1, 2, 3, // a
  ];
  const out = encodeSafetensors(entries, { format: 'pt' });
  assert.deepEqual(Array.from(out), expected);

  const dec = decodeSafetensors(out);
  assert.deepEqual(Object.keys(dec.entries), ['c', 'd', 'b', 'a']);
  assert.deepEqual(dec.entries['c']!.shape, []);
  assert.deepEqual(Array.from(dec.entries['c']!.data), [7, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(dec.entries['d']!.shape, [0]);
  assert.equal(dec.entries['d']!.data.byteLength, 0);
  assert.deepEqual({ ...dec.metadata }, { format: 'pt' });
  assert.equal(dec.dataStart, 8 + 248);
});

test('names sort by UTF-8 bytes like Rust, metadata keys sorted, strings escaped', () => {
  // U+FF5E (EF BD 9E) < U+1F600 (F0 9F 98 80) in UTF-8, though the emoji's UTF-16 surrogate is smaller.
  const out = encodeSafetensors(
    { '\u{1F600}': { dtype: 'U8', shape: [1], data: u8(2) }, '\uFF5E': { dtype: 'U8', shape: [1], data: u8(1) }, 'q"\n': { dtype: 'U8', shape: [1], data: u8(0) } },
    { z: '1', a: 'x"y' },
  );
  const dec = decodeSafetensors(out);
  assert.deepEqual(Object.keys(dec.entries), ['q"\n', '\uFF5E', '\u{1F600}']);
  assert.deepEqual(Object.keys(dec.metadata), ['a', 'z']);
  assert.equal(dec.metadata['a'], 'x"y');
});

test('round trip of every dtype, zero-copy views', () => {
  const entries: Record<string, SafeEntry> = {};
  const dtypes = Object.keys(DTYPE_SIZE) as SafeDtype[];
  dtypes.forEach((dt, k) => {
    const shape = [2, 3];
    const data = new Uint8Array(6 * DTYPE_SIZE[dt]).map((_, i) => (i * 7 + k) & 0xff);
    entries[`t_${dt}`] = { dtype: dt, shape, data };
  });
  const bytes = encodeSafetensors(entries, { step: '12' });
  assert.equal((new DataView(bytes.buffer).getUint32(0, true) % 8), 0);
  const dec = decodeSafetensors(bytes);
  assert.deepEqual(Object.keys(dec.entries).sort(), Object.keys(entries).sort());
  for (const [name, e] of Object.entries(entries)) {
    const d = dec.entries[name]!;
    assert.equal(d.dtype, e.dtype);
    assert.deepEqual(d.shape, e.shape);
    assert.deepEqual(Array.from(d.data), Array.from(e.data));
    assert.equal(d.data.buffer, bytes.buffer); // a view, not a copy
    // Writer order keeps each tensor aligned to its element size within the data buffer.
    assert.equal((d.data.byteOffset - dec.dataStart) % DTYPE_SIZE[d.dtype], 0);
  }
  // Re-encoding the decoded entries reproduces the file.
  assert.deepEqual(encodeSafetensors(dec.entries, dec.metadata), bytes);
});

test('a subarray input (non-zero byteOffset) decodes', () => {
  const file = encodeSafetensors({ x: { dtype: 'F32', shape: [1], data: f32(3) } });
  const big = new Uint8Array(file.length + 5);
  big.set(file, 5);
  const dec = decodeSafetensors(big.subarray(5));
  assert.equal(new DataView(dec.entries['x']!.data.buffer, dec.entries['x']!.data.byteOffset, 4).getFloat32(0, true), 3);
});

test('encode rejects bad entries', () => {
  assert.throws(() => encodeSafetensors({ x: { dtype: 'F32', shape: [2], data: u8(1, 2, 3) } }), /"x" \(F32 \[2\]\) needs 8 bytes, got 3/);
  assert.throws(() => encodeSafetensors({ x: { dtype: 'C64' as SafeDtype, shape: [], data: u8() } }), /unsupported dtype C64/);
  assert.throws(() => encodeSafetensors({ x: { dtype: 'U8', shape: [-1], data: u8() } }), /invalid shape/);
  assert.throws(() => encodeSafetensors({ __metadata__: { dtype: 'U8', shape: [0], data: u8() } }), /cannot be named/);
  assert.throws(() => encodeSafetensors({}, { a: 1 as unknown as string }), /metadata value for "a" is not a string/);
});

test('every reader check fails with the file name and the reason', () => {
  const T = '{"t":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}';
  const cases: [string, Uint8Array, RegExp][] = [
    ['too short', u8(1, 0, 0), /file is 3 bytes, shorter than the 8-byte header length/],
    ['header too large', u8(...le64(MAX_HEADER_SIZE + 1), 0x7b), /header size 100000001 exceeds the limit of 100000000/],
    ['huge u64', u8(0, 0, 0, 0, 0, 0, 0, 0x80), /exceeds the limit/],
    ['header past end', u8(...le64(16), ...ascii('{}')), /header size 16 runs past the end of the file \(10 bytes\)/],
    ['bad utf-8', u8(...le64(8), 0x7b, 0xff, 0x7d, 32, 32, 32, 32, 32), /header is not valid UTF-8/],
    ['no brace', build(' {}'), /header does not start with '\{'/],
    ['array header', build('[]'), /header does not start with '\{'/],
    ['bad json', build('{"t":}'), /header is not valid JSON/],
    ['trailing garbage', build('{}x'), /header is not valid JSON: trailing characters/],
    ['duplicate key', build('{"t":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"t":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}', [1, 2]), /duplicate key "t"/],
    ['duplicate metadata', build('{"__metadata__":{},"__metadata__":{}}'), /duplicate key "__metadata__"/],
    ['metadata not string', build('{"__metadata__":{"a":1}}'), /metadata value for "a" is not a string/],
    ['metadata not object', build('{"__metadata__":"x"}'), /"__metadata__" is not an object/],
    ['unknown dtype', build('{"t":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}', new Array(8).fill(0)), /tensor "t": unsupported dtype "C64"/],
    ['bad shape', build('{"t":{"dtype":"U8","shape":[1.5],"data_offsets":[0,1]}}', [0]), /tensor "t": shape \[1.5\] is not a list/],
    ['bad offsets', build('{"t":{"dtype":"U8","shape":[1],"data_offsets":[0]}}', [0]), /data_offsets \[0\] is not a pair/],
    ['hole at start', build('{"t":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}}', [0, 0, 0]), /tensor "t": data_offsets \[1, 3\] are not contiguous \(expected to begin at 0\)/],
    ['hole between', build('{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"b":{"dtype":"U8","shape":[1],"data_offsets":[2,3]}}', [0, 0, 0]), /tensor "b": .* not contiguous \(expected to begin at 1\)/],
    ['overlap', build('{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}', [0, 0]), /tensor "a": .* not contiguous|tensor "b": .* not contiguous/],
    ['end before begin', build('{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"c":{"dtype":"U8","shape":[0],"data_offsets":[1,0]}}', [0]), /tensor "c": data_offsets \[1, 0\] are not contiguous/],
    ['size mismatch', build('{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', [0, 0, 0, 0]), /tensor "t": data_offsets span 4 bytes but F32 \[2\] needs 8/],
    ['trailing bytes', build(T, [1, 2, 3]), /tensors end at byte \d+ but the file has \d+ bytes/],
    ['missing bytes', build(T, [1]), /tensors end at byte \d+ but the file has \d+ bytes/],
  ];
  for (const [what, bytes, re] of cases) {
    assert.throws(() => decodeSafetensors(bytes, 'w.safetensors'), (e: Error) => {
      assert.match(e.message, /^safetensors w\.safetensors: /, what);
      assert.match(e.message, re, what);
      return true;
    });
  }
  // The valid base case and its padding variants pass.
  assert.equal(decodeSafetensors(build(T, [1, 2])).entries['t']!.data[1], 2);
  // Unpadded header, and offsets listed out of order in the JSON (older writers) are fine.
  const raw = '{"b":{"dtype":"U8","shape":[1],"data_offsets":[1,2]},"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}';
  const unpadded = u8(...le64(raw.length), ...ascii(raw), 10, 20);
  const dec = decodeSafetensors(unpadded);
  assert.deepEqual(Object.keys(dec.entries), ['a', 'b']);
  assert.equal(dec.entries['b']!.data[0], 20);
});

test('a tensor named __proto__ stays data and does not change the prototype', () => {
  const dec = decodeSafetensors(build('{"__proto__":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', [9]));
  assert.equal(Object.getPrototypeOf(dec.entries), Object.prototype);
  assert.deepEqual(Object.keys(dec.entries), ['__proto__']);
});

test('file write is atomic and round-trips', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'st-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'model.safetensors');
  const entries: Record<string, SafeEntry> = { w: { dtype: 'F32', shape: [2, 2], data: f32(1, 2, 3, 4) } };
  await writeSafetensorsFile(path, entries, { epoch: '3' });
  assert.deepEqual(await readdir(dir), ['model.safetensors']);
  const back = await readSafetensorsFile(path);
  assert.deepEqual(Array.from(back.entries['w']!.data), Array.from(entries['w']!.data));
  assert.equal(back.metadata['epoch'], '3');
  assert.deepEqual(new Uint8Array(await readFile(path)), encodeSafetensors(entries, { epoch: '3' }));

  // Overwrite works and replaces the content.
  await writeSafetensorsFile(path, { v: { dtype: 'U8', shape: [1], data: u8(5) } });
  assert.deepEqual(Object.keys((await readSafetensorsFile(path)).entries), ['v']);
  const before = await readFile(path);

  // Encode throws: the existing file is untouched and no temporary file exists.
  await assert.rejects(writeSafetensorsFile(path, { bad: { dtype: 'F32', shape: [3], data: u8(1) } }), /needs 12 bytes/);
  assert.deepEqual(await readFile(path), before);
  assert.deepEqual(await readdir(dir), ['model.safetensors']);

  // Rename fails (target is a non-empty folder): the temporary file is removed.
  const blocker = join(dir, 'blocked.safetensors');
  await mkdir(blocker);
  await writeFile(join(blocker, 'keep'), 'x');
  await assert.rejects(writeSafetensorsFile(blocker, entries), (e: NodeJS.ErrnoException) => e.message.startsWith(`cannot write ${blocker}: `) && e.syscall === 'rename' && /^E(ISDIR|NOTEMPTY|EXIST)$/.test(e.code ?? ''));
  assert.deepEqual((await readdir(dir)).sort(), ['blocked.safetensors', 'model.safetensors']);
  assert.deepEqual(await readdir(blocker), ['keep']);

  // Missing folder: fails, nothing created.
  const nowhere = join(dir, 'nope', 'x.safetensors');
  await assert.rejects(writeSafetensorsFile(nowhere, entries), (e: NodeJS.ErrnoException) => e.message.startsWith(`cannot write ${nowhere}: ENOENT`) && e.code === 'ENOENT' && e.path === nowhere);
});

test('read errors name the file', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'st-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'broken.safetensors');
  await writeFile(path, build('{"t":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}', [1]));
  await assert.rejects(readSafetensorsFile(path), (e: Error) => e.message.startsWith(`safetensors ${path}: tensors end at byte`));
});

test('the header alone, read from an open file, is checked as the whole file is', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'st-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const T = '{"__metadata__":{"k":"v"},"t":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}';
  const cases: [string, Uint8Array][] = [
    ['valid', build(T, [1, 2])],
    ['too short', u8(1, 0, 0)],
    ['header too large', u8(...le64(MAX_HEADER_SIZE + 1), 0x7b)],
    ['header past end', u8(...le64(16), ...ascii('{}'))],
    ['bad json', build('{"t":}')],
    ['missing bytes', build(T, [1])],
    ['trailing bytes', build(T, [1, 2, 3])],
  ];
  for (const [what, bytes] of cases) {
    const path = join(dir, `${what.replace(/ /g, '-')}.safetensors`);
    await writeFile(path, bytes);
    const fh = await open(path, 'r');
    try {
      let whole: unknown;
      try {
        const d = decodeSafetensors(bytes, path);
        whole = { metadata: d.metadata, dataStart: d.dataStart, shapes: Object.entries(d.entries).map(([k, e]) => [k, e.dtype, e.shape]) };
      } catch (e) {
        whole = (e as Error).message;
      }
      let header: unknown;
      try {
        const h = await readSafetensorsHeader(fh, path);
        header = { metadata: h.metadata, dataStart: h.dataStart, shapes: Object.entries(h.tensors).map(([k, e]) => [k, e.dtype, e.shape]) };
      } catch (e) {
        header = (e as Error).message;
      }
      assert.deepEqual(header, whole, what);
    } finally {
      await fh.close();
    }
  }
});
