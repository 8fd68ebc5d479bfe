import type { Command } from 'commander';
import { z } from 'zod';
import { parseOptions } from '../options.js';
import { loadRunExport } from '../export-run.js';
import { classifierModel, withFloat16Weights, writeOnnxModel, ONNX_OPSET } from '../../export/index.js';

const schema = z.object({
  onnx: z.string().min(1),
  eval: z.string().optional(),
  detect: z.string().optional(),
  float16: z.boolean().optional(),
});

export function register(program: Command): void {
  program
    .command('export <run>')
    .description('write the run\'s encoder and classifier (or the patch model of `detect`) as an ONNX model (opset 17, BatchNorm folded) with its preprocessing, classes and metrics as metadata')
    .requiredOption('--onnx <file>', 'the .onnx file to write')
    .option('--eval <dir>', 'the folder with classifier.safetensors (default <run>/eval)')
    .option('--detect <dir>', 'export the patch model `detect` wrote in <dir> (default: <run>/detect when <run>/eval has no classifier)')
    .option('--float16', 'store the convolution weights as float16, cast to float32 in the graph: half the size, probabilities within about 1e-3')
    .action(async (run: string, raw: Record<string, unknown>) => {
      const o = parseOptions(schema, raw);
      const e = await loadRunExport(run, { eval: o.eval, detect: o.detect });
      try {
        const model = classifierModel(e);
        const bytes = await writeOnnxModel(o.onnx, o.float16 ? withFloat16Weights(model) : model);
        const { depth, stem, width, inChannels } = e.encoder.config;
        const kind = e.kind === 'patch' ? `patch classifier on ${e.inputSize} px windows` : `classifier on ${e.inputSize} px images`;
        console.log(`${o.onnx}: ResNet-${depth} (${stem} stem, width ${width}, ${inChannels} channel${inChannels > 1 ? 's' : ''}) + ${kind}, classes ${e.classes.join(', ')}; ONNX opset ${ONNX_OPSET}${o.float16 ? ', float16 weights' : ''}, ${(bytes / 1e6).toFixed(2)} MB`);
        console.log('outputs: probabilities [N, classes], features [N, D, h, w] (layer4 maps for class activation maps); preprocessing and metrics in the metadata');
      } finally {
        e.encoder.dispose();
      }
    });
}
