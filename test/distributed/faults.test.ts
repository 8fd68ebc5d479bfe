/** Peer failures, timeouts and wrong rendezvous settings end in clear errors, never in a hang. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRanks, runScript, freePort } from './helpers.js';
import { readDistributedEnv, DistributedConfigError } from '../../src/distributed/env.js';

test('a killed rank makes the other fail at once with c10d\'s message', async () => {
  let killedAt = 0;
  const rs = await runRanks('faults.js', 2, {
    args: ['stall'], env: { MAMMOCLR_DIST_TIMEOUT: '20' },
    onStart: (rank, child) => {
      if (rank !== 1) return;
      child.stdout!.on('data', (d) => {
        if (String(d).includes('stalled')) setTimeout(() => { killedAt = Date.now(); child.kill('SIGKILL'); }, 200);
      });
    },
  });
  assert.equal(rs[1]!.signal, 'SIGKILL');
  assert.equal(rs[0]!.code, 1);
  assert.match(rs[0]!.json.error, /all-reduce failed on rank 0 of 2: .*(Connection closed by peer|Connection reset)/);
  const after = rs[0]!.json.at - killedAt;
  assert.ok(after >= 0 && after < 5000, `rank 0 noticed after ${after} ms (timeout 20 s)`);
});

test('a rank that stops answering (alive) makes the other fail after the timeout', async () => {
  const rs = await runRanks('faults.js', 2, {
    args: ['stall'], env: { MAMMOCLR_DIST_TIMEOUT: '3' },
    onStart: (rank, child) => {
      if (rank === 1) child.stdout!.on('data', (d) => { if (String(d).includes('stalled')) setTimeout(() => child.kill('SIGKILL'), 8000); });
    },
  });
  assert.equal(rs[0]!.code, 1);
  assert.match(rs[0]!.json.error, /all-reduce failed on rank 0 of 2: .*[Tt]imed? ?out/);
  assert.ok(rs[0]!.ms < 7500, `rank 0 took ${rs[0]!.ms} ms`);
});

for (const [what, addr] of [['nobody listens on MASTER_PORT', '127.0.0.1'], ['MASTER_ADDR is an unreachable address', '192.0.2.1'], ['MASTER_ADDR does not resolve', 'no-such-host.invalid']] as const) {
  test(`wrong rendezvous: ${what} -> clear error within the timeout`, async () => {
    const port = await freePort();
    const r = await runScript('faults.js', { MASTER_ADDR: addr, MASTER_PORT: String(port), WORLD_SIZE: '2', RANK: '1', MAMMOCLR_DIST_TIMEOUT: '2' }, { args: ['join'] });
    assert.equal(r.code, 1);
    assert.ok(r.json?.error, r.stdout + r.stderr);
    assert.match(r.json.error, new RegExp(`rank 1 of 2 could not join the process group through the master at ${addr.replace(/\./g, '\\.')}:${port} \\(MASTER_ADDR, MASTER_PORT\\) within 2 s: `));
    assert.ok(r.ms < 8000, `took ${r.ms} ms`);
  });
}

test('rank 0 alone (the other ranks never come) fails after the timeout', async () => {
  const port = await freePort();
  const r = await runScript('faults.js', { MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(port), WORLD_SIZE: '2', RANK: '0', MAMMOCLR_DIST_TIMEOUT: '2' }, { args: ['join'] });
  assert.equal(r.code, 1);
  assert.match(r.json.error, /rank 0 of 2 could not join/);
  assert.ok(r.ms < 12000, `took ${r.ms} ms`);
});

test('torchrun variables: missing and invalid values are named', () => {
  assert.equal(readDistributedEnv({}), null);
  assert.deepEqual(readDistributedEnv({ WORLD_SIZE: '4', RANK: '3', MASTER_ADDR: 'node1', MASTER_PORT: '29500', LOCAL_RANK: '1', LOCAL_WORLD_SIZE: '2' }),
    { masterAddr: 'node1', masterPort: 29500, worldSize: 4, rank: 3, localRank: 1, localWorldSize: 2 });
  const bad: [Record<string, string>, RegExp][] = [
    [{ WORLD_SIZE: '2', MASTER_ADDR: 'a', MASTER_PORT: '1' }, /RANK is not set/],
    [{ WORLD_SIZE: '2', RANK: '2', MASTER_ADDR: 'a', MASTER_PORT: '1' }, /RANK=2 is invalid: expected an integer in \[0, 1\]/],
    [{ WORLD_SIZE: 'two', RANK: '0' }, /WORLD_SIZE=two is invalid/],
    [{ WORLD_SIZE: '2', RANK: '0', MASTER_PORT: '1' }, /MASTER_ADDR is not set/],
    [{ WORLD_SIZE: '2', RANK: '0', MASTER_ADDR: 'a' }, /MASTER_PORT is not set/],
    [{ WORLD_SIZE: '2', RANK: '0', MASTER_ADDR: 'a', MASTER_PORT: '70000' }, /MASTER_PORT=70000 is invalid/],
    [{ WORLD_SIZE: '2', RANK: '0', MASTER_ADDR: 'a', MASTER_PORT: '1', LOCAL_WORLD_SIZE: '2', LOCAL_RANK: '2' }, /LOCAL_RANK=2 is invalid/],
  ];
  for (const [env, re] of bad) assert.throws(() => readDistributedEnv(env), (e: Error) => e instanceof DistributedConfigError && re.test(e.message));
});
