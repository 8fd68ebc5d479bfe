/** DICOM reader on files written by dicom-writer.ts: runs without ../shared. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dcmjsCodecs from 'dcmjs-codecs';
import { decodeStoredValues, readDicom, applyWindow } from '../../../src/data/readers/dicom/index.js';
import { readImage } from '../../../src/data/readers/index.js';
import { writeDicom, pixelBytesLE, type DicomSpec } from './dicom-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'mammoclr-dicom-'));
let n = 0;
function save(spec: DicomSpec, name = `f${n++}.dcm`): string {
  const p = join(dir, name);
  writeFileSync(p, writeDicom(spec));
  return p;
}

// 4x3 signed 12-bit values covering both signs; unused high bits set as some scanners do
const S12 = [-2048, -1000, -1, 0, 1, 7, 100, 500, 1000, 2000, 2047, -7];
const S12_WORDS = S12.map((v) => v & 0xffff); // sign-extended into the top 4 bits
const base = { rows: 3, columns: 4, bitsAllocated: 16 as const, bitsStored: 12, pixelRepresentation: 1 as const };

for (const syntax of ['explicit-le', 'implicit-le', 'explicit-be', 'rle'] as const) {
  test(`${syntax}: signed 12-bit stored values decode exactly`, async () => {
    const s = await decodeStoredValues(save({ ...base, syntax, pixels: S12_WORDS }));
    assert.ok(s.values instanceof Int16Array);
    assert.deepEqual(Array.from(s.values), S12);
    assert.equal(s.header.rows, 3);
    assert.equal(s.header.columns, 4);
  });
}

test('garbage above Bits Stored is masked off (unsigned 10-bit)', async () => {
  const words = [0xfc00 | 5, 0x0400 | 1023, 0, 512];
  const s = await decodeStoredValues(save({ syntax: 'explicit-le', rows: 2, columns: 2, bitsAllocated: 16, bitsStored: 10, pixels: words }));
  assert.ok(s.values instanceof Uint16Array);
  assert.deepEqual(Array.from(s.values), [5, 1023, 0, 512]);
});

test('8-bit unsigned and signed', async () => {
  const u = await decodeStoredValues(save({ syntax: 'explicit-be', rows: 1, columns: 4, bitsAllocated: 8, pixels: [0, 1, 128, 255] }));
  assert.ok(u.values instanceof Uint8Array);
  assert.deepEqual(Array.from(u.values), [0, 1, 128, 255]);
  const i = await decodeStoredValues(save({ syntax: 'rle', rows: 1, columns: 4, bitsAllocated: 8, pixelRepresentation: 1, pixels: [0, 1, 128, 255] }));
  assert.ok(i.values instanceof Int8Array);
  assert.deepEqual(Array.from(i.values), [0, 1, -128, -1]);
});

test('RLE: long runs, RGB planes and multi-frame', async () => {
  const px = Array.from({ length: 2 * 50 * 3 * 3 }, (_, i) => (i < 200 ? 9 : (i * 37) % 251));
  const s = await decodeStoredValues(save({ syntax: 'rle', rows: 50, columns: 3, bitsAllocated: 8, samplesPerPixel: 3, photometric: 'RGB', frames: 2, pixels: px }));
  assert.deepEqual(Array.from(s.values), px);
  assert.equal(s.header.numberOfFrames, 2);
});

test('readDicom: rescale then LINEAR window, 16-bit output for BitsStored > 8', async () => {
  // modality = 2*stored - 100; window 100/201 => x <= -0.5 -> 0, x > 199.5 -> 65535
  const img = await readDicom(save({ syntax: 'explicit-le', rows: 1, columns: 5, bitsAllocated: 16, bitsStored: 12, pixels: [0, 50, 100, 149, 2000], rescale: { slope: 2, intercept: -100 }, window: { center: 100, width: 201 } }));
  assert.equal(img.bitDepth, 16);
  const lin = (x: number) => Math.round(((x - 99.5) / 200 + 0.5) * 65535);
  // stored 0, 50, 100, 149, 2000 -> modality -100, 0, 100, 198, 3900
  assert.deepEqual(Array.from(img.data), [0, lin(0), lin(100), lin(198), 65535]);
  assert.deepEqual(Array.from(img.data).slice(1, 4), [164, 32931, 65043]);
  assert.equal(img.meta.notes?.voi, 'window 100/201 LINEAR');
});

test('readDicom: 8-bit output, MONOCHROME1 inverted, no window -> min..max', async () => {
  const img = await readDicom(save({ syntax: 'implicit-le', rows: 1, columns: 3, bitsAllocated: 8, photometric: 'MONOCHROME1', pixels: [10, 60, 110] }));
  assert.equal(img.bitDepth, 8);
  assert.deepEqual(Array.from(img.data), [255, 128, 0]); // 255 - round(127.5): 127.5 is exact -> 255-127.5=127.5 -> 128
  assert.equal(img.meta.notes?.inverted, 'MONOCHROME1');
});

test('Presentation LUT Shape decides polarity: INVERSE on MONOCHROME2 inverts, MONOCHROME1+INVERSE inverts once', async () => {
  const m2 = await readDicom(save({ syntax: 'explicit-le', rows: 1, columns: 2, bitsAllocated: 8, pixels: [0, 255], presentationLutShape: 'INVERSE' }));
  assert.deepEqual(Array.from(m2.data), [255, 0]);
  const m1 = await readDicom(save({ syntax: 'explicit-le', rows: 1, columns: 2, bitsAllocated: 8, photometric: 'MONOCHROME1', pixels: [0, 255], presentationLutShape: 'INVERSE' }));
  assert.deepEqual(Array.from(m1.data), [255, 0]);
  const id = await readDicom(save({ syntax: 'explicit-le', rows: 1, columns: 2, bitsAllocated: 8, photometric: 'MONOCHROME1', pixels: [0, 255], presentationLutShape: 'IDENTITY' }));
  assert.deepEqual(Array.from(id.data), [0, 255]);
});

test('rescale and window only in SharedFunctionalGroupsSequence are honoured', async () => {
  const img = await readDicom(save({ syntax: 'explicit-le', rows: 1, columns: 3, bitsAllocated: 16, bitsStored: 12, pixels: [0, 1024, 2048], functionalGroups: { rescale: { slope: 1, intercept: -1024 }, window: { center: 0.5, width: 2 } } }));
  // modality -1024, 0, 1024; window c=0.5 w=2: x <= -0.5 -> 0, x > 0.5 -> max, x = 0 -> half
  assert.deepEqual(Array.from(img.data), [0, 32768, 65535]);
  assert.equal(img.meta.notes?.modalityTransform, 'rescale slope 1 intercept -1024');
  assert.equal(img.meta.notes?.voi, 'window 0.5/2 LINEAR');
});

test('VOI functions: LINEAR and SIGMOID match the standard vectors (c=600, w=1600)', () => {
  const x = [-1000, 0, 200, 600, 1000, 1400, 2200, 4000];
  const linear = [0.0, 31.894934, 63.789869, 127.579737, 191.369606, 255.0, 255.0, 255.0];
  const sigmoid = [4.586484, 46.518509, 68.580062, 127.5, 186.419938, 224.603255, 250.413516, 254.948126];
  x.forEach((v, i) => {
    assert.ok(Math.abs(applyWindow(v, 600, 1600, 'LINEAR', 0, 255) - linear[i]!) < 1e-5);
    assert.ok(Math.abs(applyWindow(v, 600, 1600, 'SIGMOID', 0, 255) - sigmoid[i]!) < 1e-5);
  });
  // LINEAR_EXACT: plain (x - c)/w + 0.5
  assert.equal(applyWindow(600, 600, 1600, 'LINEAR_EXACT', 0, 255), 127.5);
  assert.equal(applyWindow(-200, 600, 1600, 'LINEAR_EXACT', 0, 255), 0);
});

test('SIGMOID window from the file', async () => {
  const img = await readDicom(save({ syntax: 'explicit-le', rows: 1, columns: 2, bitsAllocated: 8, pixels: [0, 200], window: { center: 100, width: 100, fn: 'SIGMOID' } }));
  assert.deepEqual(Array.from(img.data), [Math.round(255 / (1 + Math.exp(4))), Math.round(255 / (1 + Math.exp(-4)))]);
});

test('laterality and view: ImageLaterality over Laterality, ViewCodeSequence fallback', async () => {
  const a = await readDicom(save({ syntax: 'explicit-le', rows: 1, columns: 1, bitsAllocated: 8, pixels: [1], imageLaterality: 'R', laterality: 'L', viewPosition: 'CC' }));
  assert.equal(a.meta.laterality, 'R');
  assert.equal(a.meta.view, 'CC');
  const b = await readDicom(save({ syntax: 'implicit-le', rows: 1, columns: 1, bitsAllocated: 8, pixels: [1], laterality: 'L', viewCode: { value: 'R-10226', scheme: 'SRT', meaning: 'medio-lateral oblique' } }));
  assert.equal(b.meta.laterality, 'L');
  assert.equal(b.meta.view, 'MLO');
});

test('pixel spacing: PixelSpacing, else the functional groups, else ImagerPixelSpacing; unequal spacings averaged', async () => {
  const one = { rows: 1, columns: 1, bitsAllocated: 8 as const, pixels: [1] };
  const spacing = async (spec: Partial<DicomSpec>): Promise<[number | undefined, string | number | undefined]> => {
    const img = await readDicom(save({ syntax: 'explicit-le', ...one, ...spec }));
    return [img.meta.pixelSpacingMm, img.meta.notes?.pixelSpacing];
  };
  assert.deepEqual(await spacing({ pixelSpacing: [0.07, 0.07], imagerPixelSpacing: [0.085, 0.085] }), [0.07, undefined]);
  assert.deepEqual(await spacing({ imagerPixelSpacing: [0.085, 0.085] }), [0.085, undefined]);
  assert.deepEqual(await spacing({ functionalGroups: { pixelSpacing: [0.05, 0.05] }, imagerPixelSpacing: [0.085, 0.085] }), [0.05, undefined]);
  assert.deepEqual(await spacing({ pixelSpacing: [0.1, 0.3] }), [0.2, 'rows 0.1 mm, columns 0.3 mm apart: mean used']);
  assert.deepEqual(await spacing({}), [undefined, undefined]);
  assert.deepEqual(await spacing({ pixelSpacing: [0, 0] }), [undefined, undefined]);
  const implicit = await readDicom(save({ syntax: 'implicit-le', ...one, pixelSpacing: [0.1, 0.1] }));
  assert.equal(implicit.meta.pixelSpacingMm, 0.1);
});

test('multi-frame: pipeline returns frame 0 and says so', async () => {
  const img = await readDicom(save({ syntax: 'explicit-le', rows: 1, columns: 2, bitsAllocated: 8, frames: 3, pixels: [0, 255, 1, 2, 3, 4], window: { center: 128, width: 256 } }));
  assert.deepEqual(Array.from(img.data), [0, 255]);
  assert.equal(img.meta.notes?.frames, '3 frames in file, frame 0 returned');
});

test('patient identifiers never reach meta or errors', async () => {
  const patient = { name: 'DOE^JANE', id: 'PID-99817', birthDate: '19610203', accession: 'ACC55123', studyUid: '1.2.826.0.1.3680043.99.77', institution: 'ST ELSEWHERE HOSP' };
  const img = await readDicom(save({ syntax: 'explicit-le', rows: 1, columns: 1, bitsAllocated: 8, pixels: [1], patient, imageLaterality: 'L' }));
  const text = JSON.stringify(img.meta);
  for (const v of Object.values(patient)) assert.ok(!text.includes(v), `meta leaks ${v}`);
  const err = await readDicom(save({ syntax: 'explicit-le', rows: 2, columns: 2, bitsAllocated: 16, pixels: [1, 2, 3, 4], patient, truncateTo: -3 })).catch((e: Error) => e);
  assert.ok(err instanceof Error);
  for (const v of Object.values(patient)) assert.ok(!err.message.includes(v) && !String(err.cause ?? '').includes(v));
});

test('errors: no pixel data, made-up transfer syntax, truncated native data', async () => {
  const np = save({ syntax: 'explicit-le', rows: 2, columns: 2, bitsAllocated: 8, omitPixelData: true }, 'nopix.dcm');
  await assert.rejects(readDicom(np), (e: Error) => e.message.startsWith(np) && /no pixel data/.test(e.message));
  const ts = save({ syntax: 'explicit-le', transferSyntaxUid: '1.2.3.999.12345', rows: 1, columns: 1, bitsAllocated: 8, pixels: [1] }, 'ts.dcm');
  await assert.rejects(decodeStoredValues(ts), (e: Error) => e.message === `${ts}: unsupported transfer syntax 1.2.3.999.12345`);
  const tr = save({ syntax: 'explicit-le', rows: 8, columns: 8, bitsAllocated: 16, pixels: new Array(64).fill(7), truncateTo: -20 }, 'trunc.dcm');
  await assert.rejects(decodeStoredValues(tr), (e: Error) => e.message.startsWith(tr) && /truncated/.test(e.message));
  await assert.rejects(decodeStoredValues(Uint8Array.from([1, 2, 3]), 'junk.bin'), (e: Error) => e.message.startsWith('junk.bin: '));
});

test('preamble-less .dcm files are read (meta group first, and bare data set)', async () => {
  const full = writeDicom({ syntax: 'explicit-le', rows: 1, columns: 3, bitsAllocated: 8, pixels: [3, 2, 1] });
  const p = join(dir, 'nopreamble.dcm');
  writeFileSync(p, full.subarray(132));
  assert.deepEqual(Array.from((await decodeStoredValues(p)).values), [3, 2, 1]);
  assert.deepEqual(Array.from((await readImage(p)).data), [255, 128, 0]); // no window: min..max
});

// Codec path on self-made codestreams (JPEG-LS, JPEG 2000, JPEG lossless) via dcmjs-codecs' encoders
const { NativeCodecs, Context } = dcmjsCodecs;
const W = 33;
const H = 17;
const PX = Array.from({ length: W * H }, (_, i) => (i * 523 + (i >> 3) * 7) % 4096);
async function encode(kind: 'encodeJpegLs' | 'encodeJpeg2000' | 'encodeJpeg', params: Record<string, unknown>): Promise<Uint8Array> {
  await NativeCodecs.initializeAsync();
  const ctx = new Context({ width: W, height: H, bitsAllocated: 16, bitsStored: 12, samplesPerPixel: 1, pixelRepresentation: 0, planarConfiguration: 0, photometricInterpretation: 'MONOCHROME2', decodedBuffer: pixelBytesLE(PX, 16) });
  return new Uint8Array(NativeCodecs[kind](ctx, params).getEncodedBuffer()!);
}
const CODECS = [
  ['1.2.840.10008.1.2.4.80', 'encodeJpegLs', { lossy: false }],
  ['1.2.840.10008.1.2.4.90', 'encodeJpeg2000', { lossy: false }],
  ['1.2.840.10008.1.2.4.70', 'encodeJpeg', { lossy: false, predictor: 1, pointTransform: 0 }],
] as const;
for (const [uid, kind, params] of CODECS) {
  test(`${uid}: self-encoded 12-bit frames decode exactly; truncated codestream is an error`, async () => {
    const cs = await encode(kind, params);
    const spec = { syntax: 'encapsulated' as const, transferSyntaxUid: uid, rows: H, columns: W, bitsAllocated: 16 as const, bitsStored: 12 };
    const two = await decodeStoredValues(save({ ...spec, frames: 2, fragments: [cs, cs] }));
    assert.deepEqual(Array.from(two.values), [...PX, ...PX]);
    // one frame split over 3 even-length fragments (the writer pads odd ones), empty offset table
    const split = await decodeStoredValues(save({ ...spec, fragments: [cs.subarray(0, 40), cs.subarray(40, 100), cs.subarray(100)] }));
    assert.deepEqual(Array.from(split.values), PX);
    const cut = save({ ...spec, fragments: [cs.subarray(0, Math.floor(cs.length * 0.6))] });
    await assert.rejects(decodeStoredValues(cut), (e: Error) => e.message.startsWith(cut) && /frame 0 decode failed/.test(e.message));
  });
}
