/** t-SNE of encoder features for a run: one JSON file of points per encoder (tsne/<name>.json). */
import { join } from 'node:path';
import { tensor, type Tensor } from '../tensor/index.js';
import type { ResNet } from '../nn/resnet.js';
import { extractFeatures } from '../train/features.js';
import { tsne } from '../explain/tsne.js';
import { createRng } from '../data/rng.js';
import { writeJsonAtomic } from '../io/atomic.js';

export interface TsnePoint {
  x: number;
  y: number;
  label: string;
}

/** Exact t-SNE is O(N^2): at most `maxPoints` images, a seeded random subset beyond that. */
export async function writeTsne(runDir: string, name: string, encoder: ResNet, images: Tensor, labels: string[], o: { maxPoints?: number; seed?: number } = {}): Promise<TsnePoint[]> {
  const n = images.shape[0]!;
  const max = o.maxPoints ?? 1000;
  const chosen = n <= max ? [...Array(n).keys()] : createRng(o.seed ?? 0, 'tsne').shuffle([...Array(n).keys()]).slice(0, max).sort((a, b) => a - b);
  const idx = tensor(chosen, { dtype: 'int64' });
  const subset = images.indexSelect(0, idx);
  const features = extractFeatures(encoder, subset);
  const dim = features.shape[1]!;
  // Perplexity 30 needs more than 90 points; small sets get the largest perplexity they support.
  const perplexity = Math.min(30, Math.max(2, Math.floor((chosen.length - 1) / 3)));
  const r = tsne(features.toFloat32Array(), chosen.length, dim, { seed: o.seed ?? 0, iterations: 750, perplexity });
  for (const t of [idx, subset, features]) t.dispose();
  const points = chosen.map((i, j) => ({ x: r.embedding[2 * j]!, y: r.embedding[2 * j + 1]!, label: labels[i]! }));
  await writeJsonAtomic(join(runDir, 'tsne', `${name}.json`), points);
  return points;
}
