import type { Command } from 'commander';
import { z } from 'zod';
import { join, resolve } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { parseOptions, int, num, numberList } from '../options.js';
import { loadPreparedDataset } from '../../data/cache/index.js';
import { PreparedPlanes } from '../../data/patches.js';
import { loadEncoderWithArch } from '../../train/encoder-io.js';
import { runDetectionStudy, formatStudy, PATCH_FINETUNE_MODES, WINDOW_FEATURES_FILE } from '../../train/detection-study.js';
import { SHARED_SCHEMA, bf16Default, bf16Option, deviceOption, foldsOption, noBf16Option, quietOption, seedOption } from '../common-options.js';
import { encoderOn, resolveDevice } from '../../train/device.js';

const schema = z.object({
  data: z.string().min(1),
  task: z.string(),
  patchSize: int(8, 1024).optional(),
  patchInput: int(8, 1024).optional(),
  stride: int(1, 1024).optional(),
  minBreast: num(0, 1),
  folds: SHARED_SCHEMA.folds,
  fractions: numberList(0.0001, 1),
  negatives: int(1),
  hardNegatives: int(0),
  topK: int(1),
  mil: z.boolean(),
  baselines: z.boolean(),
  supervisedEpochs: int(1),
  finetune: z.string().optional().transform((v, ctx) => {
    const modes = v ? v.split(',').map((m) => m.trim()) : [];
    const bad = modes.filter((m) => !(PATCH_FINETUNE_MODES as readonly string[]).includes(m));
    if (bad.length) ctx.addIssue({ code: 'custom', message: `--finetune takes ${PATCH_FINETUNE_MODES.join(', ')} (comma-separated), got ${bad.join(', ')}` });
    return modes as (typeof PATCH_FINETUNE_MODES)[number][];
  }),
  bf16: SHARED_SCHEMA.bf16,
  device: SHARED_SCHEMA.device,
  seed: SHARED_SCHEMA.seed,
  out: z.string().optional(),
  saveFeatures: z.boolean().default(false),
  quiet: SHARED_SCHEMA.quiet,
});

/** Which parts of the study --device moves, and which stay on the CPU whatever it says. */
export const DETECT_DEVICE_HELP = 'where the encoders compute window features and the from-scratch and fine-tuned patch networks train: cpu | cuda | cuda:N (needs the addon built against a CUDA libtorch); the L2 logistic probe (L-BFGS in TypeScript), the attention-MIL head, window cropping and the metrics stay on the CPU';

/** Why detect has no --nproc (README says the same). */
export const DETECT_NPROC_NOTE = `
No --nproc: elsewhere --nproc is data-parallel training (one model, its batches split over
processes). detect's encoder work is inference over windows, which libtorch's threads already
share (MAMMOCLR_NUM_THREADS), and its L2 probe is fitted by L-BFGS in TypeScript on one core,
fold by fold and penalty by penalty: split by data, every process would fit the same probes on
the same features. Splitting folds over processes is not implemented. For speed, use --device
cuda for the encoders, or run detects with different --out side by side.`;

interface RunPatchConfig {
  patch?: { size: number; input: number; minBreast: number };
}

export function register(program: Command): void {
  program
    .command('detect <run>')
    .description('lesion detection from patches: a patch classifier on the run\'s encoder slid over each breast, whole-image scores (max, top-k mean, attention MIL), localisation; patient-disjoint k-fold against the untrained encoder, classic CAD features and a network trained from scratch')
    .requiredOption('--data <file>', 'prepared dataset at high resolution (`prepare ... --size 512`), with lesion annotations')
    .option('--task <task>', 'normal-vs-abnormal | benign-vs-malignant', 'normal-vs-abnormal')
    .option('--patch-size <px>', 'window side in prepared pixels (default: the run\'s --patch-size)')
    .option('--patch-input <px>', 'model input side of a window (default: the run\'s)')
    .option('--stride <px>', 'step of the sliding window (default: half the window)')
    .option('--min-breast <f>', 'least breast fraction of a scored window', '0.5')
    .addOption(foldsOption())
    .option('--fractions <list>', 'labeled fractions of each fold\'s training images, comma-separated', '0.1,0.25,1')
    .option('--negatives <n>', 'background windows per fold for the patch classifier (at most)', '3000')
    .option('--hard-negatives <n>', 'background windows the first probe scores highest, added before a second fit (0 = off)', '1000')
    .option('--top-k <k>', 'image score = mean of the k highest window scores', '3')
    .option('--no-mil', 'skip the attention-MIL image head')
    .option('--no-baselines', 'skip the untrained-encoder, classic-CAD and from-scratch baselines')
    .option('--supervised-epochs <n>', 'epochs of the from-scratch patch network (and of --finetune)', '4')
    .option('--finetune <modes>', 'also fine-tune the SimCLR encoder on the patches in each fold: last-stage, full, or both (comma-separated)')
    .addOption(bf16Option())
    .addOption(noBf16Option())
    .addOption(deviceOption(DETECT_DEVICE_HELP))
    .addOption(seedOption('seed of folds, patches and fits', '1'))
    .option('--save-features', `also write every window's features of each probe-scored method (and the windows, lesion patches and images) to <out>/${WINDOW_FEATURES_FILE}, for classifiers of your own`)
    .option('--out <dir>', 'output folder (default <run>/detect)')
    .addOption(quietOption())
    .addHelpText('after', DETECT_NPROC_NOTE)
    .action(async (run: string, raw: Record<string, unknown>) => {
      const o = parseOptions(schema, raw);
      const device = resolveDevice(o.device);
      const started = Date.now();
      const encoderPath = join(run, 'encoder.safetensors');
      if (!existsSync(encoderPath)) throw new Error(`${encoderPath} does not exist: run \`mammoclr pretrain --patch-size 64 ...\` first`);
      const configPath = join(run, 'config.json');
      const runPatch = existsSync(configPath) ? (JSON.parse(readFileSync(configPath, 'utf8')) as RunPatchConfig).patch : undefined;
      const size = o.patchSize ?? runPatch?.size;
      if (!size) throw new Error(`${run} was pretrained on whole images: give --patch-size (and --patch-input) for detection`);
      const view = { size, input: o.patchInput ?? (o.patchSize ? o.patchSize : runPatch?.input ?? size) };
      const out = resolve(o.out ?? join(run, 'detect'));
      const { encoder, arch } = await loadEncoderWithArch(encoderPath, { channelsLast: true });
      encoderOn(encoder, device);
      const d = await loadPreparedDataset(o.data);
      try {
        const planes = PreparedPlanes.fromTensor(d.images);
        const result = await runDetectionStudy({
          planes, records: d.records, task: o.task, encoder, arch, view, stride: o.stride ?? Math.max(1, Math.floor(size / 2)), minBreast: o.minBreast,
          folds: o.folds, fractions: o.fractions, negatives: o.negatives, hardNegatives: o.hardNegatives, topK: o.topK, mil: o.mil, baselines: o.baselines,
          supervisedEpochs: o.supervisedEpochs, finetune: o.finetune, bf16: bf16Default(o.bf16, device), device, seed: o.seed, out, saveFeatures: o.saveFeatures, quiet: o.quiet,
          pectoral: d.meta.preprocess.pectoral ?? 'keep',
        });
        console.log(`\n${o.task}, ${d.meta.name} at ${d.meta.size} px:`);
        console.log(formatStudy(result));
        console.log(`\ndone in ${((Date.now() - started) / 60000).toFixed(1)} min; results in ${out}`);
      } finally {
        d.images.dispose();
        encoder.dispose();
      }
    });
}
