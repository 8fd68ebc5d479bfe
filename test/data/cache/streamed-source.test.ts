// Streaming a prepared file per batch: the same values as the file loaded into memory for any
// index set, errors that name the file, and memory bounded by a few batches, not the dataset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm, truncate, writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSafetensors, memoryStats } from '../../../src/tensor/index.js';
import { StreamedImageSource } from '../../../src/data/cache/streamed-source.js';
import { TensorImageSource } from '../../../src/data/cache/image-source.js';
import { openPreparedImages } from '../../../src/data/cache/open-images.js';
import { Prefetcher } from '../../../src/data/cache/prefetch.js';
import { createRng } from '../../../src/data/rng.js';
import { tempDir, writeRandomPrepared } from './helpers.js';

const dir = await tempDir('stream');
test.after(() => rm(dir, { recursive: true, force: true }));

function rows(all: Float32Array, pixels: number, indices: readonly number[]): Float32Array {
  const out = new Float32Array(indices.length * pixels);
  indices.forEach((k, i) => out.set(all.subarray(k * pixels, (k + 1) * pixels), i * pixels));
  return out;
}

test('streamed batches equal the in-memory rows exactly, for any order and repeats', async () => {
  const path = join(dir, 'small-16.safetensors');
  const count = 37;
  const size = 16;
  const all = await writeRandomPrepared(path, count, size, 3);
  const src = await StreamedImageSource.open(path);
  const { tensors } = await loadSafetensors(path);
  const half = tensors.get('images')!;
  const float = half.float();
  const inHalf = new TensorImageSource(half, true);
  const inFloat = new TensorImageSource(float, true);
  try {
    assert.equal(src.count, count);
    assert.deepEqual(src.shape, [1, size, size]);
    const rng = createRng(5);
    const sets: number[][] = [
      [0], [count - 1], [3, 4, 5, 6], Array.from({ length: count }, (_, i) => i), [9, 2, 30, 2, 9, 9], [5, 4, 3, 2, 1, 0], [7, 7],
      ...Array.from({ length: 20 }, () => Array.from({ length: 1 + rng.int(12) }, () => rng.int(count))),
    ];
    for (const idx of sets) {
      const want = rows(all, size * size, idx);
      for (const [name, s] of [['streamed', src], ['float16 in memory', inHalf], ['float32 in memory', inFloat]] as const) {
        const t = await s.batch(idx);
        assert.deepEqual(t.shape, [idx.length, 1, size, size], name);
        assert.equal(t.dtype, 'float32', name);
        assert.deepEqual(t.data(), want, `${name} [${idx.join(', ')}]`);
        t.dispose();
      }
    }
    const typed = await src.batch(Int32Array.from([4, 1]));
    assert.deepEqual(typed.data(), rows(all, size * size, [4, 1]));
    typed.dispose();
    await assert.rejects(src.batch([count]), /index 37 is not in \[0, 37\)/);
    await assert.rejects(src.batch([1.5]), /index 1.5/);
  } finally {
    await src.dispose();
    await inHalf.dispose();
    await inFloat.dispose();
  }
  assert.ok(half.isDisposed && float.isDisposed, 'owned tensors are freed with their source');
  await assert.rejects(src.batch([0]), /closed/);
});

test('a prepared file opens streamed or in memory with the same records and batches', async () => {
  const path = join(dir, 'prepared-8.safetensors');
  await writeRandomPrepared(path, 10, 8, 4);
  const a = await openPreparedImages(path, { stream: true });
  const b = await openPreparedImages(path, { stream: false });
  try {
    assert.ok(a.images instanceof StreamedImageSource);
    assert.ok(b.images instanceof TensorImageSource);
    assert.deepEqual(a.meta, b.meta);
    assert.deepEqual(a.records, b.records);
    const idx = [9, 0, 3, 3];
    const [x, y] = [await a.images.batch(idx), await b.images.batch(idx)];
    assert.deepEqual(x.data(), y.data());
    x.dispose();
    y.dispose();
  } finally {
    await a.images.dispose();
    await b.images.dispose();
  }
});

test('a truncated file fails with its name: at open, and when cut while open', async () => {
  const path = join(dir, 'cut-8.safetensors');
  await writeRandomPrepared(path, 12, 8, 6);
  const whole = await readFile(path);
  await writeFile(path, whole.subarray(0, whole.length - 100));
  await assert.rejects(openPreparedImages(path, { stream: true }), (e: Error) => {
    assert.ok(e.message.includes(path), e.message);
    assert.match(e.message, /tensors end at byte \d+ but the file has \d+ bytes/);
    return true;
  });

  await writeFile(path, whole);
  const src = await StreamedImageSource.open(path);
  try {
    await truncate(path, whole.length - 8 * 8 * 2 * 3);
    const ok = await src.batch([0, 1]);
    ok.dispose();
    await assert.rejects(src.batch([1, 11]), (e: Error) => {
      assert.ok(e.message.startsWith(`${path}: the file ends early`), e.message);
      return true;
    });
  } finally {
    await src.dispose();
  }

  await writeFile(path, 'not a safetensors file');
  await assert.rejects(openPreparedImages(path, { stream: true }), new RegExp(`safetensors ${path}: `));
});

test('streaming a dataset keeps live tensor memory to a few batches', async (t) => {
  const path = join(dir, 'big-64.safetensors');
  const count = 2000;
  const size = 64;
  const batch = 64;
  await writeRandomPrepared(path, count, size, 7);
  const src = await StreamedImageSource.open(path);
  const batchBytes = batch * size * size * 4;
  const datasetBytes = count * size * size * 4;
  const base = memoryStats().liveBytes;
  let peak = 0;
  const order = createRng(8).shuffle(Array.from({ length: count }, (_, i) => i));
  const plans = Array.from({ length: Math.floor(count / batch) }, (_, s) => ({ step: s, indices: order.slice(s * batch, (s + 1) * batch) }));
  const pre = new Prefetcher(src, plans);
  const started = performance.now();
  let seen = 0;
  try {
    for (let b = await pre.next(); b; b = await pre.next()) {
      assert.equal(b.plan.step, seen++);
      const mean = b.images.mean();
      peak = Math.max(peak, memoryStats().liveBytes - base);
      assert.ok(mean.item() > 0.4 && mean.item() < 0.6);
      mean.dispose();
      b.images.dispose();
    }
  } finally {
    await pre.close();
    await src.dispose();
  }
  const ms = performance.now() - started;
  assert.equal(seen, plans.length);
  t.diagnostic(`${count} images at ${size} px in ${plans.length} shuffled batches of ${batch}: ${ms.toFixed(0)} ms; peak live tensor bytes ${peak} (${(peak / batchBytes).toFixed(2)} batches; the dataset is ${datasetBytes})`);
  assert.ok(peak <= 3 * batchBytes, `peak ${peak} bytes is more than 3 batches (${3 * batchBytes})`);
  assert.ok(memoryStats().liveBytes - base <= 0, 'everything freed');
});
