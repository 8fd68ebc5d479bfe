/** `npm run bench`: speed and memory figures, with ratios against PyTorch measured in the same run. */
import { benchEngine, ENGINE_CONFIGS } from './resnet.js';
import { engineInfo, cpuFeatures } from '../src/tensor/index.js';
import { missesTarget, type BenchRow } from './util.js';

const only = process.argv.slice(2);
if (process.env.BENCH_CONFIGS) {
  const keep = process.env.BENCH_CONFIGS.split(',');
  ENGINE_CONFIGS.splice(0, ENGINE_CONFIGS.length, ...ENGINE_CONFIGS.filter((c) => keep.some((k) => c.name.includes(k))));
}
const want = (name: string) => only.length === 0 || only.includes(name);

const info = engineInfo();
const cpu = cpuFeatures();
console.log(`mammoclr bench: libtorch ${info.version}, ${info.threads} threads, ${cpu.model}${cpu.avx512bf16 ? ', AVX512-BF16' : ''}${cpu.amxBf16 ? ', AMX-BF16' : ''}`);

const rows: BenchRow[] = [];
if (want('engine')) {
  console.log('\n# engine: ResNet-50 (paper stem) + projection head, 32x32');
  rows.push(...(await benchEngine({ batch: 32, iters: Number(process.env.BENCH_ITERS ?? 5), warmup: 2, rounds: Number(process.env.BENCH_ROUNDS ?? 3) })));
}
if (want('pretrain')) {
  console.log('\n# pretrain: one SimCLR step of the paper\'s setting, and one epoch of mini-MIAS');
  const { benchPretrain } = await import('./pretrain.js');
  rows.push(...(await benchPretrain({ batch: 128, iters: Number(process.env.BENCH_ITERS ?? 3), warmup: 1, rounds: Number(process.env.BENCH_ROUNDS ?? 2) })));
}
if (want('prepare')) {
  console.log('\n# prepare: all of mini-MIAS, decode + preprocess + write');
  const { benchPrepare } = await import('./prepare.js');
  rows.push(...(await benchPrepare()));
}
if (want('distributed')) {
  console.log('\n# distributed: data-parallel scaling, 2 processes x 1 thread vs 1 process x 1 thread (Gloo, loopback)');
  const { benchDistributed } = await import('./distributed.js');
  rows.push(...(await benchDistributed()));
}

if (want('viewer')) {
  console.log('\n# viewer: the browser page (headless chromium, onnxruntime-web WASM; file:// on 1 thread, served cross-origin isolated on min(cores, 4)), full-width ResNet-18 with float16 weights');
  const { benchViewer } = await import('./viewer.js');
  rows.push(...(await benchViewer()));
}

if (want('memory')) {
  console.log('\n# memory: resident memory over 8 supervised fits of 2 epochs at 256 px (as cross-validation runs one per fold), in a fresh process');
  const { benchMemory } = await import('./memory.js');
  rows.push(...(await benchMemory({ fits: 8, epochs: 2 })));
}

const below = rows.filter(missesTarget);
console.log(`\n${rows.length} figures, ${below.length} below target`);
