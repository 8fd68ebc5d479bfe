import type { Command } from 'commander';
import { z } from 'zod';
import { readFileSync } from 'node:fs';
import { join, dirname, resolve, isAbsolute } from 'node:path';
import { loadTrainingData, labelItems } from '../dataset.js';
import { runExperiment, markdownTable, csvTable, type ExperimentConfig } from '../../train/experiment.js';
import { writeFileAtomic, writeJsonAtomic } from '../../io/atomic.js';
import { bf16Default } from '../common-options.js';
import { archSchema, parseArch } from '../arch.js';

const list = <T extends z.ZodTypeAny>(t: T) => z.union([t, z.array(t).nonempty()]).transform((v) => (Array.isArray(v) ? v : [v]) as z.infer<T>[]);

const schema = z.object({
  data: z.string().min(1),
  out: z.string().min(1).optional(),
  task: z.string().default('normal-vs-abnormal'),
  folds: z.number().int().min(2).default(5),
  seed: z.number().int().min(0).default(0),
  encoder: z.object({
    arch: archSchema.default('resnet50'),
    stem: z.enum(['cifar', 'imagenet']).default('cifar'),
    width: z.number().int().min(1).default(64),
  }).strict().default({ arch: 'resnet50', stem: 'cifar', width: 64 }),
  pretrain: z.object({
    epochs: list(z.number().int().min(1)).default([60]),
    temperature: list(z.number().positive()).default([0.5]),
    dataFraction: list(z.number().gt(0).max(1)).default([1]),
    batchSize: z.number().int().min(2).default(128),
    lr: z.number().positive().default(0.3),
    warmupEpochs: z.number().min(0).default(10),
  }).strict().default({ epochs: [60], temperature: [0.5], dataFraction: [1], batchSize: 128, lr: 0.3, warmupEpochs: 10 }),
  fractions: list(z.number().gt(0).max(1)).default([0.1, 0.25, 0.5, 1]),
  linear: z.object({ epochs: z.number().int().min(1).default(40) }).strict().default({ epochs: 40 }),
  supervised: z.union([z.null(), z.object({ epochs: z.number().int().min(1).default(40) }).strict()]).default({ epochs: 40 }),
  bf16: z.boolean().optional(),
}).strict();

export const EXAMPLE_EXPERIMENT = {
  data: 'prepared/mini-mias-32.safetensors',
  task: 'normal-vs-abnormal',
  folds: 5,
  encoder: { arch: 'resnet18', width: 32 },
  pretrain: { epochs: [20], temperature: [0.1, 0.5], dataFraction: [0.5, 1], batchSize: 128 },
  fractions: [0.1, 0.5, 1],
  supervised: { epochs: 20 },
};

export function register(program: Command): void {
  program
    .command('experiment <config>')
    .description('a grid of settings (pretraining data size, temperature, epochs, labeled fraction, supervised baseline) over patient-disjoint folds, resumable; writes summary tables in the shape of the paper\'s')
    .option('--out <dir>', 'experiment directory (default: the config\'s "out", else beside the config)')
    .addHelpText('after', `\nExample config (JSON; lists make grid axes):\n${JSON.stringify(EXAMPLE_EXPERIMENT, null, 2)}`)
    .action(async (configPath: string, o: { out?: string }) => {
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(configPath, 'utf8'));
      } catch (e) {
        throw new Error(`${configPath}: ${(e as Error).message}`);
      }
      const r = schema.safeParse(raw);
      if (!r.success) {
        const i = r.error.issues[0]!;
        throw new Error(`${configPath}: ${i.path.join('.') || 'config'}: ${i.message}`);
      }
      const c = r.data;
      const base = dirname(resolve(configPath));
      const at = (p: string) => (isAbsolute(p) ? p : join(base, p));
      const out = o.out ?? at(c.out ?? `experiment-${c.task}`);
      const cfg: ExperimentConfig = {
        task: c.task, folds: c.folds, seed: c.seed,
        encoder: parseArch(c.encoder.arch, { stem: c.encoder.stem, width: c.encoder.width }),
        pretrain: c.pretrain, fractions: c.fractions, linear: c.linear, supervised: c.supervised, bf16: bf16Default(c.bf16),
      };
      await writeJsonAtomic(join(out, 'config.json'), { command: 'experiment', data: at(c.data), ...cfg });
      const data = await loadTrainingData(at(c.data));
      const { task, items } = labelItems(data.records, c.task);
      const rows = await runExperiment(cfg, { images: data.images, items, classes: task.classes }, out, (m) => console.error(m));
      data.images.dispose();
      const md = markdownTable(rows);
      await writeFileAtomic(join(out, 'summary.md'), `# ${task.name}: ${rows[0]?.n ?? 0} images, ${cfg.folds} patient-disjoint folds\n\n${md}`);
      await writeFileAtomic(join(out, 'summary.csv'), csvTable(rows));
      await writeJsonAtomic(join(out, 'eval', 'fractions.json'), rows.filter((x) => x.method !== 'random-init').map((x) => ({
        fraction: x.fraction, method: x.method === 'supervised' ? 'supervised' : 'pretrained', setting: x.key,
        auc: x.auc, aucLow: x.aucLow, aucHigh: x.aucHigh, accuracy: x.accuracy,
      })));
      console.log(md);
      console.log(`tables: ${join(out, 'summary.md')}, ${join(out, 'summary.csv')}`);
    });
}
