/**
 * `mammoclr viewer <run> --out <dir>`: the folder a browser opens. The run's model (finetune's
 * classifier, or detect's patch scorer with its window geometry) as ONNX with
 * float16 weights (half the size; probabilities within about 1e-3 of float32), onnxruntime-web's
 * WASM and the DICOM codecs' WASM, each gzipped and base64-encoded into a script file (the one
 * kind of file a page opened from file:// may load), the page script and index.html; beside them
 * onnxruntime-web's threaded loader (ort-wasm-simd-threaded.mjs), which only a served,
 * cross-origin-isolated page uses.
 */
import { mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeFileAtomic } from '../../io/atomic.js';
import { loadRunExport } from '../export-run.js';
import { classifierModel, encodeModel, withFloat16Weights, HEAD_BIAS, HEAD_WEIGHT } from '../../export/index.js';
import { ORT_LOADER, type PatchWindows, type ViewerInfo } from '../../viewer/info.js';
import { bundleViewer } from './bundle.js';
import { viewerHtml } from './page.js';

const require = createRequire(import.meta.url);

export interface ViewerBuild {
  out: string;
  files: { name: string; bytes: number }[];
  totalBytes: number;
  info: ViewerInfo;
}

/** The first numeric "threshold" in the run's metrics (finetune's evaluation), else 0.5. */
export function operatingPoint(metrics: string | undefined): ViewerInfo['operatingPoint'] {
  const find = (v: unknown): number | undefined => {
    if (!v || typeof v !== 'object') return undefined;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'threshold' && typeof x === 'number' && x > 0 && x < 1) return x;
      const inner = find(x);
      if (inner !== undefined) return inner;
    }
    return undefined;
  };
  const t = metrics ? find(JSON.parse(metrics).values) : undefined;
  return t === undefined ? { threshold: 0.5, source: 'the run records no operating point: 0.5' } : { threshold: t, source: "the run's metrics" };
}

/** The window geometry, top-k rule and pectoral setting of a patch model, from its mammoclr.windows metadata. */
export function patchWindows(text: string | undefined, run: string): PatchWindows {
  if (!text) throw new Error(`${run}: the patch model's export has no mammoclr.windows metadata`);
  const w = JSON.parse(text) as Record<string, unknown>;
  const keys = ['resolution', 'window', 'encoderInput', 'stride', 'minBreast', 'topK'] as const;
  for (const k of keys) if (typeof w[k] !== 'number' || !Number.isFinite(w[k])) throw new Error(`${run}: mammoclr.windows has no numeric ${k}`);
  const windows = Object.fromEntries(keys.map((k) => [k, w[k] as number])) as unknown as PatchWindows;
  if (w['pectoral'] === 'suppress') windows.pectoral = 'suppress';
  return windows;
}

function embed(global: string, bytes: Uint8Array): string {
  return `(window.mammoclrAssets = window.mammoclrAssets || {}).${global} = "${gzipSync(bytes, { level: 9 }).toString('base64')}";\n`;
}

export async function buildViewer(run: string, out: string, o: { eval?: string } = {}): Promise<ViewerBuild> {
  const e = await loadRunExport(run, { eval: o.eval });
  let info: ViewerInfo;
  let onnx: Uint8Array;
  try {
    const message = classifierModel(e);
    const weight = message.graph.initializer.find((t) => t.name === HEAD_WEIGHT)!;
    const bias = message.graph.initializer.find((t) => t.name === HEAD_BIAS)!;
    const floats = (b: Uint8Array): number[] => Array.from(new Float32Array(b.slice().buffer));
    const meta = Object.fromEntries(message.metadata_props.map((p) => [p.key, p.value]));
    const { depth, stem, width, inChannels } = e.encoder.config;
    info = {
      name: basename(resolve(run)),
      task: meta['mammoclr.task'] ?? 'classification',
      classes: e.classes,
      positive: e.classes.length - 1,
      kind: e.kind,
      size: e.inputSize,
      ...(e.kind === 'patch' ? { windows: patchWindows(meta['mammoclr.windows'], run) } : {}),
      channels: inChannels,
      headWeight: floats(weight.raw_data),
      headBias: floats(bias.raw_data),
      featureDim: e.encoder.featureDim,
      operatingPoint: operatingPoint(meta['mammoclr.metrics']),
      ...(meta['mammoclr.metrics'] ? { metrics: meta['mammoclr.metrics'] } : {}),
      architecture: `ResNet-${depth} (${stem} stem, width ${width})${e.kind === 'patch' ? ' patch classifier' : ''}`,
      version: meta['mammoclr.version'] ?? '',
    };
    onnx = encodeModel(withFloat16Weights(message));
  } finally {
    e.encoder.dispose();
  }
  const ortWasm = await readFile(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
  // The threaded path (a served, cross-origin-isolated page) imports onnxruntime-web's loader as a
  // module and starts its threads from it: the same build as the one bundled into app.js, given the
  // WASM bytes of ort-wasm.js, so the 15 MB .wasm itself is not in the folder.
  const ortLoader = await readFile(require.resolve(`onnxruntime-web/${ORT_LOADER}`), 'utf8');
  const codecsWasm = await readFile(join(require.resolve('dcmjs-codecs'), '..', 'dcmjs-native-codecs.wasm'));
  await mkdir(out, { recursive: true });
  const contents: [string, string][] = [
    ['model.js', `(window.mammoclrAssets = window.mammoclrAssets || {}).info = ${JSON.stringify(info)};\n${embed('model', onnx)}`],
    ['ort-wasm.js', embed('ortWasm', ortWasm)],
    ['codecs-wasm.js', embed('codecsWasm', codecsWasm)],
    ['app.js', await bundleViewer()],
    [ORT_LOADER, ortLoader],
    ['index.html', viewerHtml(`mammoclr viewer: ${info.name} (${info.task})`)],
  ];
  for (const [name, text] of contents) await writeFileAtomic(join(out, name), text);
  const files = await Promise.all((await readdir(out)).map(async (name) => ({ name, bytes: (await stat(join(out, name))).size })));
  return { out, files, totalBytes: files.reduce((a, f) => a + f.bytes, 0), info };
}
