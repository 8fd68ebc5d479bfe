// `mammoclr pretrain --stream`: the file is read per batch, the choice is printed once, and the
// run's losses are those of the same run with the file loaded into memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir, writeRandomPrepared } from '../data/cache/helpers.js';

const dir = await tempDir('cli-stream');
test.after(() => rm(dir, { recursive: true, force: true }));

function pretrain(data: string, out: string, ...extra: string[]): string {
  const args = ['bin/mammoclr.js', 'pretrain', '--data', data, '--out', out, '--arch', 'resnet18', '--width', '4', '--epochs', '1', '--batch-size', '8', '--warmup-epochs', '0', '--no-bf16', '--quiet', ...extra];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, MAMMOCLR_NUM_THREADS: '1' } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

const losses = (run: string): number[] => readFileSync(join(run, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.type === 'step').map((l) => l.loss);

test('--stream trains from disk with the losses of the in-memory run, and says which it used', async () => {
  const data = join(dir, 'random-16.safetensors');
  await writeRandomPrepared(data, 24, 16, 2);
  const memory = pretrain(data, join(dir, 'memory'));
  assert.match(memory, /^images: loaded into memory \(0\.01 MB is less than half of the [\d.]+ [MG]B free\)$/m);
  const streamed = pretrain(data, join(dir, 'streamed'), '--stream');
  assert.equal(streamed.match(/^images: /gm)?.length, 1);
  assert.match(streamed, /^images: streamed from disk per batch \(--stream\)$/m);
  assert.equal(losses(join(dir, 'memory')).length, 3);
  assert.deepEqual(losses(join(dir, 'streamed')), losses(join(dir, 'memory')));
});
