/** `npm run bench prepare`: time to prepare all of mini-MIAS (decode + preprocess + write) at 32 and 256 px. */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectSource, loadPreparedDataset, prepareDataset } from '../src/data/cache/index.js';
import type { BenchRow } from './util.js';

/** ../shared/data/mini-mias from the repo root (npm run bench) or from dist/bench; undefined when absent. */
function sharedMias(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(process.cwd(), '../shared/data/mini-mias'), resolve(here, '../../../shared/data/mini-mias')];
  return candidates.find((c) => existsSync(join(c, 'Info.txt')));
}

const TARGET_S = 10; // the issue's target for all of mini-MIAS at both sizes on 2 cores

export async function benchPrepare(): Promise<BenchRow[]> {
  const mias = sharedMias();
  if (!mias) {
    console.log('prepare: skipped, ../shared/data/mini-mias is absent');
    return [];
  }
  const workers = Number(process.env.BENCH_PREPARE_WORKERS ?? availableParallelism());
  const out = await mkdtemp(join(tmpdir(), 'mammoclr-bench-prepare-'));
  const rows: BenchRow[] = [];
  try {
    const source = await collectSource('mias', mias);
    for (const sizes of [[32, 256], [32], [256]]) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const res = await prepareDataset({ source, out, sizes, workers, name: `mias-${sizes.join('-')}` });
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const name = `prepare mini-MIAS (${res.report.counts.prepared} images) at ${sizes.join(' + ')} px`;
      // CPU seconds of this process and its worker threads: a figure that a busy machine distorts less than wall time.
      console.log(`${name.padEnd(48)} ${seconds.toFixed(2).padStart(9)} s   (${workers} workers, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} CPU s)${sizes.length === 2 ? `   target < ${TARGET_S} s on 2 cores` : ''}`);
      rows.push({ name, unit: 's', value: seconds, lowerIsBetter: true });
    }
    const t0 = performance.now();
    const ds = await loadPreparedDataset(join(out, 'mias-32-256-256.safetensors'));
    const loadS = (performance.now() - t0) / 1000;
    ds.images.dispose();
    console.log(`${'load prepared mini-MIAS at 256 px'.padEnd(48)} ${loadS.toFixed(2).padStart(9)} s`);
    rows.push({ name: 'load prepared mini-MIAS at 256 px', unit: 's', value: loadS, lowerIsBetter: true });
  } finally {
    await rm(out, { recursive: true, force: true });
  }
  return rows;
}
