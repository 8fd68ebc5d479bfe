import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../../src/io/atomic.js';

test('writeFileAtomic and writeJsonAtomic write, and a failure names the file and keeps the code', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mammoclr-io-'));
  await writeJsonAtomic(join(dir, 'deep', 'm.json'), { auc: 0.75 });
  assert.equal(await readFile(join(dir, 'deep', 'm.json'), 'utf8'), '{\n  "auc": 0.75\n}\n');
  const file = join(dir, 'a-file');
  await writeFile(file, 'x');
  // Tests run as root, where a read-only folder does not stop a write: a parent that is a regular file does.
  for (const [target, write] of [
    [join(file, 'eval', 'predictions.csv'), (p: string) => writeFileAtomic(p, 'a,b\n')],
    [join(file, 'run', 'eval', 'metrics.json'), (p: string) => writeJsonAtomic(p, {})],
  ] as const) {
    await assert.rejects(write(target), (e: NodeJS.ErrnoException) => {
      assert.equal(e.code, 'ENOTDIR');
      assert.ok(e.message.startsWith(`cannot write ${target}: ENOTDIR: not a directory`), e.message);
      return true;
    });
  }
  // A target that is a folder fails at the rename, and the temporary file is gone.
  await assert.rejects(writeFileAtomic(join(dir, 'deep'), 'x'), (e: NodeJS.ErrnoException) => e.message.startsWith(`cannot write ${join(dir, 'deep')}: `) && e.syscall === 'rename');
  assert.deepEqual((await readdir(dir)).sort(), ['a-file', 'deep']);
});
