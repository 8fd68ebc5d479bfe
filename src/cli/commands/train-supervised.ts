import type { Command } from 'commander';
import { z } from 'zod';
import { join } from 'node:path';
import { parseOptions, int, positive } from '../options.js';
import { loadTrainingData, labelItems, classCounts } from '../dataset.js';
import { writeEvaluation, formatEvaluation } from '../eval-output.js';
import { NPROC_HELP, DEVICE_HELP, runWithProcessGroup } from '../distributed.js';
import { crossValidate } from '../../train/cross-validation.js';
import { buildEncoder, type EncoderConfig } from '../../train/pretrain.js';
import { cpuHasFastBf16, Generator } from '../../tensor/index.js';
import { writeJsonAtomic } from '../../io/atomic.js';

const schema = z.object({
  data: z.string().min(1),
  out: z.string().min(1),
  task: z.string(),
  arch: z.enum(['resnet18', 'resnet34', 'resnet50']),
  stem: z.enum(['cifar', 'imagenet']),
  width: int(1, 1024),
  folds: int(2, 100),
  epochs: int(1),
  lr: positive(),
  batchSize: int(2),
  bf16: z.boolean().optional(),
  device: z.string(),
  augment: z.boolean(),
  seed: int(0),
  quiet: z.boolean().optional(),
  nproc: int(1, 1024),
});

export function register(program: Command): void {
  program
    .command('train-supervised')
    .description('the paper\'s baseline: the same architecture trained from scratch on the labels, with patient-disjoint k-fold cross-validation')
    .requiredOption('--data <file>', 'labeled prepared dataset')
    .requiredOption('--out <dir>', 'run directory (results in <out>/eval)')
    .option('--task <task>', 'normal-vs-abnormal | benign-vs-malignant | three-class | birads', 'normal-vs-abnormal')
    .option('--arch <name>', 'resnet18 | resnet34 | resnet50', 'resnet50')
    .option('--stem <stem>', 'cifar | imagenet', 'cifar')
    .option('--width <n>', 'channels of the first stage', '64')
    .option('--folds <k>', 'patient-disjoint folds', '5')
    .option('--epochs <n>', 'epochs', '40')
    .option('--lr <x>', 'learning rate (SGD with momentum, cosine decay)', '0.05')
    .option('--batch-size <n>', 'batch size, over all processes together', '64')
    .option('--bf16', 'bf16 autocast (default: on where the CPU has native bf16)')
    .option('--no-bf16', 'float32 throughout')
    .option('--device <device>', DEVICE_HELP, 'cpu')
    .option('--no-augment', 'train on the images as they are (no random crops, flips or intensity changes)')
    .option('--seed <n>', 'seed', '0')
    .option('--quiet', 'no progress output')
    .option('--nproc <n>', NPROC_HELP, '1')
    .action(async (raw: Record<string, unknown>) => {
      const o = parseOptions(schema, raw);
      await runWithProcessGroup(o.nproc, async (group, device) => {
        const isMain = !group || group.isMain;
        const arch: EncoderConfig = { depth: Number(o.arch.slice(6)) as 18 | 34 | 50, stem: o.stem, width: o.width, inChannels: 1 };
        const data = await loadTrainingData(o.data);
        const { task, items } = labelItems(data.records, o.task);
        const bf16 = o.bf16 ?? (device !== 'cpu' || cpuHasFastBf16());
        const result = await crossValidate(data.images, items, task.classes, {
          // A seeded initialisation (the same in every fold): the default generator's seed is
          // random per process, which made runs irreproducible and ranks disagree.
          kind: 'train', trainable: 'all', makeEncoder: () => buildEncoder(arch, Generator.seeded(o.seed)).to({ memoryFormat: 'channelsLast' }),
          config: { epochs: o.epochs, lr: o.lr, batchSize: o.batchSize, bf16, channelsLast: true, device, ...(o.augment ? {} : { augment: null }) },
        }, { folds: o.folds, seed: o.seed, fraction: 1, quiet: o.quiet, group });
        data.images.dispose();
        // Every rank holds the same result; rank 0 alone writes and prints it.
        if (!isMain) return;
        await writeJsonAtomic(join(o.out, 'config.json'), { command: 'train-supervised', ...o, bf16, encoder: arch, processes: group?.worldSize ?? 1 });
        await writeEvaluation(join(o.out, 'eval'), { task: task.name, method: 'supervised from scratch', result, extra: { counts: classCounts(items, task.classes) } });
        console.log(formatEvaluation(`${task.name}, supervised from scratch:`, result));
        console.log(`results: ${join(o.out, 'eval', 'metrics.json')}`);
      }, { device: o.device });
    });
}
