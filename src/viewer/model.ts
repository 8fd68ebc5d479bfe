/**
 * The exported model in onnxruntime-web's WASM backend, with no proxy worker. On a
 * cross-origin-isolated page (`mammoclr serve`) it runs on min(cores, 4) threads: onnxruntime-web
 * imports its threaded loader (ORT_LOADER) from the page's folder and starts its threads from it.
 * A page opened from file:// is not isolated (no SharedArrayBuffer) and may import no module,
 * so there it runs on one thread with the loader bundled in app.js. Either way the WASM binary is
 * handed over as bytes, never fetched.
 */
import * as ort from 'onnxruntime-web/wasm';
import type { ViewerInfo } from './info.js';

/** WASM threads for this page: min(cores, 4) when it is cross-origin isolated, else 1. */
export function wasmThreads(): number {
  return self.crossOriginIsolated ? Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 4)) : 1;
}

export interface ModelOutput {
  probabilities: Float32Array;
  /** The positive class's activation map at layer4 resolution, ReLU and min-max scaled to [0, 1] (predict's Grad-CAM convention). */
  cam: Float32Array;
  camSize: number;
  /** Wall time of session.run, ms. */
  ms: number;
}

export class Model {
  /** Wall time of the warm-up run (a zero input) right after loading: the cold start, ms. */
  warmupMs = NaN;

  private constructor(private readonly session: ort.InferenceSession, readonly info: ViewerInfo, readonly threads: number) {}

  static async load(onnx: Uint8Array, ortWasm: Uint8Array, info: ViewerInfo): Promise<Model> {
    const threads = wasmThreads();
    ort.env.wasm.numThreads = threads;
    ort.env.wasm.proxy = false;
    ort.env.wasm.wasmBinary = ortWasm;
    // The folder as prefix: onnxruntime-web imports ORT_LOADER (info.ts) from it, only for threads. Not
    // { mjs: url }: with that it cannot tell the URL is same-origin (app.js's import.meta.url is
    // "./") and would import it through a blob: URL, which the page's CSP refuses.
    if (threads > 1) ort.env.wasm.wasmPaths = new URL('./', location.href).href;
    const session = await ort.InferenceSession.create(onnx, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    const model = new Model(session, info, threads);
    await model.warmUp();
    return model;
  }

  /**
   * One run on a zero input of the model's shape, so that the first real image does not pay the
   * cold start (first-run allocations, the threads' first wake-up).
   */
  private async warmUp(): Promise<void> {
    const { size, channels } = this.info;
    const t0 = performance.now();
    await this.session.run({ input: new ort.Tensor('float32', new Float32Array(channels * size * size), [1, channels, size, size]) });
    this.warmupMs = performance.now() - t0;
  }

  /** One prepared image (size x size gray in [0, 1]) -> probabilities and the class activation map. */
  async run(gray: Float32Array): Promise<ModelOutput> {
    const { size, channels } = this.info;
    // A 3-channel encoder sees the gray image in every channel.
    const input = new Float32Array(channels * size * size);
    for (let c = 0; c < channels; c++) input.set(gray, c * size * size);
    const t0 = performance.now();
    const r = await this.session.run({ input: new ort.Tensor('float32', input, [1, channels, size, size]) });
    const ms = performance.now() - t0;
    const probabilities = r['probabilities']!.data as Float32Array;
    const features = r['features']!;
    const [, d, h, w] = features.dims as number[];
    const cam = classActivationMap(features.data as Float32Array, d!, h! * w!, this.info);
    return { probabilities, cam, camSize: h!, ms };
  }

  /**
   * A patch model's windows, full-size (count x size x size gray; the graph averages them down to
   * the encoder's input), in batches: P(positive class) per window, and the wall time of the runs.
   */
  async runWindows(windows: Float32Array, count: number, batch = 32): Promise<{ probabilities: Float32Array; ms: number }> {
    const { size, channels, classes, positive } = this.info;
    const area = size * size;
    if (windows.length !== count * area) throw new Error(`${windows.length} window values, expected ${count} x ${size} x ${size}`);
    const out = new Float32Array(count);
    let ms = 0;
    for (let start = 0; start < count; start += batch) {
      const n = Math.min(batch, count - start);
      const input = new Float32Array(n * channels * area);
      for (let m = 0; m < n; m++) {
        const one = windows.subarray((start + m) * area, (start + m + 1) * area);
        for (let c = 0; c < channels; c++) input.set(one, (m * channels + c) * area);
      }
      const t0 = performance.now();
      const r = await this.session.run({ input: new ort.Tensor('float32', input, [n, channels, size, size]) });
      ms += performance.now() - t0;
      const p = r['probabilities']!.data as Float32Array;
      for (let m = 0; m < n; m++) out[start + m] = p[m * classes.length + positive]!;
    }
    return { probabilities: out, ms };
  }
}

/**
 * ReLU(sum_d W[positive, d] * features[d]), min-max scaled: for a linear head on pooled features
 * the gradient of the positive logit with respect to the layer4 maps is W[positive] / hw at every
 * position, so this is predict's Grad-CAM at layer4 (the positive scale 1/hw cancels in the
 * min-max scaling; the bias, constant over the map, is not part of Grad-CAM).
 */
export function classActivationMap(features: Float32Array, d: number, hw: number, info: ViewerInfo): Float32Array {
  if (d !== info.featureDim) throw new Error(`the model gives ${d} features, its head reads ${info.featureDim}`);
  const w = info.headWeight.slice(info.positive * d, (info.positive + 1) * d);
  const raw = new Float32Array(hw);
  for (let k = 0; k < d; k++) {
    const wk = w[k]!;
    for (let i = 0; i < hw; i++) raw[i]! += wk * features[k * hw + i]!;
  }
  for (let i = 0; i < hw; i++) raw[i] = Math.max(0, raw[i]!);
  let lo = Infinity, hi = -Infinity;
  for (const v of raw) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const span = hi - lo;
  for (let i = 0; i < hw; i++) raw[i] = span > 0 ? (raw[i]! - lo) / span : 0;
  return raw;
}
