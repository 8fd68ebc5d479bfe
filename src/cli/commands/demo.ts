import type { Command } from 'commander';
import { z } from 'zod';
import { join, resolve } from 'node:path';
import { parseOptions, int } from '../options.js';
import { collectSource, prepareDataset, loadPreparedDataset } from '../../data/cache/index.js';
import { labelItems, classCounts } from '../dataset.js';
import { pretrain, pretrainDefaults } from '../../train/pretrain.js';
import { seededEncoder, supervisedBaseline } from '../../train/from-scratch.js';
import { crossValidate, type CvResult } from '../../train/cross-validation.js';
import { extractFeatures } from '../../train/features.js';
import { trainLinearClassifier } from '../../train/linear-eval.js';
import { writeEvaluation, formatEvaluation } from '../eval-output.js';
import { writeGradcamGallery } from '../../explain/gradcam-gallery.js';
import { writeTsne } from '../tsne-files.js';
import { buildReport } from '../../report/index.js';
import { tensor, saveSafetensors } from '../../tensor/index.js';
import { writeJsonAtomic } from '../../io/atomic.js';
import type { BinaryEvaluation } from '../../eval/summary.js';
import { pretrainingInterrupted } from '../interrupted.js';
import { runDetectDemo, DETECT_DEMO_EPOCHS } from '../detect-demo.js';
import { SHARED_SCHEMA, archOption, bf16Default, pectoralOption, seedOption } from '../common-options.js';
import { parseArch } from '../arch.js';
import { knnMonitorSplit } from '../knn-monitor.js';

const schema = z.object({
  data: z.string().optional(),
  out: z.string().min(1),
  arch: SHARED_SCHEMA.arch,
  width: int(1, 1024),
  epochs: int(1).optional(),
  patients: int(10, 100000),
  seed: SHARED_SCHEMA.seed,
  wholeImages: z.boolean().optional(),
  pectoral: SHARED_SCHEMA.pectoral,
});

