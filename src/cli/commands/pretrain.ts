import type { Command } from 'commander';
import { z } from 'zod';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { parseOptions, int, num, positive } from '../options.js';
import { loadTrainingData, labelItems, openTrainingImages, type TrainingImages } from '../dataset.js';
import { pretrain, pretrainDefaults, type PretrainConfig, type KnnMonitorData } from '../../train/pretrain.js';
import { openPretrainPatches, type PatchSampling } from '../../train/patch-pretrain.js';
import { writeJsonAtomic } from '../../io/atomic.js';
import { runWithProcessGroup } from '../distributed.js';
import { SHARED_SCHEMA, archOption, bf16Default, bf16Option, deviceOption, noBf16Option, nprocOption, quietOption, seedOption } from '../common-options.js';
import { parseArch } from '../arch.js';
import { knnMonitorSplit } from '../knn-monitor.js';
import { readDistributedEnv } from '../../distributed/index.js';

const schema = z.object({
  data: z.string().min(1),
  out: z.string().min(1),
  arch: SHARED_SCHEMA.arch,
  stem: z.enum(['cifar', 'imagenet']),
  width: int(1, 1024),
  epochs: int(1, 100000),
  batchSize: int(2, 65536),
  temperature: positive(),
  optimizer: z.enum(['lars', 'sgd']),
  lr: positive(),
  lrScaling: z.enum(['linear', 'sqrt', 'none']),
  warmupEpochs: num(0),
  weightDecay: num(0),
  bf16: SHARED_SCHEMA.bf16,
  device: SHARED_SCHEMA.device,
  channelsLast: z.boolean(),
  blur: z.boolean(),
  seed: SHARED_SCHEMA.seed,
  checkpointEvery: int(0),
  resume: z.union([z.boolean(), z.string()]).optional(),
  knnData: z.string().optional(),
  knnTask: z.string(),
  knnK: int(1),
  quiet: SHARED_SCHEMA.quiet,
  nproc: SHARED_SCHEMA.nproc,
  syncBn: z.boolean(),
  stream: z.boolean().optional(),
  patchSize: int(8, 1024).optional(),
  patchInput: int(8, 1024).optional(),
  patches: int(2),
  minBreast: num(0, 1),
});

