import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, zeros, ones, tidy, F, Generator, memoryStats, Tensor, arange } from '../../src/tensor/index.js';
import { native } from '../../src/tensor/native.js';

/** After each bad call the engine still works. */
function stillWorks(): void {
  tidy(() => assert.deepEqual(ones([2]).add(1).toArray(), [2, 2]));
}

/** Asserts fn throws an Error (a JS one, with a message) matching re, and that the process carries on. */
function throwsReadable(fn: () => unknown, re: RegExp, type: new (...a: never[]) => Error = Error): void {
  const before = memoryStats().liveTensors;
  tidy(() => {
    assert.throws(fn, (e: unknown) => {
      assert.ok(e instanceof type, `expected ${type.name}, got ${String(e)}`);
      assert.match((e as Error).message, re);
      // one readable line, no C++ backtrace
      assert.ok(!/Exception raised from|frame #\d/.test((e as Error).message), (e as Error).message);
      return true;
    });
  });
  assert.equal(memoryStats().liveTensors, before, 'a failed call leaked a handle');
  stillWorks();
}

test('shape mismatch in mm', () => {
  throwsReadable(() => zeros([2, 3]).mm(zeros([2, 3])), /mat1 and mat2 shapes cannot be multiplied \(2x3 and 2x3\)/);
  throwsReadable(() => zeros([2, 3]).matmul(zeros([4, 5])), /cannot be multiplied/);
  throwsReadable(() => zeros([2, 3]).add(zeros([4])), /size of tensor a \(3\) must match the size of tensor b \(4\)/);
});

test('conv2d with the wrong channel count or rank', () => {
  throwsReadable(() => F.conv2d(zeros([1, 3, 5, 5]), zeros([2, 2, 3, 3])), /expected input\[1, 3, 5, 5\] to have 2 channels, but got 3 channels/);
  throwsReadable(() => F.conv2d(zeros([1, 4, 5, 5]), zeros([2, 4, 3, 3]), null, { groups: 3 }), /groups/);
  throwsReadable(() => F.conv2d(zeros([1, 1, 2, 2]), zeros([1, 1, 3, 3])), /Kernel size can't be greater than actual input size|kernel size/i);
});

test('dtype mismatches', () => {
  throwsReadable(() => zeros([3]).indexSelect(0, zeros([2])), /index_select\(\): Expected dtype int32 or int64 for index/);
  throwsReadable(() => zeros([3, 2]).mm(zeros([2, 3], { dtype: 'float64' })), /dtype|type/i);
  throwsReadable(() => zeros([3]).gather(0, zeros([2])), /gather.*index.*int64|Expected dtype int64/i);
  throwsReadable(() => F.crossEntropy(zeros([2, 3]), zeros([2])), /Long|int64|expected scalar type/i);
  throwsReadable(() => tensor([1], { dtype: 'int32' }).add_(0.5), /result type Float can't be cast/);
});

test('use after dispose', () => {
  const t = zeros([2]);
  t.dispose();
  throwsReadable(() => t.add(1), /tensor used after dispose/);
  throwsReadable(() => ones([2]).add(t), /tensor used after dispose/);
  throwsReadable(() => t.toArray(), /tensor used after dispose/);
  throwsReadable(() => t.shape, /tensor used after dispose/);
  throwsReadable(() => F.cat([ones([1]), t]), /tensor used after dispose/);
  throwsReadable(() => t.backward(), /tensor used after dispose/);
});

test('wrong argument types', () => {
  const x = zeros([2]);
  try {
    throwsReadable(() => x.matmul('x' as unknown as Tensor), /expected a tensor/, TypeError);
    throwsReadable(() => x.add('x' as unknown as number), /aten::add\.Scalar argument 'other': expected a number/, TypeError);
    throwsReadable(() => x.matmul({} as unknown as Tensor), /expected a tensor/, TypeError);
    throwsReadable(() => x.matmul(null as unknown as Tensor), /expected a tensor|missing argument|Tensor/, Error);
    throwsReadable(() => x.view(1.5), /expected an integer/, TypeError);
    throwsReadable(() => x.reshape('2' as unknown as number), /expected/, TypeError);
    throwsReadable(() => F.cat([x, 3 as unknown as Tensor]), /expected a tensor/, TypeError);
  } finally {
    x.dispose();
  }
});

test('an unknown dtype name is refused, not silently replaced by float32', () => {
  throwsReadable(() => zeros([2], { dtype: 'complex64' as never }), /dtype/i);
  throwsReadable(() => ones([2], { dtype: 'float' as never }), /dtype/i);
});

test('out-of-range dims and indices', () => {
  throwsReadable(() => zeros([2, 3]).sum(2), /Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)/);
  throwsReadable(() => zeros([2, 3]).softmax(-3), /Dimension out of range/);
  throwsReadable(() => zeros([2, 3]).transpose(0, 5), /Dimension out of range/);
  throwsReadable(() => zeros([2, 3]).permute(0, 0), /repeated dim|duplicate/i);
  throwsReadable(() => zeros([2, 3]).select(1, 3), /index 3 is out of bounds|out of range/);
  throwsReadable(() => zeros([3]).indexSelect(0, tensor([5], { dtype: 'int64' })), /out of range|INDICES element is out of DATA bounds/i);
  throwsReadable(() => zeros([2, 3]).view(4, 2), /shape '\[4, 2\]' is invalid for input of size 6/);
  throwsReadable(() => zeros([2, 3]).t().view(6), /view size is not compatible/);
  throwsReadable(() => zeros([3]).item(), /item\(\): the tensor has 3 elements, not 1/);
  throwsReadable(() => tensor([0, 7], { dtype: 'int64' }).oneHot(3), /Class values must be smaller than num_classes/);
});

test('size(dim) with an out-of-range dim throws', () => {
  const t = zeros([2, 3]);
  try {
    assert.throws(() => t.size(2), /out of range/i);
    assert.throws(() => t.size(-3), /out of range/i);
  } finally {
    t.dispose();
  }
});

test('absurd allocations throw instead of aborting', () => {
  throwsReadable(() => zeros([1e6, 1e6]), /can't allocate memory|out of memory/);
  throwsReadable(() => zeros([2 ** 32, 2 ** 32, 2 ** 32]), /overflow/);
  throwsReadable(() => zeros([-1, 2]), /negative dimension/);
  throwsReadable(() => zeros([1e20]), /expected an integer/, TypeError);
  throwsReadable(() => zeros([NaN]), /expected an integer/, TypeError);
  throwsReadable(() => tensor(new Uint8Array(0), [2 ** 62, 4]), /overflow/);
});

test('tensor() with a wrong-length typed array', () => {
  throwsReadable(() => tensor(new Float32Array(5), [2, 3]), /fromBuffer: 20 bytes given for shape of 6 elements of Float \(24 bytes\)/, RangeError);
  throwsReadable(() => tensor(new Float64Array(4), [5]), /bytes given/, RangeError);
  throwsReadable(() => tensor(new Uint16Array(3), [2, 2], { dtype: 'float16' }), /bytes given/, RangeError);
  throwsReadable(() => tensor(new Float32Array(2), [-1, -2]), /non-negative/, RangeError);
});

test('autograd misuse', () => {
  throwsReadable(() => zeros([2], { requiresGrad: true }).mul(2).backward(), /grad can be implicitly created only for scalar outputs/);
  throwsReadable(() => zeros([1]).sum().backward(), /does not require grad/);
  throwsReadable(() => {
    const x = zeros([3], { requiresGrad: true });
    x.setGrad(zeros([2]));
    x.sum().backward();
  }, /size|shape/);
  throwsReadable(() => Generator.seeded(1).setState(zeros([3], { dtype: 'uint8' })), /RNG state size/);
});

test('in-place on a leaf that requires grad is refused', () => {
  throwsReadable(() => zeros([2], { requiresGrad: true }).add_(1), /a leaf Variable that requires grad is being used in an in-place operation/);
});

test('many failures in a row do not leak or crash', () => {
  const before = memoryStats().liveTensors;
  const a = tidy(() => arange(6).reshape(2, 3));
  for (let i = 0; i < 200; i++) assert.throws(() => a.mm(a));
  a.dispose();
  assert.equal(memoryStats().liveTensors, before);
  stillWorks();
});

test('a failed dispatch names the operator, the overload and the kinds of the arguments passed', () => {
  const x = zeros([2]);
  try {
    assert.throws(() => x.add('x' as unknown as number), (e: Error) => {
      assert.ok(e instanceof TypeError);
      assert.match(e.message, /^aten::add\.Scalar argument 'other': expected a number \(called as aten::add\.Scalar\(Tensor, string(, number)?\)\)$/);
      return true;
    });
    assert.throws(() => F.cat([x, 3 as unknown as Tensor]), /aten::cat argument 'tensors': expected a tensor, got number \(called as aten::cat\(\[Tensor, number\](, number)?\)\)/);
    // An error libtorch raises keeps its own message first, then says which call failed.
    assert.throws(() => tidy(() => zeros([2, 3]).mm(zeros([2, 3]))), /mat1 and mat2 shapes cannot be multiplied \(2x3 and 2x3\) \[in aten::mm\(Tensor, Tensor\)\]/);
  } finally {
    x.dispose();
  }
});

test('handles are type-tagged: a foreign object or another kind of handle is a TypeError', () => {
  const x = ones([2]);
  const g = Generator.seeded(1);
  try {
    for (const bad of [{}, [], 'x', 1, null]) {
      assert.throws(() => native.meta(bad as never), (e: Error) => e instanceof TypeError && /expected a tensor/.test(e.message));
    }
    // A generator handle where a tensor is expected, and a tensor handle where a generator is.
    assert.throws(() => native.meta(g.handle as never), (e: Error) => e instanceof TypeError && /expected a tensor/.test(e.message));
    assert.throws(() => tidy(() => x.view(1, 2).mm(g.handle as never)), (e: Error) => e instanceof TypeError && /aten::mm argument 'mat2': expected a tensor, got Generator/.test(e.message));
    assert.throws(() => native.generatorSeed(x.handle as never), (e: Error) => e instanceof TypeError && /expected a generator/.test(e.message));
    assert.throws(() => native.groupInfo(x.handle as never), (e: Error) => e instanceof TypeError && /expected a process group/.test(e.message));
    // The right handles still work.
    tidy(() => assert.deepEqual(x.add(1).toArray(), [2, 2]));
    assert.equal(typeof native.generatorSeed(g.handle), 'bigint');
  } finally {
    x.dispose();
  }
});
