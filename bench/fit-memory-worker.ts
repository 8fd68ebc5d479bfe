/**
 * Our side of the memory-growth benchmark, in a process of its own (bench/memory.ts starts it):
 * repeated supervised fits at 256 px, as cross-validation runs one per fold, and the resident
 * memory after each. Live tensors stay the same from fit to fit, so growth is the allocator's.
 * argv: fits, epochs. Prints one JSON line.
 */
import { rand, tensor, Generator, manualSeed, memoryStats } from '../src/tensor/index.js';
import { seededEncoder } from '../src/train/from-scratch.js';
import { trainClassifier } from '../src/train/supervised.js';

const [fitsArg = '8', epochsArg = '2'] = process.argv.slice(2);
manualSeed(0);
const n = 128;
const images = rand([n, 1, 256, 256], { generator: Generator.seeded(1) });
const labels = tensor(Array.from({ length: n }, (_, i) => i % 2), { dtype: 'int64' });
const encoder = seededEncoder({ depth: 18, width: 32, stem: 'imagenet', inChannels: 1 }, 1, { channelsLast: true });
const rss: number[] = [];
const live: number[] = [];
for (let f = 0; f < Number(fitsArg); f++) {
  const r = await trainClassifier(encoder, images, labels, 2, { epochs: Number(epochsArg), seed: f }, { quiet: true });
  r.classifier.dispose();
  rss.push(process.memoryUsage().rss);
  live.push(memoryStats().liveTensors);
}
console.log(JSON.stringify({ rss, live }));
