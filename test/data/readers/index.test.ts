import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { readImage, sniff } from '../../../src/data/readers/index.js';
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
