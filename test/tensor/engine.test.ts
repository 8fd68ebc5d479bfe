import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setNumThreads, getNumThreads, engineInfo, cpuFeatures, memoryStats, schemaOf, tidy, zeros, ones } from '../../src/tensor/index.js';

test('setNumThreads/getNumThreads round trip, restored afterwards', () => {
  const original = getNumThreads();
  try {
    setNumThreads(1);
    assert.equal(getNumThreads(), 1);
    tidy(() => assert.equal(ones([64, 64]).matmul(ones([64, 64])).sum().item(), 64 ** 3));
    setNumThreads(2);
    assert.equal(getNumThreads(), 2);
    assert.throws(() => setNumThreads(0), /at least 1/);
    assert.equal(getNumThreads(), 2);
  } finally {
    setNumThreads(original);
  }
  assert.equal(getNumThreads(), original);
});

test('the default thread count is MAMMOCLR_NUM_THREADS or every core', () => {
  const fromEnv = Number.parseInt(process.env.MAMMOCLR_NUM_THREADS ?? '', 10);
  const want = Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : availableParallelism();
  assert.equal(getNumThreads(), want);
});

test('engineInfo() reports a version, the library path and build facts', () => {
  const info = engineInfo();
  assert.match(info.version, /^\d+\.\d+/);
  assert.equal(typeof info.libraryPath, 'string');
  assert.ok(info.libraryPath.length > 0);
  assert.ok(existsSync(info.libraryPath), info.libraryPath);
  assert.match(info.libraryPath, /torch/);
  assert.equal(info.threads, getNumThreads());
  assert.equal(typeof info.config, 'string');
  assert.ok(info.config.length > 0);
  assert.equal(typeof info.parallel, 'string');
  assert.equal(typeof info.cudaAvailable, 'boolean');
  assert.equal(typeof info.cudaDevices, 'number');
  if (!info.cudaAvailable) assert.equal(info.cudaDevices, 0);
  assert.equal(typeof info.mkldnn, 'boolean');
  if (info.headerVersion !== null) assert.ok(info.version === info.headerVersion);
});

test('cpuFeatures() returns booleans and a model name, cached', () => {
  const f = cpuFeatures();
  for (const k of ['avx2', 'avx512f', 'avx512bf16', 'amxBf16'] as const) assert.equal(typeof f[k], 'boolean', k);
  assert.equal(typeof f.model, 'string');
  assert.ok(f.model.length > 0);
  // AVX512-BF16 implies AVX512F on every CPU that has it
  if (f.avx512bf16) assert.equal(f.avx512f, true);
  assert.equal(cpuFeatures(), f);
});

test('memoryStats() has numeric counters', () => {
  const m = memoryStats();
  assert.equal(typeof m.liveTensors, 'number');
  assert.equal(typeof m.liveBytes, 'number');
  const t = zeros([4], { dtype: 'float64' });
  assert.equal(memoryStats().liveBytes - m.liveBytes, 32);
  t.dispose();
});

test('schemaOf prints ATen schemas; unknown operators throw', () => {
  assert.match(schemaOf('mm'), /^aten::mm\(Tensor self, Tensor mat2\) -> Tensor/);
  assert.match(schemaOf('add', 'Tensor'), /aten::add\.Tensor\(Tensor self, Tensor other, \*, Scalar alpha=1\) -> Tensor/);
  assert.throws(() => schemaOf('no_such_operator_xyz'), /Could not find schema|no_such_operator_xyz/);
});
