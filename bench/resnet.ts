/**
 * Engine benchmark (issue 2): ResNet-50 with the paper's stem plus the SimCLR projection head,
 * 32x32 inputs, batch 32, built from the project's Tensor operations; images per second for
 * inference and for forward+backward+SGD-momentum, fp32 contiguous, fp32 channels-last and bf16
 * autocast channels-last, beside PyTorch running the same model in the same run.
 */
import { resnet } from '../src/nn/resnet.js';
import { Linear } from '../src/nn/layers.js';
import { Sgd } from '../src/optim/sgd.js';
import { randn, tidy, noGrad, autocast, manualSeed, getNumThreads, type Tensor } from '../src/tensor/index.js';
import { median, runPython, formatRow, type BenchRow } from './util.js';

export interface EngineConfig {
  name: string;
  train: boolean;
  channels_last: boolean;
  bf16: boolean;
}

export const ENGINE_CONFIGS: EngineConfig[] = [
  { name: 'inference fp32', train: false, channels_last: false, bf16: false },
  { name: 'inference fp32 channels-last', train: false, channels_last: true, bf16: false },
  { name: 'inference bf16 channels-last', train: false, channels_last: true, bf16: true },
  { name: 'training fp32', train: true, channels_last: false, bf16: false },
  { name: 'training fp32 channels-last', train: true, channels_last: true, bf16: false },
  { name: 'training bf16 channels-last', train: true, channels_last: true, bf16: true },
];

export function ours(cfg: EngineConfig, batch: number, iters: number, warmup: number): number {
  manualSeed(0);
  const encoder = resnet(50, { stem: 'cifar', inChannels: 3 });
  const fc1 = new Linear(2048, 2048);
  const fc2 = new Linear(2048, 128);
  let x: Tensor = randn([batch, 3, 32, 32]);
  if (cfg.channels_last) {
    encoder.to({ memoryFormat: 'channelsLast' });
    const cl = x.contiguous('channelsLast');
    x.dispose();
    x = cl;
  }
  const params = [...encoder.parameters(), ...fc1.parameters(), ...fc2.parameters()];
  const opt = new Sgd(params, { lr: 0.01, momentum: 0.9 });
  const forward = () => fc2.forward(fc1.forward(encoder.forward(x)).relu_());
  const times: number[] = [];
  for (let i = 0; i < warmup + iters; i++) {
    const t0 = performance.now();
    if (cfg.train) {
      encoder.train();
      tidy(() => {
        const out = autocast({ enabled: cfg.bf16 }, forward);
        const loss = out.float().pow(2).mean();
        opt.zeroGrad();
        loss.backward();
        opt.step();
      });
    } else {
      encoder.eval();
      tidy(() => noGrad(() => autocast({ enabled: cfg.bf16 }, forward)));
    }
    if (i >= warmup) times.push(performance.now() - t0);
  }
  opt.dispose();
  encoder.dispose();
  fc1.dispose();
  fc2.dispose();
  x.dispose();
  return batch / (median(times) / 1000);
}

/**
 * PyTorch and ours alternate per configuration, best of `rounds` each, so load from other
 * processes on a shared machine hits both sides alike.
 */
export async function benchEngine(o: { batch: number; iters: number; warmup: number; rounds: number }): Promise<BenchRow[]> {
  const threads = getNumThreads();
  const rows: BenchRow[] = [];
  for (const cfg of ENGINE_CONFIGS) {
    let value = 0;
    let ref: number | undefined;
    for (let r = 0; r < o.rounds; r++) {
      const py = await runPython('pytorch_resnet.py', { threads, batch: o.batch, iters: o.iters, warmup: o.warmup, configs: [cfg] });
      if (py) ref = Math.max(ref ?? 0, py[cfg.name] as number);
      value = Math.max(value, ours(cfg, o.batch, o.iters, o.warmup));
    }
    const row: BenchRow = { name: `resnet50 b${o.batch} ${cfg.name}`, unit: 'img/s', value, reference: ref, target: 0.95 };
    rows.push(row);
    console.log(formatRow(row));
  }
  return rows;
}
