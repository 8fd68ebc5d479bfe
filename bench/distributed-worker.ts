/**
 * One worker of the data-parallel benchmark (bench/distributed.ts starts it): SimCLR steps on
 * random 32x32 views, per-rank batch B, alone (no WORLD_SIZE) or as one rank of a Gloo group.
 * Models: `small` (ResNet-18 width 16, fp32: short steps, so communication shows) and `paper`
 * (ResNet-50, paper stem, 2048-2048-128 head, bf16 autocast where the CPU has it, channels-last).
 * argv: model, batch, steps, warmup, syncBn (0|1). Rank 0 prints JSON.
 */
import { F, Generator, randn, tidy, keep, autocast, cpuHasFastBf16 } from '../src/tensor/index.js';
import { ResNet } from '../src/nn/resnet.js';
import { projectionHead } from '../src/nn/heads.js';
import { ntXent } from '../src/nn/ntxent.js';
import { Sgd } from '../src/optim/sgd.js';
import { initProcessGroup, readDistributedEnv, GradientReducer, broadcastState, convertSyncBatchNorm, ntXentGlobal } from '../src/distributed/index.js';

const [model = 'small', batchArg = '32', stepsArg = '8', warmupArg = '2', syncArg = '1'] = process.argv.slice(2);
const paper = model === 'paper';
const bf16 = paper && cpuHasFastBf16();
const batch = Number(batchArg);
const steps = Number(stepsArg);
const warmup = Number(warmupArg);
const env = readDistributedEnv();
const pg = env && env.worldSize > 1 ? await initProcessGroup({ timeoutMs: 120_000 }) : null;
const g = Generator.seeded(1);
const encoder = new ResNet({ depth: paper ? 50 : 18, stem: 'cifar', inChannels: 1, width: paper ? 64 : 16, generator: g });
const head = projectionHead(encoder.featureDim, { hidden: encoder.featureDim, out: paper ? 128 : 64, variant: 'v1', generator: g });
if (paper) encoder.to({ memoryFormat: 'channelsLast' });
if (pg) {
  await broadcastState(pg, [encoder, head]);
  if (syncArg === '1') {
    convertSyncBatchNorm(encoder, pg);
    convertSyncBatchNorm(head, pg);
  }
}
const params = [...encoder.parameters(), ...head.parameters()];
const opt = new Sgd(params, { lr: 0.05, momentum: 0.9 });
const reducer = pg ? new GradientReducer(pg, params) : null;
const x0 = randn([2 * batch, 1, 32, 32], { generator: Generator.seeded(2 + (pg?.rank ?? 0)) });
const x = keep(paper ? x0.contiguous('channelsLast') : x0);
const times: number[] = [];
const comm: number[] = [];
for (let s = 0; s < warmup + steps; s++) {
  if (pg) await pg.barrier();
  const t0 = performance.now();
  tidy(() => {
    const z = autocast({ enabled: bf16 }, () => head.forward(encoder.forward(x))).float();
    const [z1, z2] = z.chunk(2, 0);
    const out = pg ? ntXentGlobal(pg, z1!, z2!) : ntXent(z1!, z2!);
    opt.zeroGrad();
    out.loss.backward();
  });
  if (reducer) await reducer.reduce();
  opt.step();
  if (s >= warmup) {
    times.push(performance.now() - t0);
    comm.push(reducer?.lastMs ?? 0);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
if (!pg || pg.isMain) {
  const stepMs = median(times);
  console.log(JSON.stringify({ worldSize: pg?.worldSize ?? 1, batch, stepMs, imagesPerSecond: ((pg?.worldSize ?? 1) * batch * 1000) / stepMs, gradientAllReduceMs: median(comm), params: params.reduce((n, p) => n + p.numel, 0) }));
}
pg?.destroy();
