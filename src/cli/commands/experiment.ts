import type { Command } from 'commander';
import { z } from 'zod';
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname, resolve, isAbsolute } from 'node:path';
import { loadTrainingData, labelItems } from '../dataset.js';
import { runExperiment, markdownTable, csvTable, TABLE_COLUMNS, type ExperimentConfig } from '../../train/experiment.js';
import { planDetectionGrid, runDetectionExperiment, detectionMarkdownTable, detectionSubgroupTable, DETECTION_TABLE_COLUMNS } from '../../train/detection-experiment.js';
import { writeFileAtomic, writeJsonAtomic } from '../../io/atomic.js';
import { bf16Default, deviceOption } from '../common-options.js';
import { resolveDevice } from '../../train/device.js';
import type { Device } from '../../tensor/index.js';
import { archSchema, parseArch } from '../arch.js';

const list = <T extends z.ZodTypeAny>(t: T) => z.union([t, z.array(t).nonempty()]).transform((v) => (Array.isArray(v) ? v : [v]) as z.infer<T>[]);

const detectionSchema = z.object({
  patchSize: list(z.number().int().min(8).max(1024)).default([64]),
  patchInput: list(z.number().int().min(8).max(1024)).default([32]),
  patches: z.number().int().min(2).default(16000),
  minBreast: z.number().min(0).max(1).default(0.5),
  negatives: z.number().int().min(1).default(3000),
  hardNegatives: z.number().int().min(0).default(1000),
  topK: z.number().int().min(1).default(3),
  mil: z.boolean().default(true),
  baselines: z.boolean().default(true),
  supervisedEpochs: z.number().int().min(1).default(4),
}).strict();

/** Keys of the whole-image grid that the detection grid has no use for: given with "detection", they are an error, not ignored. */
const NOT_IN_DETECTION: Record<string, string> = {
  linear: 'the detection grid\'s patch probe is detect\'s L2 logistic regression (penalty by inner CV), not the softmax classifier "linear" sets',
  supervised: 'the from-scratch baseline of the detection grid takes detection.supervisedEpochs (and detection.baselines)',
  'pretrain.dataFraction': 'patch SimCLR samples its windows from every image of each file',
};

