import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { collectSource, prepareDataset, type PrepareReport } from '../../../src/data/cache/index.js';
import { commitFiles, writeTextAtomic } from '../../../src/data/cache/commit.js';
import { tempDir, tempFiles } from './helpers.js';

async function snapshot(out: string): Promise<Buffer[]> {
  return Promise.all([32, 64].map((s) => readFile(join(out, `phantom-${s}.safetensors`))));
}

async function existingCache(): Promise<{ out: string; before: Buffer[] }> {
  const out = await tempDir('atomic');
  await prepareDataset({ source: await collectSource('phantom', '2', { seed: 1 }), out, sizes: [32, 64], workers: 1 });
  return { out, before: await snapshot(out) };
}

test('a failure after the new files are written leaves the existing cache byte-identical', async () => {
  const { out, before } = await existingCache();
  const source = await collectSource('phantom', '3', { seed: 2 });
  await assert.rejects(
    prepareDataset({ source, out, sizes: [32, 64], workers: 1, beforeCommit: () => { throw new Error('injected failure'); } }),
    /injected failure/,
  );
  assert.deepEqual(await snapshot(out), before);
  assert.deepEqual(await tempFiles(out), []);
  const report = JSON.parse(await readFile(join(out, 'phantom-report.json'), 'utf8')) as PrepareReport;
  assert.equal(report.status, 'failed');
  assert.match(report.error ?? '', /injected failure/);
  assert.deepEqual(report.files, []);
});

test('a run where no image can be read fails and leaves the cache intact', async () => {
  const { out, before } = await existingCache();
  const csv = join(out, 'bad.csv');
  await writeFile(join(out, 'x.png'), 'not a png');
  await writeFile(csv, 'path,label,patient_id\nx.png,normal,p1\n');
  await assert.rejects(prepareDataset({ source: await collectSource('csv', csv), out, name: 'phantom', sizes: [32, 64], workers: 1 }), /no image could be prepared/);
  assert.deepEqual(await snapshot(out), before);
});

test('a read-only output folder: the run fails and the cache is intact', async (t) => {
  if (process.getuid?.() === 0) return t.skip('running as root: permissions do not stop writes (the injected-failure test covers this path)');
  const { out, before } = await existingCache();
  await chmod(out, 0o555);
  try {
    await assert.rejects(prepareDataset({ source: await collectSource('phantom', '2', { seed: 9 }), out, sizes: [32, 64], workers: 1 }), /EACCES|permission/i);
    assert.deepEqual(await snapshot(out), before);
  } finally {
    await chmod(out, 0o755);
  }
});

test('a write that fails names the file being written and keeps the code', async () => {
  const dir = await tempDir('commit-error');
  const file = join(dir, 'a-file');
  await writeFile(file, 'x');
  // Tests run as root, where permissions do not stop a write; a parent that is a regular file does.
  const report = join(file, 'prepared', 'mixed-report.json');
  await assert.rejects(writeTextAtomic(report, '{}'), (e: NodeJS.ErrnoException) => e.code === 'ENOTDIR' && e.message.startsWith(`cannot write ${report}: ENOTDIR`));
  // The second target is a non-empty folder: the rename fails, naming it; no temporary file stays.
  const blocked = join(dir, 'mixed-64.safetensors');
  await mkdir(blocked);
  await writeFile(join(blocked, 'keep'), 'x');
  const files = [join(dir, 'mixed-32.safetensors'), blocked].map((path) => ({ path, bytes: () => Buffer.from('bytes') }));
  await assert.rejects(commitFiles(files), (e: NodeJS.ErrnoException) => e.syscall === 'rename' && e.message.startsWith(`cannot write ${blocked}: `) && /^E(ISDIR|NOTEMPTY|EXIST)$/.test(e.code ?? ''));
  assert.deepEqual(await tempFiles(dir), []);
  assert.deepEqual((await readdir(dir)).sort(), ['a-file', 'mixed-32.safetensors', 'mixed-64.safetensors']);
});
