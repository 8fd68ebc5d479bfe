import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeError } from '../../src/tensor/write-error.js';
import { saveSafetensors, tensor } from '../../src/tensor/index.js';

test('writeError names the target and keeps code, errno, syscall and the cause', () => {
  const sys = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: 'ENOSPC', errno: -28, syscall: 'write', path: '/out/.m.json.1.ab.tmp' });
  const e = writeError('/out/m.json', sys) as NodeJS.ErrnoException;
  assert.equal(e.message, 'cannot write /out/m.json: ENOSPC: no space left on device, write');
  assert.deepEqual([e.code, e.errno, e.syscall, e.path, e.cause], ['ENOSPC', -28, 'write', '/out/m.json', sys]);
  // Renaming twice (a writer inside a writer) does not repeat the prefix.
  assert.equal(writeError('/out/m.json', e), e);
  // Not a system error: a bad input or an injected failure passes as it was.
  const plain = new Error('needs 12 bytes');
  assert.equal(writeError('/out/m.json', plain), plain);
});

test('saveSafetensors into a path below a regular file fails naming that path (ENOTDIR)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mammoclr-write-error-'));
  const file = join(dir, 'a-file');
  await writeFile(file, 'x');
  const target = join(file, 'run', 'encoder.safetensors');
  const t = tensor([1, 2]);
  await assert.rejects(saveSafetensors(target, { t }), (e: NodeJS.ErrnoException) => {
    assert.equal(e.code, 'ENOTDIR');
    assert.ok(e.message.startsWith(`cannot write ${target}: ENOTDIR`), e.message);
    return true;
  });
  t.dispose();
});
