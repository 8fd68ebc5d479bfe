import type { Command } from 'commander';
import { z } from 'zod';
import { join } from 'node:path';
import { parseOptions } from '../options.js';
import { loadRunModel } from '../run-model.js';
import { readImage } from '../../data/readers/index.js';
import { preprocessMammogram } from '../../data/preprocess/index.js';
import { gradCam } from '../../explain/gradcam.js';
import { writeOverlayPng } from '../../explain/overlay.js';
import { tensor, tidy, noGrad } from '../../tensor/index.js';
import { SHARED_SCHEMA, bf16Default, bf16Option, noBf16Option } from '../common-options.js';
import { existsSync } from 'node:fs';
import { loadEncoderFile } from '../../train/encoder-io.js';
import { readPatchModel, predictWithPatchModel } from '../../train/patch-model.js';
import { predictInputs, type PredictInput } from '../predict-inputs.js';

const schema = z.object({
  out: z.string().min(1),
  eval: z.string().optional(),
  layer: z.enum(['layer3', 'layer4']),
  heatmap: z.boolean(),
  json: z.boolean().optional(),
  detect: z.string().optional(),
  bf16: SHARED_SCHEMA.bf16,
});

export interface PredictionLine {
  file: string;
  probabilities?: Record<string, number>;
  predicted?: string;
  heatmap?: string;
  error?: string;
}

export function register(program: Command): void {
  program
    .command('predict <run> <files...>')
    .description('class probabilities and a Grad-CAM heatmap over each mammogram (PGM, PNG, JPEG, TIFF, DICOM, told apart by content), from a run\'s encoder and classifier; a folder stands for every image below it')
    .option('--out <dir>', 'where the heatmap PNGs go', 'predictions')
    .option('--eval <dir>', 'the folder with classifier.safetensors (default <run>/eval)')
    .option('--layer <layer>', 'Grad-CAM layer: layer4 (coarse) | layer3 (finer)', 'layer4')
    .option('--no-heatmap', 'probabilities only')
    .option('--json', 'print JSON lines instead of a table')
    .option('--detect <dir>', 'use the patch model `detect` wrote in <dir>: whole-image probability from the window scores, and the window-score heatmap (default: <run>/detect when <run>/eval has no classifier)')
    .addOption(bf16Option())
    .addOption(noBf16Option())
    .addHelpText('after', '\n--bf16 / --no-bf16 apply to the window features of a patch model; a whole-image classifier runs in float32.')
    .action(async (run: string, args: string[], raw: Record<string, unknown>) => {
      const o = parseOptions(schema, raw);
      const files = await predictInputs(args);
      const detectDir = o.detect ?? (!existsSync(join(o.eval ?? join(run, 'eval'), 'classifier.safetensors')) && existsSync(join(run, 'detect', 'patch-model.json')) ? join(run, 'detect') : undefined);
      if (detectDir) {
        await predictPatches(run, detectDir, files, o);
        return;
      }
      const model = await loadRunModel(run, o.eval);
      const positive = model.classes.length - 1;
      const lines = await predictEach(files, async (file, stem) => {
        const image = await readImage(file);
        const pre = preprocessMammogram(image, { size: model.size });
        const x = tensor(pre.data, [1, 1, model.size, model.size]);
        try {
          const probs = tidy(() => noGrad(() => model.classifier.forward(model.encoder.forward(x)).softmax(1).toArray()));
          const line: PredictionLine = {
            file,
            probabilities: Object.fromEntries(model.classes.map((c, i) => [c, probs[i]!])),
            predicted: model.classes[probs.indexOf(Math.max(...probs))],
          };
          if (o.heatmap) {
            const map = tidy(() => gradCam(model.encoder, model.classifier, x, { layer: o.layer, targetClass: positive }).maps.toFloat32Array());
            line.heatmap = join(o.out, `${stem}-gradcam.png`);
            await writeOverlayPng(line.heatmap, image, pre.transform, map, model.size, { opacity: 0.45 });
          }
          return line;
        } finally {
          x.dispose();
        }
      });
      if (o.json) {
        for (const l of lines) console.log(JSON.stringify(l));
      } else {
        console.log(`${model.task}: P(${model.classes.join(') P(')})`);
        for (const l of lines) {
          if (l.error) console.log(`${l.file}: error: ${l.error}`);
          else console.log(`${l.file}: ${model.classes.map((c) => l.probabilities![c]!.toFixed(3)).join(' ')} -> ${l.predicted}${l.heatmap ? `  heatmap ${l.heatmap}` : ''}`);
        }
      }
      model.encoder.dispose();
      model.classifier.dispose();
    });
}

async function predictPatches(run: string, detectDir: string, files: PredictInput[], o: { out: string; heatmap: boolean; json?: boolean; bf16?: boolean }): Promise<void> {
  const model = readPatchModel(join(detectDir, 'patch-model.json'));
  const encoder = await loadEncoderFile(join(run, 'encoder.safetensors'), { channelsLast: true });
  const positive = model.classes[1]!;
  let lines: PredictionLine[];
  try {
    lines = await predictEach(files, async (file, stem) => {
      const image = await readImage(file);
      const r = predictWithPatchModel(encoder, model, image, { bf16: bf16Default(o.bf16) });
      const line: PredictionLine = {
        file,
        probabilities: { [model.classes[0]!]: 1 - r.probability, [positive]: r.probability },
        predicted: r.probability >= 0.5 ? positive : model.classes[0],
      };
      if (o.heatmap) {
        line.heatmap = join(o.out, `${stem}-patches.png`);
        await writeOverlayPng(line.heatmap, image, r.transform, r.map, model.resolution, { opacity: 0.45 });
      }
      return line;
    });
  } finally {
    encoder.dispose();
  }
  if (o.json) {
    for (const l of lines) console.log(JSON.stringify(l));
    return;
  }
  console.log(`${model.task} from ${model.view.size} px windows at ${model.resolution} px (mean of the top ${model.topK} window probabilities): P(${positive})`);
  for (const l of lines) console.log(l.error ? `${l.file}: error: ${l.error}` : `${l.file}: ${l.probabilities![positive]!.toFixed(3)} -> ${l.predicted}${l.heatmap ? `  heatmap ${l.heatmap}` : ''}`);
}

/** Scores every input in turn; an input that was not found or fails is reported as its line and the others go on (exit code 1). */
async function predictEach(files: PredictInput[], score: (file: string, stem: string) => Promise<PredictionLine>): Promise<PredictionLine[]> {
  const lines: PredictionLine[] = [];
  for (const { file, stem, error } of files) {
    try {
      if (error) throw new Error(error);
      lines.push(await score(file, stem));
    } catch (e) {
      lines.push({ file, error: (e as Error).message });
      process.exitCode = 1;
    }
  }
  return lines;
}
