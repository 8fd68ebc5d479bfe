/** --device: checked against the engine, and the CPU path does not copy. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolveDevice, autocastDeviceOf, onDevice, toCpu } from '../../src/train/device.js';
import { engineInfo, tensor } from '../../src/tensor/index.js';

const BIN = fileURLToPath(new URL('../../../bin/mammoclr.js', import.meta.url));
const cuda = engineInfo().cudaAvailable;

test('resolveDevice: cpu, malformed names, and cuda against this libtorch', () => {
  assert.equal(resolveDevice('cpu'), 'cpu');
  assert.throws(() => resolveDevice('gpu'), /expected cpu, cuda or cuda:N, got 'gpu'/);
  assert.throws(() => resolveDevice('cuda:x'), /expected cpu, cuda or cuda:N/);
  if (cuda) {
    assert.equal(resolveDevice('cuda'), 'cuda:0');
    assert.throws(() => resolveDevice(`cuda:${engineInfo().cudaDevices}`), /GPU\(s\) visible/);
  } else {
    assert.throws(() => resolveDevice('cuda'), /has no CUDA or sees no GPU; point LIBTORCH at a CUDA build/);
    assert.throws(() => resolveDevice('cuda:1', 0), /has no CUDA/);
  }
});

test('autocast follows the device; on the CPU tensors are not copied', () => {
  assert.equal(autocastDeviceOf(undefined), 'cpu');
  assert.equal(autocastDeviceOf('cpu'), 'cpu');
  assert.equal(autocastDeviceOf('cuda:1'), 'cuda');
  const x = tensor([1, 2, 3]);
  assert.equal(onDevice(x, 'cpu'), x);
  assert.equal(onDevice(x, undefined), x);
  assert.equal(toCpu(x), x);
  x.dispose();
});

test('pretrain --device cuda without a CUDA libtorch stops at once with the reason', { skip: cuda ? 'this libtorch has CUDA' : false }, () => {
  const r = spawnSync(process.execPath, [BIN, 'pretrain', '--data', 'missing.safetensors', '--out', 'unused', '--device', 'cuda'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--device cuda: this libtorch .* has no CUDA/);
  assert.doesNotMatch(r.stderr, /missing\.safetensors/, 'the device is checked before any data is read');
});
