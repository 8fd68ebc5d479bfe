/**
 * Pretraining benchmark (issue 4): one SimCLR step of the paper's setting (ResNet-50, paper stem,
 * 32x32, batch 128 = 256 views, NT-Xent, LARS), views per second in fp32 and bf16 beside PyTorch
 * doing the same step on pre-made views (so the ratio compares the engine work), our augmentation
 * time reported separately; and the wall time of one pretraining epoch over mini-MIAS.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { rand, tidy, autocast, F, Generator, getNumThreads, manualSeed } from '../src/tensor/index.js';
import { ResNet } from '../src/nn/resnet.js';
import { projectionHead } from '../src/nn/heads.js';
import { ntXent } from '../src/nn/ntxent.js';
import { Lars, excludeByName } from '../src/optim/lars.js';
import { augmentConfig, twoViews } from '../src/augment/index.js';
import { pretrain, pretrainDefaults } from '../src/train/pretrain.js';
import { collectSource, prepareDataset, loadPreparedDataset } from '../src/data/cache/index.js';
import { median, runPython, formatRow, type BenchRow } from './util.js';

function oursStep(bf16: boolean, batch: number, iters: number, warmup: number): { viewsPerSecond: number; augmentSeconds: number } {
  manualSeed(0);
  const encoder = new ResNet({ depth: 50, stem: 'cifar', inChannels: 1 }).to({ memoryFormat: 'channelsLast' });
  const head = projectionHead(2048, { hidden: 2048, out: 128 });
  const opt = new Lars([...encoder.namedParameters('encoder.'), ...head.namedParameters('head.')], { lr: 0.3, weightDecay: 1e-6, excludeFromWeightDecay: excludeByName() });
  const images = rand([batch, 1, 32, 32]);
  const aug = augmentConfig({ size: 32 });
  const g = Generator.seeded(1);
  const times: number[] = [];
  const augTimes: number[] = [];
  for (let i = 0; i < warmup + iters; i++) {
    tidy(() => {
      const a0 = performance.now();
      const [v1, v2] = twoViews(images, aug, g);
      const views = F.cat([v1, v2], 0).contiguous('channelsLast');
      const t0 = performance.now();
      const z = autocast({ enabled: bf16 }, () => head.forward(encoder.forward(views)));
      const [z1, z2] = z.chunk(2, 0);
      const { loss } = ntXent(z1!, z2!, { temperature: 0.5 });
      opt.zeroGrad();
      loss.backward();
      opt.step();
      if (i >= warmup) {
        times.push(performance.now() - t0);
        augTimes.push(t0 - a0);
      }
    });
  }
  opt.dispose();
  encoder.dispose();
  head.dispose();
  images.dispose();
  return { viewsPerSecond: (2 * batch) / (median(times) / 1000), augmentSeconds: median(augTimes) / 1000 };
}

export async function benchPretrain(o: { batch: number; iters: number; warmup: number; rounds: number }): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const bf16 of [false, true]) {
    const name = bf16 ? 'bf16' : 'fp32';
    let value = 0;
    let ref: number | undefined;
    let aug = 0;
    for (let r = 0; r < o.rounds; r++) {
      const py = await runPython('pytorch_simclr.py', { threads: getNumThreads(), batch: o.batch, iters: o.iters, warmup: o.warmup, configs: [{ name, bf16 }] });
      if (py) ref = Math.max(ref ?? 0, py[name] as number);
      const s = oursStep(bf16, o.batch, o.iters, o.warmup);
      if (s.viewsPerSecond > value) {
        value = s.viewsPerSecond;
        aug = s.augmentSeconds;
      }
    }
    const row: BenchRow = { name: `SimCLR step resnet50 b${o.batch} ${name} channels-last`, unit: 'views/s', value, reference: ref, target: 0.95 };
    rows.push(row);
    console.log(formatRow(row));
    console.log(`${'  + our augmentation of both views (not in the ratio)'.padEnd(48)} ${aug.toFixed(3).padStart(9)} s/step`);
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
