import type { Command } from 'commander';
import { z } from 'zod';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { parseOptions, int } from '../options.js';
import { loadTrainingData } from '../dataset.js';
import { loadEncoderWithArch } from '../../train/encoder-io.js';
import { seededEncoder } from '../../train/from-scratch.js';
import { writeTsne } from '../tsne-files.js';

const schema = z.object({ data: z.string().min(1), maxPoints: int(10, 5000), seed: int(0) });

export function register(program: Command): void {
  program
    .command('tsne <run>')
    .description('t-SNE of the encoder features, untrained against pretrained, coloured by label (tsne/*.json; plotted by `mammoclr report`)')
    .requiredOption('--data <file>', 'a prepared dataset')
    .option('--max-points <n>', 'images embedded (exact t-SNE is O(N^2))', '1000')
    .option('--seed <n>', 'seed of the subset, the untrained encoder and t-SNE', '0')
    .action(async (run: string, raw: Record<string, unknown>) => {
      const o = parseOptions(schema, raw);
      const path = join(run, 'encoder.safetensors');
      if (!existsSync(path)) throw new Error(`${run}: no encoder.safetensors`);
      const { encoder, arch } = await loadEncoderWithArch(path);
      const data = await loadTrainingData(o.data);
      const labels = data.records.map((r) => r.label);
      const untrained = seededEncoder(arch, o.seed);
      await writeTsne(run, 'raw', untrained, data.images, labels, { maxPoints: o.maxPoints, seed: o.seed });
      await writeTsne(run, 'pretrained', encoder, data.images, labels, { maxPoints: o.maxPoints, seed: o.seed });
      console.log(`t-SNE points: ${join(run, 'tsne', 'raw.json')}, ${join(run, 'tsne', 'pretrained.json')}`);
      for (const m of [encoder, untrained]) m.dispose();
      data.images.dispose();
    });
}
