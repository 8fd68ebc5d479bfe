import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, zeros, ones, tidy, keep, disposeAll, memoryStats, Tensor } from '../../src/tensor/index.js';

const live = () => memoryStats().liveTensors;

test('memoryStats counts live tensors and bytes exactly', () => {
  const before = memoryStats();
  const a = zeros([10]); // 40 bytes
  const b = zeros([3, 2], { dtype: 'float64' }); // 48 bytes
  assert.equal(live(), before.liveTensors + 2);
  assert.equal(memoryStats().liveBytes, before.liveBytes + 88);
  const v = b.select(0, 1); // a view counts its own elements
  assert.equal(live(), before.liveTensors + 3);
  assert.equal(memoryStats().liveBytes, before.liveBytes + 104);
  a.dispose();
  a.dispose(); // twice is harmless
  assert.equal(live(), before.liveTensors + 2);
  b.dispose();
  v.dispose();
  assert.deepEqual(memoryStats(), before);
});

test('tidy frees everything created inside except what it returns', () => {
  const before = live();
  const inner: Tensor[] = [];
  const r = tidy(() => {
    const a = ones([3]);
    const b = a.mul(2);
    const c = b.add(1);
    inner.push(a, b);
    return c;
  });
  assert.equal(live(), before + 1);
  assert.ok(inner.every((t) => t.isDisposed));
  assert.equal(r.isDisposed, false);
  assert.deepEqual(r.toArray(), [3, 3, 3]);
  r.dispose();
  assert.equal(live(), before);
});

test('tidy keeps tensors returned inside arrays, plain objects and Maps, nested', () => {
  const before = live();
  const scratch: Tensor[] = [];
  const out = tidy(() => {
    const mk = () => {
      const t = zeros([1]);
      scratch.push(t.add(1)); // a temporary
      return t;
    };
    return { list: [mk(), [mk()]], obj: { deep: { t: mk() } }, map: new Map([['k', mk()]]), n: 3, s: 'x' };
  });
  assert.equal(live(), before + 4);
  assert.ok(scratch.every((t) => t.isDisposed));
  const kept = [out.list[0] as Tensor, (out.list[1] as Tensor[])[0]!, out.obj.deep.t, out.map.get('k')!];
  assert.ok(kept.every((t) => !t.isDisposed));
  disposeAll(out);
  assert.ok(kept.every((t) => t.isDisposed));
  assert.equal(live(), before);
});

test('tensors inside class instances are not searched (documented: plain objects only)', () => {
  class Box { constructor(readonly t: Tensor) {} }
  const before = live();
  const box = tidy(() => new Box(zeros([1])));
  assert.equal(box.t.isDisposed, true);
  assert.equal(live(), before);
});

test('nested tidy moves returned tensors to the parent scope', () => {
  const before = live();
  let fromInner: Tensor | undefined;
  let survivor: Tensor | undefined;
  const r = tidy(() => {
    fromInner = tidy(() => {
      zeros([2]); // freed at the inner end
      return ones([2]);
    });
    assert.equal(live(), before + 1);
    survivor = tidy(() => zeros([3]));
    return survivor; // fromInner is not returned: freed at the outer end
  });
  assert.equal(fromInner!.isDisposed, true);
  assert.equal(r, survivor);
  assert.equal(r.isDisposed, false);
  assert.equal(live(), before + 1);
  r.dispose();
  assert.equal(live(), before);
});

test('keep() survives tidy; returning a tensor made outside leaves it alone', () => {
  const before = live();
  const outside = zeros([1]);
  let kept: Tensor | undefined;
  const r = tidy(() => {
    kept = keep(ones([2]));
    tidy(() => keep(zeros([1])).dispose()); // kept but disposed by hand: no double free
    return outside;
  });
  assert.equal(r, outside);
  assert.equal(outside.isDisposed, false);
  assert.equal(kept!.isDisposed, false);
  assert.equal(live(), before + 2);
  // kept from a nested scope survives both levels
  let deep: Tensor | undefined;
  tidy(() => tidy(() => { deep = keep(zeros([1])); }));
  assert.equal(deep!.isDisposed, false);
  deep!.dispose();
  kept!.dispose();
  outside.dispose();
  assert.equal(live(), before);
});

test('an error inside tidy still frees what was created, and propagates', () => {
  const before = live();
  const made: Tensor[] = [];
  assert.throws(() => tidy(() => {
    made.push(zeros([4]), ones([4]));
    tidy(() => made.push(zeros([1])));
    throw new Error('fail inside');
  }), /fail inside/);
  assert.ok(made.every((t) => t.isDisposed));
  assert.equal(live(), before);
  // a libtorch error inside tidy as well
  assert.throws(() => tidy(() => zeros([2, 3]).mm(zeros([2, 3]))), /cannot be multiplied/);
  assert.equal(live(), before);
  // a Promise is refused and its tensors freed
  assert.throws(() => tidy(() => { zeros([1]); return Promise.resolve(1); }), /synchronous/);
  assert.equal(live(), before);
  // and the scope stack is intact afterwards
  const r = tidy(() => ones([1]));
  assert.equal(live(), before + 1);
  r.dispose();
});

test('a disposed tensor stays an object but refuses use; dispose releases bytes immediately', () => {
  const before = memoryStats();
  const t = zeros([1000]);
  assert.equal(memoryStats().liveBytes, before.liveBytes + 4000);
  t.dispose();
  assert.equal(t.isDisposed, true);
  assert.deepEqual(memoryStats(), before);
  assert.throws(() => t.shape, /after dispose/);
});

test('`using` declarations dispose at block end', () => {
  const before = live();
  let escaped: Tensor | undefined;
  {
    using a = zeros([2]);
    using b = a.add(1);
    escaped = b;
    assert.equal(live(), before + 2);
    assert.deepEqual(b.toArray(), [1, 1]);
  }
  assert.equal(escaped.isDisposed, true);
  assert.equal(live(), before);
  // disposing early by hand then leaving the block is fine
  {
    using c = zeros([1]);
    c.dispose();
  }
  assert.equal(live(), before);
  // an exception still disposes
  assert.throws(() => {
    using d = zeros([1]);
    escaped = d;
    throw new Error('x');
  });
  assert.equal(escaped.isDisposed, true);
  assert.equal(live(), before);
});

test('tensor() and ops inside tidy leave no intermediate handles (creation casts, toArray)', () => {
  const before = live();
  tidy(() => {
    tensor([1, 2, 3], { dtype: 'int32' }).toArray();
    tensor(new Float32Array([1]), { dtype: 'bfloat16' }).toFloat32Array();
    zeros([2]).add_(1).mul_(2);
  });
  assert.equal(live(), before);
  // outside any scope, the intermediates of tensor() and toArray() are freed eagerly
  const t = tensor([1, 2], { dtype: 'float16' });
  t.toArray();
  t.toFloat32Array();
  zeros([2]).dispose();
  assert.equal(live(), before + 1);
  const x = zeros([3]);
  x.add_(1); // the in-place result handle is released
  assert.equal(live(), before + 2);
  x.dispose();
  t.dispose();
  assert.equal(live(), before);
});
