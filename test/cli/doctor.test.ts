// `mammoclr doctor` reports the engine it actually loaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { doctor } from '../../src/cli/doctor.js';

test('doctor reports libtorch version, threads, CPU features and CUDA', async () => {
  const r = await doctor();
  assert.equal(r.ok, true);
  const keys = new Map(r.lines);
  assert.match(keys.get('libtorch')!, /^\d+\.\d+/);
  assert.match(keys.get('threads')!, /^\d+/);
  assert.match(keys.get('AVX2 / AVX-512')!, /^(yes|no) \/ (yes|no)$/);
  assert.match(keys.get('CUDA')!, /^(no|yes, \d+ device)/);
});

test('the CLI prints the doctor report and exits 0', () => {
  const res = spawnSync(process.execPath, ['bin/mammoclr.js', 'doctor', '--json'], { encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  const report = JSON.parse(res.stdout);
  assert.equal(report.ok, true);
  assert.ok(report.lines.some(([k]: [string]) => k === 'libtorch'));
});
