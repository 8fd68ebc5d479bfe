import { test } from 'node:test';
import assert from 'node:assert/strict';
import { patchWindows } from '../../../src/cli/viewer/build.js';
import { windowsDescription } from '../../../src/cli/export-metadata.js';
import type { PatchModel } from '../../../src/train/patch-model.js';

test('patchWindows reads the geometry, keeps the pectoral setting, and names what is missing', () => {
  const base = { resolution: 512, window: 64, encoderInput: 32, stride: 32, minBreast: 0.5, topK: 3, howTo: 'text' };
  assert.deepEqual(patchWindows(JSON.stringify(base), 'run'), { resolution: 512, window: 64, encoderInput: 32, stride: 32, minBreast: 0.5, topK: 3 });
  assert.deepEqual(patchWindows(JSON.stringify({ ...base, pectoral: 'suppress' }), 'run').pectoral, 'suppress');
  assert.throws(() => patchWindows(JSON.stringify({ ...base, stride: 'x' }), 'runs/a'), /runs\/a: mammoclr.windows has no numeric stride/);
  assert.throws(() => patchWindows(undefined, 'runs/a'), /runs\/a: the patch model's export has no mammoclr.windows metadata/);
});

test('a patch model trained on pectoral-suppressed images tells the viewer through its export metadata', () => {
  const model = { resolution: 512, view: { size: 64, input: 32 }, stride: 32, minBreast: 0.5, topK: 3 } as PatchModel;
  const plain = windowsDescription(model);
  assert.equal(plain['pectoral'], undefined);
  assert.equal(patchWindows(JSON.stringify(plain), 'run').pectoral, undefined);
  const suppressed = windowsDescription({ ...model, pectoral: 'suppress' });
  assert.match(String(suppressed['howTo']), /with the pectoral muscle of MLO views removed as `mammoclr prepare --pectoral suppress` does/);
  assert.equal(patchWindows(JSON.stringify(suppressed), 'run').pectoral, 'suppress');
});
