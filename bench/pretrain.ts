/**
 * Pretraining benchmark (issue 4): one SimCLR step of the paper's setting (ResNet-50, paper stem,
 * 32x32, batch 128 = 256 views, NT-Xent, LARS), views per second in fp32 and bf16 beside PyTorch
 * doing the same step on pre-made views (so the ratio compares the engine work), our augmentation
 * time reported separately, and each side's peak resident memory (each runs in a fresh process);
 * and the wall time of one pretraining epoch over mini-MIAS.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getNumThreads } from '../src/tensor/index.js';
import { pretrain, pretrainDefaults } from '../src/train/pretrain.js';
import { collectSource, prepareDataset, loadPreparedDataset } from '../src/data/cache/index.js';
import { runPython, formatRow, nodeWorker, type BenchRow } from './util.js';

const STEP_WORKER = join(dirname(fileURLToPath(import.meta.url)), 'pretrain-step-worker.js');

interface StepResult { viewsPerSecond: number; augmentSeconds: number; maxRssBytes: number }

/** Our SimCLR step in a fresh process (its peak RSS is the step's alone). */
function oursStep(bf16: boolean, batch: number, iters: number, warmup: number): Promise<StepResult> {
  return nodeWorker<StepResult>(STEP_WORKER, [bf16 ? '1' : '0', String(batch), String(iters), String(warmup)], 'SimCLR step worker');
}

export async function benchPretrain(o: { batch: number; iters: number; warmup: number; rounds: number }): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const bf16 of [false, true]) {
    const name = bf16 ? 'bf16' : 'fp32';
    let value = 0;
    let ref: number | undefined;
    let aug = 0;
    let rss = Infinity;
    let refRss: number | undefined;
    for (let r = 0; r < o.rounds; r++) {
      const py = await runPython('pytorch_simclr.py', { threads: getNumThreads(), batch: o.batch, iters: o.iters, warmup: o.warmup, configs: [{ name, bf16 }] });
      if (py) ref = Math.max(ref ?? 0, py[name] as number);
      const s = await oursStep(bf16, o.batch, o.iters, o.warmup);
      if (s.viewsPerSecond > value) {
        value = s.viewsPerSecond;
        aug = s.augmentSeconds;
      }
      rss = Math.min(rss, s.maxRssBytes / 2 ** 30);
      const pyRss = py?.[`${name} maxrss`];
      if (typeof pyRss === 'number') refRss = Math.min(refRss ?? Infinity, pyRss / 2 ** 30);
    }
    const row: BenchRow = { name: `SimCLR step resnet50 b${o.batch} ${name} channels-last`, unit: 'views/s', value, reference: ref, target: 0.95 };
    rows.push(row);
    console.log(formatRow(row));
    console.log(`${'  + our augmentation of both views (not in the ratio)'.padEnd(48)} ${aug.toFixed(3).padStart(9)} s/step`);
    // Peak resident memory of the whole process (Node or Python, the engine, the step).
    const mem: BenchRow = { name: `  peak RSS of the process, ${name}`, unit: 'GB', value: rss, reference: refRss, lowerIsBetter: true };
    rows.push(mem);
    console.log(formatRow(mem));
  }
  rows.push(...(await miasEpoch()));
  return rows;
}

/** Wall time of one pretraining epoch over mini-MIAS at 32 px with the paper's settings. */
async function miasEpoch(): Promise<BenchRow[]> {
  const mias = resolve('..', 'shared', 'data', 'mini-mias');
  if (!existsSync(join(mias, 'Info.txt'))) {
    console.log('(mini-MIAS epoch skipped: ../shared/data/mini-mias is absent)');
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'mammoclr-bench-'));
  try {
    const prepared = await prepareDataset({ source: await collectSource('mias', mias, { sizes: [32] }), out: dir, sizes: [32] });
    const d = await loadPreparedDataset(prepared.files[0]!.path);
    const images = d.images.float();
    d.images.dispose();
    const cfg = { ...pretrainDefaults(), epochs: 1, checkpointEvery: 0 };
    const t0 = performance.now();
    const r = await pretrain(cfg, { images, runDir: join(dir, 'run'), quiet: true });
    const seconds = (performance.now() - t0) / 1000;
    r.encoder.dispose();
    r.head.dispose();
    images.dispose();
    const row: BenchRow = { name: `one pretraining epoch of mini-MIAS (322 images, b128, ${cfg.bf16 ? 'bf16' : 'fp32'})`, unit: 's', value: seconds, lowerIsBetter: true };
    console.log(formatRow(row));
    return [row];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
