import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunLog } from '../../src/train/run-log.js';

test('RunLog appends JSON lines; a failure names the log and keeps the code', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mammoclr-runlog-'));
  const log = new RunLog(join(dir, 'run', 'log.jsonl'));
  log.write({ step: 1, loss: 2.5 });
  log.write({ step: 2, loss: 2 });
  assert.equal(await readFile(log.path, 'utf8'), '{"step":1,"loss":2.5}\n{"step":2,"loss":2}\n');
  const file = join(dir, 'a-file');
  await writeFile(file, 'x');
  const below = join(file, 'run', 'log.jsonl');
  assert.throws(() => new RunLog(below), (e: NodeJS.ErrnoException) => e.code === 'ENOTDIR' && e.message.startsWith(`cannot write ${below}: ENOTDIR`));
});

test('a full disk (ENOSPC, /dev/full) names the log being written', (t) => {
  if (!existsSync('/dev/full')) {
    t.skip('no /dev/full on this system');
    return;
  }
  const log = new RunLog('/dev/full');
  assert.throws(() => log.write({ step: 1 }), (e: NodeJS.ErrnoException) => {
    assert.equal(e.code, 'ENOSPC');
    assert.equal(e.message, 'cannot write /dev/full: ENOSPC: no space left on device, write');
    return true;
  });
});
