// `mammoclr doctor` reports the engine it actually loaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeBackends, doctor } from '../../src/cli/doctor.js';
import { distributedBackends, initProcessGroup } from '../../src/distributed/index.js';
import { tensor } from '../../src/tensor/index.js';

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

test('doctor names the distributed backends this libtorch and addon have, and they work', async () => {
  const backends = distributedBackends();
  const keys = new Map((await doctor()).lines);
  assert.equal(keys.get('distributed backends'), describeBackends(backends));
  assert.notEqual(backends.libtorch, null, 'libtorch is inspected on Linux');
  // The addon's Gloo code links against libtorch's ProcessGroupGloo, so libtorch must show it.
  if (backends.gloo) assert.equal(backends.libtorch!.gloo, true);
  // "yes" must mean a group forms: one rank over a FileStore, one all-reduce.
  const env = { masterAddr: '127.0.0.1', masterPort: 0, worldSize: 1, rank: 0, localRank: 0, localWorldSize: 1 };
  const filePath = join(await mkdtemp(join(tmpdir(), 'mammoclr-doctor-')), 'store');
  const joining = initProcessGroup({ env, filePath, backend: 'gloo', timeoutMs: 20_000 });
  if (!backends.gloo) return void (await assert.rejects(joining, /no Gloo backend/));
  const group = await joining;
  try {
    const t = tensor([1.5, -2], [2]);
    await group.allReduce(t);
    assert.deepEqual(t.toArray(), [1.5, -2]);
    t.dispose();
  } finally {
    group.destroy();
  }
});

test('the backend line says when libtorch has a backend the addon cannot use', () => {
  assert.equal(describeBackends({ gloo: true, nccl: true, libtorch: { gloo: true, nccl: true, mpi: false } }), 'Gloo yes, NCCL yes, MPI no');
  assert.equal(
    describeBackends({ gloo: false, nccl: false, libtorch: { gloo: true, nccl: false, mpi: true } }),
    'Gloo in libtorch, but the addon was built without it (install libgloo-dev, `npm run build:native`), NCCL no, MPI in libtorch, but unused (mammoclr runs Gloo or NCCL)',
  );
  assert.equal(describeBackends({ gloo: true, nccl: false, libtorch: null }), 'Gloo yes, NCCL no (libtorch itself is inspected on Linux only), MPI no (libtorch itself is inspected on Linux only)');
});