/** The whole pipeline, small enough for a laptop: what `mammoclr demo` runs. */
export function register(program: Command): void {
  program
    .command('demo')
    .description('the whole pipeline on built-in synthetic phantoms (or --data <mini-MIAS folder>): prepare, pretrain, linear evaluation against the supervised baseline and the majority class, Grad-CAM, t-SNE, report')
    .option('--data <folder>', 'a mini-MIAS folder (Info.txt + images) instead of the built-in phantoms')
    .option('--out <dir>', 'output directory', 'mammoclr-demo')
    .addOption(archOption('resnet18 | resnet34 | resnet50 (the paper\'s; slower)', 'resnet18'))
    .option('--width <n>', 'channels of the first stage (64 = torchvision)', '32')
    .option('--epochs <n>', `pretraining epochs (default 40; ${DETECT_DEMO_EPOCHS} over the windows of --data)`)
    .option('--patients <n>', 'phantom patients (two images each)', '150')
    .addOption(seedOption('seed of everything', '1'))
    .option('--whole-images', 'with --data: the paper\'s setting (whole mammograms at 32 px) instead of patch detection at 512 px')
    .addOption(pectoralOption())
    .action(async (raw: Record<string, unknown>) => {
      const o = parseOptions(schema, raw);
      const out = resolve(o.out);
      if (o.data && !o.wholeImages) {
        await runDetectDemo({ data: o.data, out, arch: o.arch, width: o.width, epochs: o.epochs ?? DETECT_DEMO_EPOCHS, seed: o.seed, pectoral: o.pectoral });
        return;
      }
      if (o.pectoral !== 'keep') throw new Error('--pectoral applies to the detection demo on --data (mini-MIAS films), not to phantoms or --whole-images');
      const started = Date.now();
      const step = (i: number, what: string) => console.log(`[${i}/7] ${what} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      const bf16 = bf16Default();

      step(1, o.data ? `preparing mini-MIAS from ${o.data} at 32 px` : `generating ${o.patients * 2} phantom mammograms and preparing them at 32 px`);
      const source = o.data
        ? await collectSource('mias', o.data, { sizes: [32] })
        : await collectSource('phantom', String(o.patients), { sizes: [32], seed: o.seed, lesionScale: 3.5 });
      const prepared = await prepareDataset({ source, out: join(out, 'data'), sizes: [32] });
      if (prepared.report.skipped.length) console.log(`  skipped ${prepared.report.skipped.length} unreadable files (see ${prepared.reportPath})`);
      const data = await loadPreparedDataset(prepared.files[0]!.path);
      const images = data.images.float();
      data.images.dispose();
      const { task, items } = labelItems(data.records, 'normal-vs-abnormal');
      const classes = task.classes;
      const labelNames = data.records.map((r) => (r.label === 'normal' ? 'normal' : 'abnormal'));
      await writeJsonAtomic(join(out, 'data.json'), {
        dataset: data.meta.name, size: data.meta.size, counts: { all: classCounts(items, classes) }, images: data.meta.count, patients: data.meta.patients,
        skipped: prepared.report.skipped.map((s) => ({ source: s.source, reason: s.reason })),
      });

      const cfg = pretrainDefaults();
      cfg.encoder = parseArch(o.arch, { width: o.width });
      cfg.epochs = o.epochs ?? 40;
      cfg.batchSize = 64;
      cfg.optimizer = { ...cfg.optimizer, lr: 1.0, warmupEpochs: Math.min(2, cfg.epochs - 1) };
      cfg.checkpointEvery = 5;
      cfg.seed = o.seed;
      await writeJsonAtomic(join(out, 'config.json'), { command: 'demo', data: o.data ?? `phantoms (${o.patients} patients, seed ${o.seed})`, task: task.name, pretrain: cfg });
      step(2, `SimCLR pretraining: ResNet-${cfg.encoder.depth} (paper stem, width ${o.width}), ${cfg.epochs} epochs, batch ${cfg.batchSize}, ${bf16 ? 'bf16' : 'fp32'}`);
      const knn = knnMonitorSplit(images, items, classes.length, o.seed);
      const run = await pretrain(cfg, { images, runDir: out, knn });
      if (pretrainingInterrupted(run)) {
        for (const t of [images, knn.trainImages, knn.trainLabels, knn.valImages, knn.valLabels]) t.dispose();
        return;
      }

      step(3, 'linear evaluation (encoder frozen) with 5 patient-disjoint folds, at 10-100 % of the labels');
      const cv = (fraction: number) => ({ folds: 5, seed: o.seed, fraction, quiet: true });
      const linear = (fraction: number) => crossValidate(images, items, classes, { kind: 'linear', encoder: run.encoder, config: { epochs: 40 }, bf16, channelsLast: true }, cv(fraction));
      const fractions = [0.1, 0.25, 0.5, 1];
      const byFraction = new Map<number, CvResult>();
      for (const f of fractions) byFraction.set(f, await linear(f));
      const main = byFraction.get(1)!;

      step(4, 'supervised baseline: the same network from scratch on the labels, same folds');
      const supervised = (fraction: number) => crossValidate(images, items, classes, supervisedBaseline(cfg.encoder, o.seed + 7, { epochs: 10, bf16 }), cv(fraction));
      const supFull = await supervised(1);
      const supQuarter = await supervised(0.25);
      const random = await crossValidate(images, items, classes, { kind: 'linear', encoder: seededEncoder(cfg.encoder, o.seed + 7), config: { epochs: 40 }, bf16 }, cv(1));
      await writeEvaluation(join(out, 'eval'), { task: task.name, method: 'linear probe of the SimCLR encoder', result: main, supervised: supFull, extra: { counts: classCounts(items, classes), randomInit: random.pooled } });
      const auc = (r: CvResult) => r.pooled as BinaryEvaluation;
      await writeJsonAtomic(join(out, 'eval', 'fractions.json'), [
        ...fractions.map((f) => ({ fraction: f, method: 'pretrained', auc: auc(byFraction.get(f)!).auc.value, aucLow: auc(byFraction.get(f)!).auc.lo, aucHigh: auc(byFraction.get(f)!).auc.hi, accuracy: auc(byFraction.get(f)!).accuracy.value })),
        ...[[0.25, supQuarter], [1, supFull]].map(([f, r]) => ({ fraction: f as number, method: 'supervised', auc: auc(r as CvResult).auc.value, aucLow: auc(r as CvResult).auc.lo, aucHigh: auc(r as CvResult).auc.hi, accuracy: auc(r as CvResult).accuracy.value })),
      ]);

      step(5, 'Grad-CAM of true positives, false positives and false negatives, and the pointing game');
      const idx = tensor(items.map((i) => i.index), { dtype: 'int64' });
      const feats = extractFeatures(run.encoder, images.indexSelect(0, idx), { bf16, channelsLast: true });
      const { classifier } = trainLinearClassifier(feats, tensor(items.map((i) => i.label), { dtype: 'int64' }), 2, { epochs: 40, seed: o.seed });
      await saveSafetensors(join(out, 'eval', 'classifier.safetensors'), classifier.stateDict(), { format: 'pt', task: task.name, classes: JSON.stringify(classes), encoder: join(out, 'encoder.safetensors'), size: '32' });
      const byId = new Map(items.map((i) => [i.id, i]));
      const scored = main.predictions.map((p) => ({ index: byId.get(p.id)!.index, id: p.id, label: p.label, score: p.probabilities[1]! }));
      const gallery = await writeGradcamGallery({ runDir: out, encoder: run.encoder, classifier, images, records: data.records, meta: data.meta, scored, layer: 'layer3' });

      step(6, 't-SNE of the features before and after pretraining');
      const raw0 = seededEncoder(cfg.encoder, o.seed + 7);
      await writeTsne(out, 'raw', raw0, images, labelNames, { seed: o.seed, maxPoints: 400 });
      await writeTsne(out, 'pretrained', run.encoder, images, labelNames, { seed: o.seed, maxPoints: 400 });

      step(7, 'writing the report');
      const report = await buildReport(out);
      const e = auc(main);
      const s = auc(supFull);
      const pct = (x: number) => (100 * x).toFixed(1);
      console.log(formatEvaluation(`\n${task.name}, linear probe of the pretrained encoder:`, main));
      console.log(`  supervised from scratch: AUC ${pct(s.auc.value)} [${pct(s.auc.lo)}, ${pct(s.auc.hi)}], accuracy ${pct(s.accuracy.value)} %`);
      console.log(`  linear probe of an untrained encoder: AUC ${pct(auc(random).auc.value)}`);
      if (gallery.pointing) console.log(`  Grad-CAM pointing game (layer3, ${gallery.pointing.tolerance} px at the original resolution): ${pct(gallery.pointing.accuracy)} % hits, chance ${pct(gallery.pointing.chance)} %`);
      console.log(`\ndone in ${((Date.now() - started) / 60000).toFixed(1)} min; AUC ${pct(e.auc.value)} %`);
      console.log(`report: ${report.path}`);
      for (const t of [images, idx, feats, knn.trainImages, knn.trainLabels, knn.valImages, knn.valLabels]) t.dispose();
      for (const m of [run.encoder, run.head, raw0, classifier]) m.dispose();
    });
}