export function register(program: Command): void {
  const d = pretrainDefaults();
  program
    .command('pretrain')
    .description('SimCLR pretraining without labels on a prepared dataset (the paper\'s settings by default)')
    .requiredOption('--data <file>', 'prepared dataset (.safetensors from `mammoclr prepare`)')
    .requiredOption('--out <dir>', 'run directory (config, log.jsonl, checkpoints, encoder.safetensors)')
    .addOption(archOption('resnet18 | resnet34 | resnet50', 'resnet50'))
    .option('--stem <stem>', 'cifar (3x3 stride 1, no max-pool: the paper\'s) | imagenet', d.encoder.stem)
    .option('--width <n>', 'channels of the first stage', String(d.encoder.width))
    .option('--epochs <n>', 'epochs', String(d.epochs))
    .option('--batch-size <n>', 'images per batch (two views each), over all processes together', String(d.batchSize))
    .option('--temperature <t>', 'NT-Xent temperature', String(d.temperature))
    .option('--optimizer <name>', 'lars | sgd', d.optimizer.name)
    .option('--lr <x>', 'base learning rate (scaled with the batch size)', String(d.optimizer.lr))
    .option('--lr-scaling <rule>', 'linear (lr*B/256) | sqrt (lr*sqrt(B)) | none', d.optimizer.scaling)
    .option('--warmup-epochs <n>', 'linear warm-up epochs before the cosine decay', String(d.optimizer.warmupEpochs))
    .option('--weight-decay <x>', 'weight decay (not on BatchNorm and biases)', String(d.optimizer.weightDecay))
    .addOption(bf16Option())
    .addOption(noBf16Option())
    .addOption(deviceOption())
    .option('--no-channels-last', 'contiguous (NCHW) memory format')
    .option('--blur', 'Gaussian blur augmentation (off in the paper)', false)
    .addOption(seedOption('random seed', '0'))
    .option('--checkpoint-every <n>', 'epochs between checkpoints (also written at the end and on Ctrl-C)', String(d.checkpointEvery))
    .option('--resume [checkpoint]', 'continue from <out>/checkpoints/last.safetensors or the given file')
    .option('--knn-data <file>', 'labeled prepared dataset for the kNN monitor (split by patient into bank and validation)')
    .option('--knn-task <task>', 'task for the kNN monitor labels', 'normal-vs-abnormal')
    .option('--knn-k <k>', 'neighbours of the kNN monitor', String(d.knn.k))
    .addOption(quietOption())
    .addOption(nprocOption())
    .option('--stream', 'read the prepared file from disk per batch instead of loading it (default: only when it would take more than half the free memory)')
    .option('--no-stream', 'load the prepared file into memory whatever its size')
    .option('--patch-size <px>', 'SimCLR on breast-tissue windows of this side (prepared pixels) instead of whole images; use a high-resolution prepared file (512 px)')
    .option('--patch-input <px>', 'model input side of a patch (the window is area-averaged down to it; default: the patch size)')
    .option('--patches <n>', 'windows sampled once, seeded, with --patch-size', '16000')
    .option('--min-breast <f>', 'least breast fraction of a sampled window', '0.5')
    .option('--no-sync-bn', 'with several processes: per-process BatchNorm statistics instead of global ones (SimCLR\'s global_bn)')
    .action(async (raw: Record<string, unknown>) => {
      const o = parseOptions(schema, raw);
      await runWithProcessGroup(o.nproc, async (group, device) => {
        const isMain = !group || group.isMain;
        let data: TrainingImages | undefined;
        try {
          const cfg: PretrainConfig = {
            ...d,
            encoder: parseArch(o.arch, { stem: o.stem, width: o.width }),
            epochs: o.epochs,
            batchSize: o.batchSize,
            temperature: o.temperature,
            optimizer: { ...d.optimizer, name: o.optimizer, lr: o.lr, scaling: o.lrScaling, warmupEpochs: o.warmupEpochs, weightDecay: o.weightDecay },
            augment: { blur: { enabled: o.blur } },
            bf16: bf16Default(o.bf16, device),
            channelsLast: o.channelsLast,
            seed: o.seed,
            checkpointEvery: o.checkpointEvery,
            knn: { ...d.knn, k: o.knnK },
            syncBatchNorm: o.syncBn,
            device,
          };
          const resume = o.resume === true ? join(o.out, 'checkpoints', 'last.safetensors') : o.resume || undefined;
          if (resume && !existsSync(resume)) throw new Error(`--resume: ${resume} does not exist`);
          const patch = o.patchSize ? { size: o.patchSize, input: o.patchInput ?? o.patchSize, count: o.patches, minBreast: o.minBreast, seed: o.seed } : undefined;
          data = patch ? await openPatches(o.data, patch) : await openTrainingImages(o.data, { stream: o.stream, processesHere: readDistributedEnv()?.localWorldSize ?? 1 });
          if (isMain) console.log(data.how);
          const knn = o.knnData && isMain ? await knnMonitor(o.knnData, o.knnTask, o.seed) : undefined;
          if (isMain) {
            await writeJsonAtomic(join(o.out, 'config.json'), { command: 'pretrain', data: o.data, ...cfg, ...(patch ? { patch } : {}), processes: group?.worldSize ?? 1 });
            await writeJsonAtomic(join(o.out, 'data.json'), {
              dataset: data.meta.name, size: data.meta.size, counts: { pretrain: data.meta.labels }, images: data.meta.count, patients: data.meta.patients, skipped: [],
            });
          }
          const started = Date.now();
          const r = await pretrain(cfg, { images: data.images, runDir: o.out, resume, knn, quiet: o.quiet, group });
          const minutes = ((Date.now() - started) / 60000).toFixed(1);
          if (!isMain) {
            if (r.stoppedBy === 'signal') process.exitCode = 130;
          } else if (r.stoppedBy === 'signal') {
            console.log(`stopped; checkpoint ${r.checkpoint}. Resume with: mammoclr pretrain --data ${o.data} --out ${o.out} --resume`);
            process.exitCode = 130;
          } else {
            const last = r.epochs.at(-1);
            console.log(`pretrained ${cfg.epochs} epochs in ${minutes} min; final loss ${last?.loss.toFixed(4)}${last?.knnAccuracy === undefined ? '' : `, kNN accuracy ${last.knnAccuracy.toFixed(3)}`}`);
            console.log(`encoder: ${join(o.out, 'encoder.safetensors')}`);
          }
          r.encoder.dispose();
          r.head.dispose();
        } finally {
          await data?.images.dispose();
        }
      }, { device: o.device });
    });
}

async function openPatches(path: string, patch: PatchSampling): Promise<TrainingImages> {
  return { ...(await openPretrainPatches(path, patch)), streamed: false };
}

async function knnMonitor(path: string, taskName: string, seed: number): Promise<KnnMonitorData> {
  const d = await loadTrainingData(path);
  const { task, items } = labelItems(d.records, taskName);
  const out = knnMonitorSplit(d.images, items, task.classes.length, seed);
  d.images.dispose();
  return out;
}
