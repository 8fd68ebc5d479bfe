import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { dicomNonImage, readImage, sniff, stripImageExtension } from '../../../src/data/readers/index.js';
import { writeDicom } from './dicom-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'readimage-'));

test('magic bytes win over the extension', async () => {
  const png = join(dir, 'really-png.dcm');
  writeFileSync(png, await sharp(Buffer.from([7, 8, 9, 10]), { raw: { width: 2, height: 2, channels: 1 } }).png().toBuffer());
  assert.equal((await readImage(png)).meta.format, 'png');
  const dcm = join(dir, 'scan.bin');
  writeFileSync(dcm, writeDicom({ syntax: 'explicit-le', rows: 1, columns: 2, bitsAllocated: 8, pixels: [0, 255] }));
  const img = await readImage(dcm);
  assert.deepEqual([img.meta.format, ...img.data], ['dicom', 0, 255]);
  const pgm = join(dir, 'x.img');
  writeFileSync(pgm, Buffer.from('P2 2 1 255 3 4'));
  assert.deepEqual([(await readImage(pgm)).meta.format, ...(await readImage(pgm)).data], ['pgm', 3, 4]);
});

test('sniff recognises each signature', () => {
  const dicm = new Uint8Array(132);
  dicm.set([0x44, 0x49, 0x43, 0x4d], 128);
  assert.equal(sniff(dicm), 'dicom');
  assert.equal(sniff(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'png');
  assert.equal(sniff(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0])), 'jpeg');
  assert.equal(sniff(Uint8Array.from([0x49, 0x49, 0x2a, 0x00])), 'tiff');
  assert.equal(sniff(Uint8Array.from([0x4d, 0x4d, 0x00, 0x2a])), 'tiff');
  assert.equal(sniff(Buffer.from('P5\n')), 'pgm');
  assert.equal(sniff(Buffer.from('P6\n')), undefined);
});

test('unsupported or empty files: clear Error with the file name', async () => {
  const p = join(dir, 'notes.txt');
  writeFileSync(p, 'hello world');
  await assert.rejects(readImage(p), (e: Error) => e.message.startsWith(`${p}: unsupported image format`));
  const empty = join(dir, 'empty.png');
  writeFileSync(empty, '');
  await assert.rejects(readImage(empty), (e: Error) => e.message === `${empty}: unsupported image: the file is empty`);
  await assert.rejects(readImage(join(dir, 'missing.png')), (e: Error) => e.message.startsWith(`${join(dir, 'missing.png')}: cannot read file`));
});

test('sniff finds DICOM without preamble: a bare implicit or explicit VR data set, or a File Meta group at byte 0', () => {
  const px = { rows: 1, columns: 2, bitsAllocated: 8 as const, pixels: [0, 255] };
  assert.equal(sniff(writeDicom({ syntax: 'implicit-le', noPreamble: true, ...px })), 'dicom');
  assert.equal(sniff(writeDicom({ syntax: 'explicit-le', noPreamble: true, ...px })), 'dicom');
  assert.equal(sniff(writeDicom({ syntax: 'implicit-le', ...px }).subarray(132)), 'dicom');
  // Starts like group 0008 but is not a data set: an absurd first length, an odd one, tags going backwards.
  // Implicit VR elements [group, element, length], values zero-filled (a huge length has no value written).
  const implicit = (...els: [number, number, number][]): Uint8Array =>
    Buffer.concat(els.map(([g, e, len]) => {
      const b = Buffer.alloc(8 + (len < 64 ? len : 0));
      b.writeUInt16LE(g, 0);
      b.writeUInt16LE(e, 2);
      b.writeUInt32LE(len, 4);
      return b;
    }));
  assert.equal(sniff(implicit([0x0008, 0x0016, 4], [0x0008, 0x0060, 2])), 'dicom');
  assert.equal(sniff(implicit([0x0008, 0x0016, 0x7fffffff])), undefined);
  assert.equal(sniff(implicit([0x0008, 0x0016, 3], [0x0008, 0x0060, 2])), undefined);
  assert.equal(sniff(implicit([0x0008, 0x0060, 2], [0x0008, 0x0016, 4])), undefined);
  assert.equal(sniff(implicit([0x0010, 0x0010, 4])), undefined);
  assert.equal(sniff(Buffer.from('# README\nnot an image at all\n')), undefined);
});

test('dicomNonImage: a DICOMDIR and a structured report are not images; image classes and unknown ones are', () => {
  const base = { syntax: 'explicit-le' as const, rows: 1, columns: 2, bitsAllocated: 8 as const, pixels: [0, 255] };
  assert.equal(dicomNonImage(writeDicom({ ...base, sopClassUid: '1.2.840.10008.1.3.10', omitPixelData: true })), 'a DICOMDIR (media directory), SOP class 1.2.840.10008.1.3.10');
  assert.equal(dicomNonImage(writeDicom({ ...base, sopClassUid: '1.2.840.10008.5.1.4.1.1.88.50', omitPixelData: true })), 'a structured report, SOP class 1.2.840.10008.5.1.4.1.1.88.50');
  // Without a File Meta group the data set's SOP Class UID (0008,0016) decides.
  assert.match(dicomNonImage(writeDicom({ ...base, syntax: 'implicit-le', noPreamble: true, sopClassUid: '1.2.840.10008.5.1.4.1.1.11.1' })) ?? '', /^a presentation state/);
  assert.equal(dicomNonImage(writeDicom({ ...base, sopClassUid: '1.2.840.10008.5.1.4.1.1.1.2' })), undefined); // Digital Mammography X-Ray
  assert.equal(dicomNonImage(writeDicom({ ...base, sopClassUid: '1.2.840.10008.5.1.4.1.1.661' })), undefined); // not the .66 family
  assert.equal(dicomNonImage(writeDicom({ ...base, sopClassUid: '1.2.3.4.private' })), undefined);
});

test('stripImageExtension removes image extensions only (a UID\'s last part stays)', () => {
  assert.deepEqual(['a/b.PNG', 'x.dcm', '1.2.840.113619.2.55.3.1', 'scan.dat', 'IM000001'].map(stripImageExtension), ['a/b', 'x', '1.2.840.113619.2.55.3.1', 'scan.dat', 'IM000001']);
});

test('readImage reads a DICOM stored without preamble whatever its name', async () => {
  const raw = join(dir, 'IM000007');
  writeFileSync(raw, writeDicom({ syntax: 'implicit-le', noPreamble: true, rows: 1, columns: 4, bitsAllocated: 8, pixels: [0, 255, 17, 99] }));
  const img = await readImage(raw);
  assert.deepEqual([img.meta.format, img.width, img.height, ...img.data], ['dicom', 4, 1, 0, 255, 17, 99]);
});
