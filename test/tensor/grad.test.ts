// Its own file (one process): tensors other tests leave to the garbage collector could be
// finalised during the loop and move the live count this test checks exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, tidy, memoryStats } from '../../src/tensor/index.js';

test('.grad is a view the parameter owns: 1000 reads hold one handle, freed with the gradient or the parameter', () => {
  const w = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
  const c = tensor([4, 5, 6], { dtype: 'float64' });
  const loss = () => tidy(() => w.mul(c).sum().backward());
  loss();
  const before = memoryStats().liveTensors;
  const first = w.grad!;
  for (let i = 0; i < 1000; i++) assert.deepEqual(w.grad!.toArray(), [4, 5, 6]);
  assert.equal(memoryStats().liveTensors, before + 1, 'one lent view, however many reads');
  assert.equal(w.grad, first, 'the same view while libtorch keeps the same gradient');
  // A tidy around the read, and a borrower's dispose(), must not free the parameter's gradient.
  assert.equal(tidy(() => w.grad!.mul(2).sum().item()), 30);
  w.grad!.dispose();
  assert.deepEqual(first.toArray(), [4, 5, 6]);
  loss(); // accumulates in place into the same gradient tensor
  assert.equal(w.grad, first);
  assert.deepEqual(first.toArray(), [8, 10, 12]);
  assert.equal(memoryStats().liveTensors, before + 1);
  w.setGrad(null);
  assert.equal(memoryStats().liveTensors, before, 'clearing the gradient frees the view');
  assert.ok(first.isDisposed);
  assert.equal(w.grad?.toArray() ?? null, null);
  loss();
  assert.deepEqual(w.grad!.toArray(), [4, 5, 6]);
  assert.notEqual(w.grad, first);
  assert.equal(memoryStats().liveTensors, before + 1);
  w.dispose();
  assert.equal(memoryStats().liveTensors, before - 1, 'disposing the parameter frees it and its view');
  c.dispose();
});
