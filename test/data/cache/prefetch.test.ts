// The prefetcher: batches in plan order, the next read started before the current one is
// awaited, read errors raised at the batch they belong to, in-flight batches freed on close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arange, memoryStats, type Tensor } from '../../../src/tensor/index.js';
import { TensorImageSource, type ImageSource } from '../../../src/data/cache/image-source.js';
import { Prefetcher } from '../../../src/data/cache/prefetch.js';

// 10 images [1, 1, 2]; image k holds the values 2k and 2k+1.
const images = arange(0, 20, 1, { dtype: 'float32' }).reshape(10, 1, 1, 2);

/** An ImageSource over `images` that records each request and can fail or delay chosen ones. */
class Recording implements ImageSource {
  readonly count = 10;
  readonly shape = [1, 1, 2] as const;
  readonly calls: number[][] = [];
  readonly inner = new TensorImageSource(images);
  constructor(private readonly failOn = new Set<number>(), private readonly delayMs = 0) {}
  async batch(indices: ArrayLike<number>): Promise<Tensor> {
    const idx = Array.from(indices);
    this.calls.push(idx);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.failOn.has(idx[0]!)) throw new Error(`disk error at image ${idx[0]}`);
    return this.inner.batch(idx);
  }
  async dispose(): Promise<void> {}
}

const plans = [[0, 1], [5, 2], [9, 9], [3, 4]].map((indices, step) => ({ step, indices }));

test('batches come in plan order, each read started one step ahead', async () => {
  const src = new Recording();
  const pre = new Prefetcher(src, plans);
  const base = memoryStats().liveTensors;
  for (let s = 0; s < plans.length; s++) {
    const b = await pre.next();
    assert.ok(b);
    assert.equal(b.plan.step, s);
    assert.deepEqual(b.images.toArray(), plans[s]!.indices.flatMap((k) => [2 * k, 2 * k + 1]));
    assert.ok(b.waitMs >= 0);
    // While batch s is in use, the read of s+1 is already issued (and no further one).
    assert.deepEqual(src.calls, plans.slice(0, Math.min(s + 2, plans.length)).map((p) => p.indices));
    b.images.dispose();
  }
  assert.equal(await pre.next(), undefined);
  assert.equal(await pre.next(), undefined);
  await pre.close();
  assert.equal(memoryStats().liveTensors, base);
});

test('ahead = 0 reads on demand; ahead = 2 keeps two reads in flight', async () => {
  const lazy = new Recording();
  const p0 = new Prefetcher(lazy, plans, 0);
  (await p0.next())!.images.dispose();
  assert.equal(lazy.calls.length, 1);
  await p0.close();
  const eager = new Recording();
  const p2 = new Prefetcher(eager, plans, 2);
  (await p2.next())!.images.dispose();
  assert.equal(eager.calls.length, 3);
  await p2.close();
});

test('a failed read is raised at its own batch, not earlier and not as an unhandled rejection', async () => {
  let unhandled: unknown;
  const onUnhandled = (e: unknown): void => {
    unhandled = e;
  };
  process.on('unhandledRejection', onUnhandled);
  try {
    const src = new Recording(new Set([9]), 5);
    const pre = new Prefetcher(src, plans);
    const a = await pre.next();
    a!.images.dispose();
    const b = await pre.next(); // batch 2's read starts now and fails while batch 1 is in use
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(b!.plan.step, 1);
    b!.images.dispose();
    await assert.rejects(pre.next(), /disk error at image 9/);
    await pre.close();
    await new Promise((r) => setImmediate(r));
    assert.equal(unhandled, undefined);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test('close() waits for reads in flight and frees their batches', async () => {
  const base = memoryStats().liveTensors;
  const src = new Recording(new Set(), 10);
  const pre = new Prefetcher(src, plans, 2);
  const first = await pre.next();
  first!.images.dispose();
  assert.equal(src.calls.length, 3);
  await pre.close();
  assert.equal(memoryStats().liveTensors, base);
  await assert.rejects(pre.next(), /after close/);
});
