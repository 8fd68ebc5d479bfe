import type { Command } from 'commander';
import { z } from 'zod';
import { join } from 'node:path';
import { parseOptions, int } from '../options.js';
import { loadRunModel } from '../run-model.js';
import { loadTrainingData } from '../dataset.js';
import { writeGradcamGallery } from '../../explain/gradcam-gallery.js';
import { readPredictionsCsv } from '../../eval/predictions-csv.js';

const schema = z.object({ data: z.string().min(1), eval: z.string().optional(), layer: z.enum(['layer3', 'layer4']), perKind: int(1, 100) });

export function register(program: Command): void {
  program
    .command('gradcam <run>')
    .description('Grad-CAM gallery (true positives, false positives, false negatives of the cross-validated predictions) on the original mammograms, and the pointing game against the lesion annotations')
    .requiredOption('--data <file>', 'the prepared dataset the run was evaluated on')
    .option('--eval <dir>', 'folder with predictions.csv and classifier.safetensors (default <run>/eval)')
    .option('--layer <layer>', 'layer4 | layer3 (finer maps)', 'layer4')
    .option('--per-kind <n>', 'images per kind', '6')
    .action(async (run: string, raw: Record<string, unknown>) => {
      const o = parseOptions(schema, raw);
      const evalDir = o.eval ?? join(run, 'eval');
      const model = await loadRunModel(run, evalDir);
      if (model.classes.length !== 2) throw new Error('the Grad-CAM gallery is for binary tasks');
      const data = await loadTrainingData(o.data);
      const byId = new Map(data.records.map((r, i) => [r.id, i]));
      const scored = readPredictionsCsv(join(evalDir, 'predictions.csv'))
        .map((p) => ({ ...p, index: byId.get(p.id) ?? -1 }))
        .filter((s) => s.index >= 0);
      const r = await writeGradcamGallery({ runDir: run, encoder: model.encoder, classifier: model.classifier, images: data.images, records: data.records, meta: data.meta, scored, layer: o.layer, perKind: o.perKind });
      console.log(`${r.files} heatmaps in ${join(run, 'gradcam')}`);
      if (r.pointing) console.log(`pointing game (${o.layer}, ${r.pointing.tolerance} px at the original resolution): ${(100 * r.pointing.accuracy).toFixed(1)} % hits, chance ${(100 * r.pointing.chance).toFixed(1)} %`);
      model.encoder.dispose();
      model.classifier.dispose();
      data.images.dispose();
    });
}
