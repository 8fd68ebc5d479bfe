/**
 * Memory-growth benchmark: resident memory over repeated supervised fits at 256 px in a fresh
 * process (bench/fit-memory-worker.ts). A 5-fold run is five such fits; memory that grows from
 * fit to fit while the live tensors do not is lost to the allocator (heap fragmentation), and
 * a long cross-validation at high resolution once reached 9.6 GB that way.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatRow, nodeWorker, type BenchRow } from './util.js';

const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'fit-memory-worker.js');

const fits = (count: number, epochs: number) => nodeWorker<{ rss: number[]; live: number[] }>(WORKER, [String(count), String(epochs)], 'fit memory worker');

export async function benchMemory(o: { fits: number; epochs: number }): Promise<BenchRow[]> {
  const r = await fits(o.fits, o.epochs);
  const mb = (b: number) => b / 2 ** 20;
  // From the end of the first fit, which has faulted in the working set, to the end of the last.
  const row: BenchRow = { name: `RSS growth, fits 2-${o.fits} at 256 px (ResNet-18 w32)`, unit: 'MB', value: mb(r.rss.at(-1)! - r.rss[0]!), limit: 50 };
  console.log(formatRow(row));
  console.log(`${'  resident after the first fit'.padEnd(48)} ${mb(r.rss[0]!).toFixed(0).padStart(9)} MB   live tensors ${r.live[0]} then ${r.live.at(-1)}`);
  return [row];
}
