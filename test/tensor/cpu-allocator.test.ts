/** The caching CPU allocator (native/src/cpu_allocator.cc): reuse, size classes, eviction, counters. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { zeros, ones, randn, F, cpuCacheStats, emptyCpuCache } from '../../src/tensor/index.js';

const MiB = 2 ** 20;
const floats = (bytes: number) => bytes / 4;

test('a freed large block is handed out again, and a reused block holds the new values', () => {
  emptyCpuCache();
  const s0 = cpuCacheStats();
  assert.equal(s0.enabled, true);
  const a = ones([floats(4 * MiB)]);
  assert.equal(cpuCacheStats().inUseBytes - s0.inUseBytes, 4 * MiB);
  a.dispose();
  const s1 = cpuCacheStats();
  assert.equal(s1.cachedBytes, 4 * MiB);
  assert.equal(s1.inUseBytes, s0.inUseBytes);
  const b = zeros([floats(4 * MiB)]);
  const s2 = cpuCacheStats();
  assert.equal(s2.hits - s1.hits, 1);
  assert.equal(s2.misses, s1.misses);
  assert.equal(s2.cachedBytes, 0);
  // The block held ones a moment ago: zeros() must still be zeros everywhere.
  assert.ok(b.toArray().every((v) => v === 0));
  b.dispose();
});

test('sizes round up to four classes per power of two: 4.5 MiB takes a 5 MiB block', () => {
  emptyCpuCache();
  const s0 = cpuCacheStats();
  const a = zeros([floats(4.5 * MiB)]);
  assert.equal(cpuCacheStats().inUseBytes - s0.inUseBytes, 5 * MiB);
  a.dispose();
  const b = zeros([floats(5 * MiB)]);
  assert.equal(cpuCacheStats().hits - s0.hits, 1, 'a 5 MiB request reuses the 4.5 MiB tensor\'s block');
  b.dispose();
});

test('small tensors (under 1 MiB) bypass the cache', () => {
  emptyCpuCache();
  const s0 = cpuCacheStats();
  const a = zeros([floats(512 * 1024)]);
  a.dispose();
  const s1 = cpuCacheStats();
  assert.equal(s1.cachedBytes, 0);
  assert.equal(s1.hits + s1.misses, s0.hits + s0.misses);
});

test('cached + in use stays under 1.5 times the peak in use; past it the oldest blocks are evicted first', () => {
  emptyCpuCache();
  const s0 = cpuCacheStats();
  assert.equal(s0.inUseBytes, 0, 'no large tensors alive between tests');
  const blocks = Array.from({ length: 8 }, () => zeros([floats(4 * MiB)]));
  for (const b of blocks) b.dispose();
  const s1 = cpuCacheStats();
  assert.equal(s1.cachedBytes, 32 * MiB);
  assert.ok(s1.peakInUseBytes >= 32 * MiB);
  const peak = s1.peakInUseBytes;
  // 32 cached + 16 new = 48 <= 1.5 x 32: nothing to evict.
  const first = zeros([floats(16 * MiB)]);
  assert.equal(cpuCacheStats().cachedBytes, 32 * MiB);
  // Another 16 would make 64 > 48: the four oldest 4 MiB blocks go.
  const second = zeros([floats(16 * MiB)]);
  const s2 = cpuCacheStats();
  const budget = 1.5 * Math.max(peak, 32 * MiB);
  assert.equal(s2.cachedBytes, 32 * MiB - Math.ceil((32 * MiB + 32 * MiB - budget) / (4 * MiB)) * 4 * MiB);
  assert.ok(s2.cachedBytes + s2.inUseBytes <= budget);
  first.dispose();
  second.dispose();
  emptyCpuCache();
  assert.equal(cpuCacheStats().cachedBytes, 0);
});

test('oneDNN convolutions allocate and free through the cache (raw deleter path)', () => {
  const x = randn([8, 16, 64, 64]).contiguous('channelsLast');
  const w = randn([32, 16, 3, 3]).contiguous('channelsLast');
  for (let i = 0; i < 3; i++) {
    const y = F.conv2d(x, w, null, { padding: 1 });
    assert.deepEqual(y.shape, [8, 32, 64, 64]);
    y.dispose();
  }
  assert.ok(cpuCacheStats().hits > 0);
  x.dispose();
  w.dispose();
});

test('MAMMOCLR_CPU_CACHE=0 leaves libtorch\'s own allocator in place', () => {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `
    const { cpuCacheStats, zeros } = await import(${JSON.stringify(new URL('../../src/tensor/index.js', import.meta.url).href)});
    const t = zeros([1 << 22]); t.dispose();
    console.log(JSON.stringify(cpuCacheStats()));`], { env: { ...process.env, MAMMOCLR_CPU_CACHE: '0' }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim()), { enabled: false, cachedBytes: 0, inUseBytes: 0, peakInUseBytes: 0, hits: 0, misses: 0 });
});
