// SimCLR pretraining loop: a resumed run ends bit-identical to an uninterrupted one, a diverged
// loss stops the run and leaves the last good checkpoint untouched, and outputs are written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveSafetensors } from '../../src/tensor/index.js';
import { StreamedImageSource } from '../../src/data/cache/streamed-source.js';
import { pretrain, DivergedError } from '../../src/train/pretrain.js';
import { tinyConfig, tinyImages } from './tiny-pretrain.js';
import { loadCheckpoint, disposeCheckpoint } from '../../src/train/checkpoint.js';

const root = mkdtempSync(join(tmpdir(), 'mammoclr-pretrain-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

const images = tinyImages();

function weights(m: { stateDict(): Map<string, { toArray(): number[] }> }): Map<string, number[]> {
  return new Map([...m.stateDict()].map(([k, t]) => [k, t.toArray()]));
}

test('a run stopped after 4 steps and resumed ends with the same weights as an uninterrupted run', async () => {
  const cfg = tinyConfig();
  const full = await pretrain(cfg, { images, runDir: join(root, 'full'), quiet: true });
  assert.equal(full.stoppedBy, 'completed');
  const part = await pretrain(cfg, { images, runDir: join(root, 'part'), quiet: true, stopAfterSteps: 4 });
  assert.equal(part.stoppedBy, 'step-limit');
  const ck = await loadCheckpoint<{ epoch: number; stepInEpoch: number; globalStep: number }>(part.checkpoint);
  // 24 images, batch 8: 3 steps per epoch, so step 4 is the second step of epoch 2 (index 1).
  assert.deepEqual([ck.meta.epoch, ck.meta.stepInEpoch, ck.meta.globalStep], [1, 1, 4]);
  disposeCheckpoint(ck);
  part.encoder.dispose();
  part.head.dispose();
  const resumed = await pretrain(cfg, { images, runDir: join(root, 'part'), quiet: true, resume: part.checkpoint });
  assert.equal(resumed.stoppedBy, 'completed');
  const a = weights(full.encoder);
  const b = weights(resumed.encoder);
  assert.equal(a.size, b.size);
  for (const [k, v] of a) assert.deepEqual(b.get(k), v, `encoder ${k} differs`);
  assert.deepEqual(weights(resumed.head), weights(full.head));
  assert.ok(existsSync(join(root, 'full', 'encoder.safetensors')));
  const steps = readFileSync(join(root, 'full', 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(steps.filter((r) => r.type === 'step').length, 6);
  assert.equal(steps.filter((r) => r.type === 'epoch').length, 2);
  for (const m of [full.encoder, full.head, resumed.encoder, resumed.head]) m.dispose();
});

test('a diverging loss stops with a clear error and the last good checkpoint intact', async () => {
  const cfg = tinyConfig();
  cfg.epochs = 1;
  const dir = join(root, 'diverge');
  const first = await pretrain(cfg, { images, runDir: dir, quiet: true });
  const before = readFileSync(first.checkpoint);
  first.encoder.dispose();
  first.head.dispose();
  const bad = { ...tinyConfig(), maxLoss: 0.5 };
  await assert.rejects(pretrain(bad, { images, runDir: dir, quiet: true, resume: first.checkpoint }), (e: Error) => {
    assert.ok(e instanceof DivergedError);
    assert.match(e.message, /exploded to [\d.]+ at epoch 2, step 3/);
    assert.match(e.message, /last good checkpoint is .*last\.safetensors/);
    return true;
  });
  assert.deepEqual(readFileSync(first.checkpoint), before);
});

test('pretraining from the file streamed per batch gives the same losses and weights as from memory', async () => {
  const cfg = tinyConfig();
  // The prepared files hold float16; memory gets the same values cast up front.
  const half = images.to('float16');
  const file = join(root, 'images-16.safetensors');
  await saveSafetensors(file, { images: half });
  const inMemory = half.float();
  half.dispose();
  const streamed = await StreamedImageSource.open(file);
  const a = await pretrain(cfg, { images: inMemory, runDir: join(root, 'memory'), quiet: true });
  const b = await pretrain(cfg, { images: streamed, runDir: join(root, 'streamed'), quiet: true });
  await streamed.dispose();
  inMemory.dispose();
  const steps = (dir: string) => readFileSync(join(root, dir, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.type === 'step');
  const [sa, sb] = [steps('memory'), steps('streamed')];
  assert.equal(sa.length, 6);
  assert.deepEqual(sb.map((r) => r.loss), sa.map((r) => r.loss));
  for (const r of sb) {
    assert.ok(r.dataWaitFraction >= 0 && r.dataWaitFraction < 1, `dataWaitFraction ${r.dataWaitFraction}`);
    assert.ok(r.dataReadMs >= 0, `dataReadMs ${r.dataReadMs}`);
  }
  assert.deepEqual(weights(b.encoder), weights(a.encoder));
  assert.deepEqual(weights(b.head), weights(a.head));
  for (const m of [a.encoder, a.head, b.encoder, b.head]) m.dispose();
});
