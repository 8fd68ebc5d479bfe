// Ctrl-C during `mammoclr pretrain`: the run stops at a step boundary, writes a checkpoint,
// exits with status 130, and `--resume` continues it to the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCheckpoint, disposeCheckpoint } from '../../src/train/checkpoint.js';

const dir = mkdtempSync(join(tmpdir(), 'mammoclr-sig-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const env = { ...process.env, MAMMOCLR_NUM_THREADS: '1' };

/** Starts `mammoclr <args>`, sends SIGINT once the run's log.jsonl holds 3 steps, and waits for the exit. */
async function interruptAfterThreeSteps(args: string[], runDir: string): Promise<{ code: number | null; out: string; steps: () => number }> {
  const child = spawn(process.execPath, ['bin/mammoclr.js', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const logPath = join(runDir, 'log.jsonl');
  const steps = () => (existsSync(logPath) ? readFileSync(logPath, 'utf8').split('\n').filter((l) => l.includes('"type":"step"')).length : 0);
  const deadline = Date.now() + 120_000;
  while (steps() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.ok(steps() >= 3, `training started: ${out}`);
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  return { code, out, steps };
}

test('SIGINT checkpoints and exits 130; --resume finishes the run', async () => {
  const data = join(dir, 'phantom-16.safetensors');
  const prep = spawnSync(process.execPath, ['bin/mammoclr.js', 'prepare', 'phantom', '16', '--out', dir, '--size', '16', '--no-progress'], { encoding: 'utf8', env });
  assert.equal(prep.status, 0, prep.stderr);
  const run = join(dir, 'run');
  const args = ['pretrain', '--data', data, '--out', run, '--arch', 'resnet18', '--width', '4', '--epochs', '400', '--batch-size', '16', '--no-bf16', '--quiet', '--checkpoint-every', '0'];
  const { code, out, steps } = await interruptAfterThreeSteps(args, run);
  assert.equal(code, 130);
  assert.match(out, /stopped; checkpoint .*last\.safetensors/);
  const ck = await loadCheckpoint<{ globalStep: number; epoch: number }>(join(run, 'checkpoints', 'last.safetensors'));
  assert.ok(ck.meta.globalStep >= 3 && ck.meta.globalStep < 800);
  const stoppedAt = ck.meta.globalStep;
  disposeCheckpoint(ck);
  assert.equal(steps(), stoppedAt, 'the log and the checkpoint agree on the last step');

  const resumed = spawnSync(process.execPath, ['bin/mammoclr.js', ...args.slice(0, args.indexOf('--epochs')), '--epochs', String(Math.ceil(stoppedAt / 2) + 1), '--batch-size', '16', '--no-bf16', '--quiet', '--resume'], { encoding: 'utf8', env });
  assert.equal(resumed.status, 0, resumed.stderr);
  const log = readFileSync(join(run, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(log.some((l) => l.type === 'resume'));
  assert.ok(existsSync(join(run, 'encoder.safetensors')));
});

test('SIGINT during the demo\'s pretraining: checkpoint, exit 130, and no evaluation of the half-trained encoder', async () => {
  const out = join(dir, 'demo');
  const { code, out: text } = await interruptAfterThreeSteps(['demo', '--out', out, '--patients', '40', '--epochs', '400', '--width', '4'], out);
  assert.equal(code, 130, text);
  assert.match(text, /stopped during pretraining; checkpoint .*last\.safetensors\. Nothing was evaluated/);
  assert.doesNotMatch(text, /\[3\/7\]|done in/);
  assert.ok(existsSync(join(out, 'checkpoints', 'last.safetensors')));
  assert.ok(!existsSync(join(out, 'eval')), 'no evaluation was written');
});
