/** `mammoclr prepare <adapter> <path>`: decode and preprocess a dataset once into prepared files. */
import type { Command } from 'commander';
import { z } from 'zod';
import { SHARED_SCHEMA, pectoralOption } from '../common-options.js';
import { ADAPTERS, collectSource, createProgress, NAME_PATTERN, prepareDataset, summarizeReport } from '../../data/cache/index.js';

const Options = z.object({
  adapter: z.enum(ADAPTERS, { error: (i) => `unknown adapter "${String(i.input)}"; valid adapters: ${ADAPTERS.join(', ')}` }),
  path: z.string().min(1, 'path is empty'),
  out: z.string({ error: '--out <dir> is required' }).min(1, '--out is empty'),
  size: z
    .array(z.coerce.number({ error: '--size must be a number' }).int('--size must be an integer').min(16, '--size must be at least 16').max(1024, '--size must be at most 1024'))
    .min(1, 'give at least one --size'),
  name: z.string().regex(NAME_PATTERN, '--name may hold only letters, digits, ".", "_" and "-" (it names the files)').optional(),
  workers: z.coerce.number().int('--workers must be an integer').min(1, '--workers must be at least 1').max(256, '--workers must be at most 256').optional(),
  seed: z.string().optional(),
  lesionScale: z.coerce.number({ error: '--lesion-scale must be a number' }).positive('--lesion-scale must be positive').max(20, '--lesion-scale must be at most 20').optional(),
  pectoral: SHARED_SCHEMA.pectoral,
  progress: z.boolean(),
});

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function register(program: Command): void {
  program
    .command('prepare')
    .description('decode and preprocess a dataset once (all cores) into <out>/<name>-<size>.safetensors, with a report of skipped files')
    .argument('<adapter>', `dataset format: ${ADAPTERS.join(', ')}`)
    .argument('<path>', 'dataset folder (csv: the manifest file; phantom: number of patients, default 100)')
    .option('--out <dir>', 'output folder')
    .option('--size <px>', 'output side in pixels, 16-1024; repeat for several sizes (default 32)', collect)
    .option('--name <name>', 'file name stem (default: the dataset name)')
    .option('--workers <n>', 'worker threads (default: all cores)')
    .option('--seed <seed>', 'phantom seed (default 1)')
    .option('--lesion-scale <x>', 'phantom lesion size relative to the default (e.g. 4 for lesions visible at 16-32 px)')
    .addOption(pectoralOption())
    .option('--no-progress', 'no progress output')
    .action(async (adapter: string, path: string, raw: Record<string, unknown>) => {
      const parsed = Options.safeParse({ ...raw, adapter, path, size: raw['size'] ?? ['32'] });
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
      const o = parsed.data;
      // A numeric seed stays a number so `--seed 7` reproduces planPhantomDataset({ seed: 7 }).
      const seed = o.seed === undefined ? undefined : /^-?\d+$/.test(o.seed) ? Number(o.seed) : o.seed;
      const source = await collectSource(o.adapter, o.path, { sizes: o.size, ...(seed !== undefined ? { seed } : {}), ...(o.lesionScale ? { lesionScale: o.lesionScale } : {}) });
      const total = source.items.length;
      const bar = o.progress ? createProgress(total) : undefined;
      try {
        const res = await prepareDataset({
          source,
          out: o.out,
          sizes: o.size,
          ...(o.name ? { name: o.name } : {}),
          ...(o.workers ? { workers: o.workers } : {}),
          pectoral: o.pectoral,
          ...(bar ? { onProgress: (done: number) => bar.update(done) } : {}),
        });
        bar?.stop();
        console.log(summarizeReport(res.report, res.reportPath));
      } catch (e) {
        bar?.stop();
        throw e;
      }
    });
}
