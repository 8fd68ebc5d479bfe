/**
 * Our side of the SimCLR-step benchmark, run in a process of its own (bench/pretrain.ts starts
 * it) so that its peak resident memory is the step's alone, as PyTorch's is in its process.
 * argv: bf16 (0|1), batch, iters, warmup. Prints one JSON line.
 */
import { rand, tidy, autocast, F, Generator, manualSeed } from '../src/tensor/index.js';
import { ResNet } from '../src/nn/resnet.js';
import { projectionHead } from '../src/nn/heads.js';
import { ntXent } from '../src/nn/ntxent.js';
import { Lars, excludeByName } from '../src/optim/lars.js';
import { augmentConfig, twoViews } from '../src/augment/index.js';
import { median } from './util.js';

export function oursStep(bf16: boolean, batch: number, iters: number, warmup: number): { viewsPerSecond: number; augmentSeconds: number } {
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

const [bf16Arg = '1', batchArg = '128', itersArg = '3', warmupArg = '1'] = process.argv.slice(2);
const r = oursStep(bf16Arg === '1', Number(batchArg), Number(itersArg), Number(warmupArg));
console.log(JSON.stringify({ ...r, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
