import type { Command } from 'commander';
import { z } from 'zod';
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { parseOptions, int, num, positive } from '../options.js';
import { loadTrainingData, labelItems, classCounts } from '../dataset.js';
import { loadEncoderWithArch as loadEncoder } from '../../train/encoder-io.js';
import { writeEvaluation, formatEvaluation } from '../eval-output.js';
import { runWithProcessGroup } from '../distributed.js';
import { SHARED_SCHEMA, bf16Default, bf16Option, deviceOption, foldsOption, noAugmentOption, noBf16Option, nprocOption, quietOption, seedOption } from '../common-options.js';
import { crossValidate, type CvMethod, type CvResult } from '../../train/cross-validation.js';
import { buildEncoder } from '../../train/encoder-io.js';
import { FINETUNE_MODES, FINETUNE_MODE_HELP, TRAINABLE } from '../../train/finetune-mode.js';
import { supervisedBaseline } from '../../train/from-scratch.js';
import { extractFeaturesParallel } from '../../train/features.js';
import { trainLinearClassifier } from '../../train/linear-eval.js';
import { tensor, saveSafetensors } from '../../tensor/index.js';
import { writeJsonAtomic } from '../../io/atomic.js';
import { encoderOn } from '../../train/device.js';

const schema = z.object({
  data: z.string().min(1),
  task: z.string(),
  mode: z.enum(FINETUNE_MODES),
  folds: SHARED_SCHEMA.folds,
  fraction: num(0.0001, 1),
  epochs: int(1),
  lr: positive(),
  batchSize: int(1),
  classWeights: z.enum(['none', 'balanced']),
  withSupervised: z.boolean().optional(),
  supervisedEpochs: int(1),
  bf16: SHARED_SCHEMA.bf16,
  device: SHARED_SCHEMA.device,
  augment: SHARED_SCHEMA.augment,
  seed: SHARED_SCHEMA.seed,
  out: z.string().optional(),
  quiet: SHARED_SCHEMA.quiet,
  nproc: SHARED_SCHEMA.nproc,
});

export function register(program: Command): void {
  program
    .command('finetune <run>')
    .description('linear evaluation (encoder frozen) or fine-tuning of a pretrained encoder, with patient-disjoint k-fold cross-validation')
    .requiredOption('--data <file>', 'labeled prepared dataset')
    .option('--task <task>', 'normal-vs-abnormal | benign-vs-malignant | three-class | birads', 'normal-vs-abnormal')
    .option('--mode <mode>', FINETUNE_MODE_HELP, 'linear')
    .addOption(foldsOption())
    .option('--fraction <f>', 'fraction of each fold\'s training labels to use (0-1]', '1')
    .option('--epochs <n>', 'classifier epochs', '40')
    .option('--lr <x>', 'learning rate (SGD with momentum, cosine decay)', '0.1')
    .option('--batch-size <n>', 'batch size, over all processes together', '64')
    .option('--class-weights <w>', 'none | balanced (weights n/(k*count) against imbalance)', 'none')
    .option('--with-supervised', 'also train the supervised from-scratch baseline on the same folds')
    .option('--supervised-epochs <n>', 'epochs of the supervised baseline', '40')
    .addOption(bf16Option())
    .addOption(noBf16Option())
    .addOption(deviceOption())
    .addOption(noAugmentOption('train last-stage, full and the supervised baseline on the images as they are'))
    .addOption(seedOption('seed of folds and classifiers', '0'))
    .option('--out <dir>', 'output directory (default <run>/eval)')
    .addOption(quietOption())
    .addOption(nprocOption())
    .action(async (run: string, raw: Record<string, unknown>) => {
      const o = parseOptions(schema, raw);
      const encoderPath = existsSync(join(run, 'encoder.safetensors')) ? join(run, 'encoder.safetensors') : run;
      if (!existsSync(encoderPath)) throw new Error(`${run}: no encoder.safetensors (give a pretraining run directory or an encoder file)`);
      const out = o.out ?? join(run, 'eval');
      await runWithProcessGroup(o.nproc, async (group, device) => {
        const isMain = !group || group.isMain;
        const bf16 = bf16Default(o.bf16, device);
        const augment = o.augment ? {} : { augment: null };
        const data = await loadTrainingData(o.data);
        const { task, items } = labelItems(data.records, o.task);
        const { encoder, arch } = await loadEncoder(encoderPath, { channelsLast: true });
        encoderOn(encoder, device);
        const classWeights = o.classWeights === 'balanced' ? 'balanced' as const : undefined;
        const method: CvMethod = o.mode === 'linear'
          ? { kind: 'linear', encoder, config: { epochs: o.epochs, lr: o.lr, batchSize: o.batchSize, classWeights }, bf16, channelsLast: true, device }
          : {
            kind: 'train',
            trainable: TRAINABLE[o.mode],
            makeEncoder: () => {
              const e = buildEncoder(arch);
              e.to({ memoryFormat: 'channelsLast' });
              e.loadStateDict(encoder.stateDict());
              return e;
            },
            config: { epochs: o.epochs, lr: o.lr, batchSize: o.batchSize, classWeights, bf16, channelsLast: true, device, ...augment },
          };
        const cv = { folds: o.folds, seed: o.seed, fraction: o.fraction, quiet: o.quiet, group };
        const result = await crossValidate(data.images, items, task.classes, method, cv);
        let supervised: CvResult | undefined;
        if (o.withSupervised) {
          supervised = await crossValidate(data.images, items, task.classes, supervisedBaseline(arch, o.seed, { epochs: o.supervisedEpochs, classWeights, bf16, device, ...augment }), cv);
        }
        // Every rank holds the same results; rank 0 alone writes and prints them.
        if (isMain) await writeEvaluation(out, { task: task.name, method: `${o.mode} on ${resolve(encoderPath)}`, result, supervised, extra: { fraction: o.fraction, counts: classCounts(items, task.classes) } });
        if (o.mode === 'linear') {
          // The deployable model: a classifier fitted on every labeled image, beside its encoder
          // (features from all ranks, the probe on rank 0 alone).
          const idx = tensor(items.map((i) => i.index), { dtype: 'int64' });
          const images = data.images.indexSelect(0, idx);
          const feats = await extractFeaturesParallel(encoder, images, group, { bf16, channelsLast: true, device });
          if (isMain) {
            const labels = tensor(items.map((i) => i.label), { dtype: 'int64' });
            const { classifier } = trainLinearClassifier(feats, labels, task.classes.length, { epochs: o.epochs, lr: o.lr, batchSize: o.batchSize, classWeights, seed: o.seed });
            await saveSafetensors(join(out, 'classifier.safetensors'), classifier.stateDict(), { format: 'pt', task: task.name, classes: JSON.stringify(task.classes), encoder: resolve(encoderPath), size: String(data.meta.size) });
            labels.dispose();
            classifier.dispose();
          }
          for (const t of [idx, images, feats]) t.dispose();
        }
        if (isMain) {
          await writeJsonAtomic(join(out, 'config.json'), { command: 'finetune', run, ...o, bf16, processes: group?.worldSize ?? 1 });
          console.log(formatEvaluation(`${task.name}, ${o.mode} evaluation of ${encoderPath}:`, result));
          if (supervised) console.log(formatEvaluation('supervised baseline (same architecture from scratch, same folds):', supervised));
          console.log(`results: ${join(out, 'metrics.json')}`);
        }
        encoder.dispose();
        data.images.dispose();
      }, { device: o.device });
    });
}
