import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededEncoder, supervisedBaseline } from '../../src/train/from-scratch.js';
import { FINETUNE_MODES, TRAINABLE } from '../../src/train/finetune-mode.js';

const arch = { depth: 18 as const, stem: 'cifar' as const, width: 4, inChannels: 1 as const };

test('a seeded encoder is the same network for the same seed, another for another', () => {
  const [a, b, c] = [seededEncoder(arch, 3), seededEncoder(arch, 3), seededEncoder(arch, 4)];
  const first = (e: typeof a) => e.stateDict().get('conv1.weight')!.toArray();
  assert.deepEqual(first(a), first(b));
  assert.notDeepEqual(first(a), first(c));
  for (const e of [a, b, c]) e.dispose();
});

test('the supervised baseline trains every layer from the same seeded start in each fold, channels-last', () => {
  const m = supervisedBaseline(arch, 5, { epochs: 2, bf16: false });
  assert.equal(m.kind, 'train');
  if (m.kind !== 'train') return;
  assert.equal(m.trainable, 'all');
  assert.deepEqual(m.config, { channelsLast: true, epochs: 2, bf16: false });
  const [x, y] = [m.makeEncoder(), m.makeEncoder()];
  assert.deepEqual(x.stateDict().get('conv1.weight')!.toArray(), y.stateDict().get('conv1.weight')!.toArray());
  assert.equal(x.stateDict().get('conv1.weight')!.isContiguous('channelsLast'), true);
  for (const e of [x, y]) e.dispose();
});

test('each fine-tuning mode names what it trains', () => {
  assert.deepEqual([...FINETUNE_MODES], ['linear', 'last-stage', 'full']);
  assert.deepEqual(TRAINABLE, { linear: 'head', 'last-stage': 'layer4', full: 'all' });
});