const schema = z.object({
  data: z.union([z.string().min(1), z.array(z.string().min(1)).nonempty()]),
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
  detection: detectionSchema.optional(),
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

/** The detection grid: two resolutions, two window sides, two temperatures (with the baselines: 2 x 2 x (2 + 2) x 3 = 48 cells). */
export const EXAMPLE_DETECTION_EXPERIMENT = {
  data: ['prepared/mini-mias-512.safetensors', 'prepared/mini-mias-1024.safetensors'],
  task: 'normal-vs-abnormal',
  folds: 5,
  seed: 1,
  encoder: { arch: 'resnet18', width: 32 },
  pretrain: { epochs: [6], temperature: [0.1, 0.5], batchSize: 256, lr: 1.0, warmupEpochs: 1 },
  fractions: [0.1, 0.25, 1],
  detection: { patchSize: [64, 128], patchInput: 32, patches: 16000, baselines: true, supervisedEpochs: 4 },
};

export function register(program: Command): void {
  program
    .command('experiment <config>')
    .description('a grid of settings (pretraining data size, temperature, epochs, labeled fraction, supervised baseline) over patient-disjoint folds, resumable; writes summary tables in the shape of the paper\'s. With a "detection" section: the patch detection pipeline over resolution, window size and input, temperature, epochs and labeled fraction')
    .option('--out <dir>', 'experiment directory (default: the config\'s "out", else beside the config)')
    .addOption(deviceOption('where pretraining, feature extraction and the trained baselines run: cpu | cuda | cuda:N (needs the addon built against a CUDA libtorch); the detection grid\'s L2 probe and attention-MIL head stay on the CPU'))
    .addHelpText('after', `\nExample config (JSON; lists make grid axes):\n${JSON.stringify(EXAMPLE_EXPERIMENT, null, 2)}\n${DETECTION_HELP}\n${JSON.stringify(EXAMPLE_DETECTION_EXPERIMENT, null, 2)}`)
    .action(async (configPath: string, o: { out?: string; device: string }) => {
      const device = resolveDevice(o.device);
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
      const files = typeof c.data === 'string' ? [c.data] : c.data;
      files.forEach((f, i) => {
        if (!existsSync(at(f))) throw new Error(`${configPath}: data${typeof c.data === 'string' ? '' : `.${i}`}: ${f} does not exist${at(f) === f ? '' : ` (${at(f)})`}`);
      });
      const out = o.out ?? at(c.out ?? `experiment-${c.task}`);
      if (c.detection) {
        const given = raw as Record<string, unknown>;
        const extra = Object.keys(NOT_IN_DETECTION).find((k) => {
          const [head, tail] = k.split('.');
          const v = given[head!];
          return tail ? typeof v === 'object' && v !== null && tail in v : v !== undefined;
        });
        if (extra) throw new Error(`${configPath}: ${extra}: not used by the detection grid (${NOT_IN_DETECTION[extra]})`);
        await detectionGrid(configPath, { ...c, data: files.map(at), detection: c.detection }, out, device);
        return;
      }
      if (typeof c.data !== 'string') throw new Error(`${configPath}: data: a list of files is the resolution axis of the detection grid (add a "detection" section); the whole-image grid takes one file`);
      const cfg: ExperimentConfig = {
        task: c.task, folds: c.folds, seed: c.seed,
        encoder: parseArch(c.encoder.arch, { stem: c.encoder.stem, width: c.encoder.width }),
        pretrain: c.pretrain, fractions: c.fractions, linear: c.linear, supervised: c.supervised, bf16: bf16Default(c.bf16, device), device,
      };
      await writeJsonAtomic(join(out, 'config.json'), { command: 'experiment', data: at(c.data), ...cfg });
      const data = await loadTrainingData(at(c.data));
      const { task, items } = labelItems(data.records, c.task);
      const rows = await runExperiment(cfg, { images: data.images, items, classes: task.classes }, out, (m) => console.error(m));
      data.images.dispose();
      const md = markdownTable(rows);
      await writeFileAtomic(join(out, 'summary.md'), `# ${task.name}: ${rows[0]?.n ?? 0} images, ${cfg.folds} patient-disjoint folds\n\n${md}`);
      await writeFileAtomic(join(out, 'summary.csv'), csvTable(rows));
      await writeJsonAtomic(join(out, 'summary.json'), { grid: 'whole images', task: task.name, classes: task.classes, folds: cfg.folds, columns: TABLE_COLUMNS, rows });
      await writeJsonAtomic(join(out, 'eval', 'fractions.json'), rows.filter((x) => x.method !== 'random-init').map((x) => ({
        fraction: x.fraction, method: x.method === 'supervised' ? 'supervised' : 'pretrained', setting: x.key,
        auc: x.auc, aucLow: x.aucLow, aucHigh: x.aucHigh, accuracy: x.accuracy,
      })));
      console.log(md);
      console.log(`tables: ${join(out, 'summary.md')}, ${join(out, 'summary.csv')}, ${join(out, 'summary.json')}`);
    });
}

const DETECTION_HELP = `
With a "detection" section the grid is the detection pipeline of \`pretrain --patch-size\` and
\`detect\` instead of the whole-image one: "data" lists prepared files at different sizes (the
resolution axis; each file's size is read from it), detection.patchSize and
detection.patchInput are the window side in prepared pixels and the network input side, and
pretrain.temperature, pretrain.epochs and fractions stay axes. Each window setting also gets
detect's untrained-encoder, classic-CAD and from-scratch baselines (detection.baselines). Each pretraining
run (<out>/pretrain/<key>) is patch SimCLR as \`pretrain --patch-size\` runs it, and a folder
\`detect\` takes. Rows: patch AUC, image AUC with its 95 % interval for max, top-k mean,
bilateral and attention MIL, top-location hit rate against its chance level, the majority class;
summary.md then tabulates each cell's bilateral image AUC by kind of finding and by density.
"linear", "supervised" and pretrain.dataFraction are whole-image keys and an error here.
Detection example:`;

type Parsed = z.infer<typeof schema>;

async function detectionGrid(configPath: string, c: Omit<Parsed, 'data' | 'detection'> & { data: string[]; detection: z.infer<typeof detectionSchema> }, out: string, device: Device): Promise<void> {
  const plan = await planDetectionGrid({
    task: c.task, folds: c.folds, seed: c.seed, data: c.data,
    encoder: parseArch(c.encoder.arch, { stem: c.encoder.stem, width: c.encoder.width }),
    pretrain: { epochs: c.pretrain.epochs, temperature: c.pretrain.temperature, batchSize: c.pretrain.batchSize, lr: c.pretrain.lr, warmupEpochs: c.pretrain.warmupEpochs },
    fractions: c.fractions, detection: c.detection, bf16: bf16Default(c.bf16, device), device,
  }).catch((e: Error) => {
    throw new Error(`${configPath}: ${e.message}`);
  });
  const { cfg } = plan;
  await writeJsonAtomic(join(out, 'config.json'), { command: 'experiment', grid: 'detection', ...cfg, resolutions: plan.resolutions, windows: plan.views });
  const rows = await runDetectionExperiment(plan, out, (m) => console.error(m));
  const md = detectionMarkdownTable(rows);
  const first = rows[0];
  const head = `# ${cfg.task}, detection from patches: ${first?.n ?? 0} images (${first?.positives ?? 0} positive), ${cfg.folds} patient-disjoint folds\n\n`
    + 'Image AUC % [95 % DeLong CI] per aggregation of the window scores, then its 95 % interval from resampling women (a woman\'s two images are not independent); '
    + 'patch AUC: test windows on a lesion against windows far from every lesion [95 % interval resampling women]; '
    + 'top location: lesion images whose highest-scoring window lies on a lesion [Wilson 95 % CI], with the rate of a random breast window (chance).\n\n';
  const bySubgroup = '\n## Image AUC by kind of finding and by density, bilateral score\n\n'
    + 'Each kind of finding against every normal image; each density against the normal images of that density; positives in brackets.\n\n'
    + detectionSubgroupTable(rows, 'bilateral');
  await writeFileAtomic(join(out, 'summary.md'), head + md + bySubgroup);
  await writeFileAtomic(join(out, 'summary.csv'), csvTable(rows.map(({ subgroups: _, ...flat }) => flat)));
  await writeJsonAtomic(join(out, 'summary.json'), { grid: 'detection', task: cfg.task, folds: cfg.folds, resolutions: plan.resolutions, columns: DETECTION_TABLE_COLUMNS, rows });
  console.log(md);
  console.log(`tables: ${join(out, 'summary.md')}, ${join(out, 'summary.csv')}, ${join(out, 'summary.json')}`);
}
