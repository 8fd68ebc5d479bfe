import type { Command } from 'commander';
import { z } from 'zod';
import { join } from 'node:path';
import { parseOptions, int, positive } from '../options.js';
import { SHARED_SCHEMA, archOption, bf16Default, bf16Option, deviceOption, foldsOption, noAugmentOption, noBf16Option, nprocOption, quietOption, seedOption } from '../common-options.js';
import { parseArch } from '../arch.js';
import { loadTrainingData, labelItems, classCounts } from '../dataset.js';
import { writeEvaluation, formatEvaluation } from '../eval-output.js';
import { runWithProcessGroup } from '../distributed.js';
import { crossValidate } from '../../train/cross-validation.js';
import { supervisedBaseline } from '../../train/from-scratch.js';
import { writeJsonAtomic } from '../../io/atomic.js';

const schema = z.object({
  data: z.string().min(1),
  out: z.string().min(1),
  task: z.string(),
  arch: SHARED_SCHEMA.arch,
  stem: z.enum(['cifar', 'imagenet']),
  width: int(1, 1024),
  folds: SHARED_SCHEMA.folds,
  epochs: int(1),
  lr: positive(),
  batchSize: int(2),
  bf16: SHARED_SCHEMA.bf16,
  device: SHARED_SCHEMA.device,
  augment: SHARED_SCHEMA.augment,
  seed: SHARED_SCHEMA.seed,
  quiet: SHARED_SCHEMA.quiet,
  nproc: SHARED_SCHEMA.nproc,
});

export function register(program: Command): void {
  program
    .command('train-supervised')
    .description('the paper\'s baseline: the same architecture trained from scratch on the labels, with patient-disjoint k-fold cross-validation')
    .requiredOption('--data <file>', 'labeled prepared dataset')
    .requiredOption('--out <dir>', 'run directory (results in <out>/eval)')
    .option('--task <task>', 'normal-vs-abnormal | benign-vs-malignant | three-class | birads', 'normal-vs-abnormal')
    .addOption(archOption('resnet18 | resnet34 | resnet50', 'resnet50'))
    .option('--stem <stem>', 'cifar | imagenet', 'cifar')
    .option('--width <n>', 'channels of the first stage', '64')
    .addOption(foldsOption())
    .option('--epochs <n>', 'epochs', '40')
    .option('--lr <x>', 'learning rate (SGD with momentum, cosine decay)', '0.05')
    .option('--batch-size <n>', 'batch size, over all processes together', '64')
    .addOption(bf16Option())
    .addOption(noBf16Option())
    .addOption(deviceOption())
    .addOption(noAugmentOption('train on the images as they are (no random crops, flips or intensity changes)'))
    .addOption(seedOption('seed', '0'))
    .addOption(quietOption())
    .addOption(nprocOption())
    .action(async (raw: Record<string, unknown>) => {
      const o = parseOptions(schema, raw);
      await runWithProcessGroup(o.nproc, async (group, device) => {
        const isMain = !group || group.isMain;
        const arch = parseArch(o.arch, { stem: o.stem, width: o.width });
        const data = await loadTrainingData(o.data);
        const { task, items } = labelItems(data.records, o.task);
        const bf16 = bf16Default(o.bf16, device);
        const result = await crossValidate(data.images, items, task.classes,
          supervisedBaseline(arch, o.seed, { epochs: o.epochs, lr: o.lr, batchSize: o.batchSize, bf16, device, ...(o.augment ? {} : { augment: null }) }),
          { folds: o.folds, seed: o.seed, fraction: 1, quiet: o.quiet, group });
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
