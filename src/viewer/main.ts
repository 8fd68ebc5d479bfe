/**
 * The viewer page: loads the embedded model, scores dropped or opened files one by one, lists
 * them (sortable by score, CSV download) and shows the selected one with its heatmap. Every
 * failure is written into the page, per file or in the banner: never a blank page.
 * window.mammoclrViewer exposes the results to the browser tests.
 */
import type { EmbeddedAssets } from './info.js';
import { unpack } from './unpack.js';
import { Model } from './model.js';
import { scoreFile, type Scored } from './score.js';
import { setCodecsWasmUrl } from '../data/readers/dicom/codecs.js';
import { drawGray, drawHeat, fullWindow, zoomPan } from './display.js';
import { scoresCsv } from './csv.js';

interface Row {
  name: string;
  status: 'pending' | 'ok' | 'error';
  result?: Scored;
  error?: string;
}

export interface ViewerApi {
  ready: Promise<void>;
  /** Resolves when every file handed over so far is scored or has failed. */
  idle: () => Promise<void>;
  rows: () => { name: string; status: string; probabilities?: number[]; score?: number; peak?: { x: number; y: number }; error?: string; laterality?: string; view?: string; ms?: number }[];
  /** After ready: onnxruntime-web's WASM threads, whether the page is cross-origin isolated, and the warm-up run's time (ms). */
  runtime: () => { threads: number; crossOriginIsolated: boolean; warmupMs: number };
}

declare global {
  interface Window { mammoclrViewer?: ViewerApi }
}

const $ = <T extends HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`the page has no #${id}`);
  return e as T;
};

function banner(message: string): void {
  const b = $('banner');
  b.hidden = false;
  b.textContent = message;
}

window.addEventListener('error', (e) => banner(`Error: ${e.message}`));
window.addEventListener('unhandledrejection', (e) => banner(`Error: ${(e.reason as Error)?.message ?? String(e.reason)}`));

const rows: Row[] = [];
let model: Model | undefined;
let queue: Promise<void> = Promise.resolve();
let sortByScore = false;
let selected: Row | undefined;
let fit: (w: number, h: number) => void = () => {};

async function loadModel(): Promise<void> {
  const a = window.mammoclrAssets;
  if (!a?.info || !a.model || !a.ortWasm || !a.codecsWasm) throw new Error('the model files of this folder did not load (model.js, ort-wasm.js and codecs-wasm.js must sit beside index.html)');
  const assets = a as EmbeddedAssets;
  const [onnx, ortWasm, codecsWasm] = await Promise.all([unpack(assets.model, 'model'), unpack(assets.ortWasm, 'onnxruntime WASM'), unpack(assets.codecsWasm, 'DICOM codecs WASM')]);
  // The codecs fetch their module by URL: a blob: URL of the embedded bytes works from file:// too.
  setCodecsWasmUrl(URL.createObjectURL(new Blob([codecsWasm as BlobPart], { type: 'application/wasm' })));
  model = await Model.load(onnx, ortWasm, assets.info);
  const i = assets.info;
  const input = i.windows
    ? `${i.windows.window} px windows (stride ${i.windows.stride}, at least ${i.windows.minBreast} breast) of the image prepared at ${i.windows.resolution} px, seen at ${i.windows.encoderInput} px; image probability = mean of the top ${i.windows.topK} windows`
    : `${i.size} px input`;
  const threads = model.threads > 1
    ? `${model.threads} WASM threads (cross-origin isolated)`
    : `1 WASM thread (${self.crossOriginIsolated ? 'one core' : 'not cross-origin isolated: mammoclr serve gives threads'})`;
  $('model').textContent = `${i.task}: ${i.architecture}, ${input}, classes ${i.classes.join(', ')}; operating point P(${i.classes[i.positive]}) >= ${i.operatingPoint.threshold.toFixed(3)} (${i.operatingPoint.source}); ${threads}; mammoclr ${i.version}`;
  $('score-head').textContent = `P(${i.classes[i.positive]})`;
}

function call(score: number): string {
  const i = model!.info;
  return score >= i.operatingPoint.threshold ? i.classes[i.positive]! : i.classes.filter((_, k) => k !== i.positive).join('/') || 'negative';
}

function renderTable(): void {
  const body = $('rows');
  body.replaceChildren();
  const order = sortByScore ? [...rows].sort((a, b) => (b.result?.score ?? -1) - (a.result?.score ?? -1)) : rows;
  for (const r of order) {
    const tr = document.createElement('tr');
    tr.className = r.status + (r === selected ? ' selected' : '');
    const m = r.result?.image.meta;
    const cells = [
      r.name,
      m?.laterality ?? '',
      m?.view ?? '',
      r.result ? r.result.score.toFixed(4) : r.status === 'pending' ? '...' : '',
      r.result ? call(r.result.score) : '',
      r.status === 'error' ? r.error ?? 'failed' : r.result ? `${r.result.inferenceMs.toFixed(0)} ms` : '',
    ];
    for (const c of cells) {
      const td = document.createElement('td');
      td.textContent = c;
      tr.append(td);
    }
    tr.addEventListener('click', () => { if (r.result) show(r); });
    body.append(tr);
  }
  $<HTMLButtonElement>('csv').disabled = !rows.some((r) => r.result);
}

function show(r: Row): void {
  selected = r;
  const s = r.result!;
  const w = fullWindow(s);
  const centre = $<HTMLInputElement>('centre'), width = $<HTMLInputElement>('width');
  centre.max = width.max = String(w.max);
  centre.value = String(w.centre);
  width.value = String(w.width);
  drawGray($('image'), s, w.centre, w.width);
  drawHeat($('heat'), s);
  const m = s.image.meta;
  $('details').textContent = `${s.name}: ${s.image.width} x ${s.image.height}, ${s.image.bitDepth}-bit ${m.format}; laterality ${m.laterality ?? 'not stated'}, view ${m.view ?? 'not stated'}; ` +
    `${model!.info.classes.map((c, i) => `P(${c}) ${s.probabilities[i]!.toFixed(4)}`).join(', ')}; heatmap peak at (${s.peak.x.toFixed(0)}, ${s.peak.y.toFixed(0)})` +
    (m.notes ? `; ${Object.entries(m.notes).map(([k, v]) => `${k}: ${v}`).join(', ')}` : '');
  fit(s.image.width, s.image.height);
  renderTable();
}

function addFiles(files: Iterable<File>): void {
  for (const f of files) {
    const row: Row = { name: f.webkitRelativePath || f.name, status: 'pending' };
    rows.push(row);
    // One file at a time: a 4000 px DICOM holds a few hundred MB while it is decoded.
    queue = queue.then(async () => {
      try {
        if (!model) throw new Error('the model did not load (see the message above)');
        row.result = await scoreFile(model, new Uint8Array(await f.arrayBuffer()), row.name);
        row.status = 'ok';
        if (!selected) show(row);
      } catch (e) {
        row.status = 'error';
        row.error = (e as Error).message || String(e);
      }
      renderTable();
    });
  }
  renderTable();
}

function downloadCsv(): void {
  const info = model!.info;
  const csv = scoresCsv(info.classes, rows.map((r) => ({
    name: r.name, probabilities: r.result?.probabilities, call: r.result ? call(r.result.score) : undefined,
    laterality: r.result?.image.meta.laterality, view: r.result?.image.meta.view, error: r.error,
  })));
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  a.download = 'mammoclr-scores.csv';
  a.click();
}

function wire(): void {
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer) addFiles(e.dataTransfer.files);
  });
  // Dropping beside the zone must not make the browser navigate away to the file.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
  const input = $<HTMLInputElement>('files');
  input.addEventListener('change', () => { if (input.files) addFiles(input.files); input.value = ''; });
  const opacity = $<HTMLInputElement>('opacity');
  const setOpacity = (): void => { $('heat').style.opacity = String(Number(opacity.value) / 100); };
  opacity.addEventListener('input', setOpacity);
  setOpacity();
  const redraw = (): void => { if (selected?.result) drawGray($('image'), selected.result, Number($<HTMLInputElement>('centre').value), Number($<HTMLInputElement>('width').value)); };
  $('centre').addEventListener('input', redraw);
  $('width').addEventListener('input', redraw);
  $('score-head').addEventListener('click', () => { sortByScore = !sortByScore; renderTable(); });
  $('csv').addEventListener('click', downloadCsv);
  $('fit').addEventListener('click', () => { if (selected?.result) fit(selected.result.image.width, selected.result.image.height); });
  fit = zoomPan($('viewport'), $('stage'));
}

wire();
const ready = loadModel().then(() => { $('status').textContent = 'Model loaded. Drop mammograms here or open them.'; }, (e: Error) => {
  banner(`The model could not be loaded: ${e.message}`);
  throw e;
});
window.mammoclrViewer = {
  ready,
  idle: async () => { let q; do { q = queue; await q; } while (q !== queue); },
  runtime: () => ({ threads: model?.threads ?? 0, crossOriginIsolated: self.crossOriginIsolated, warmupMs: model?.warmupMs ?? NaN }),
  rows: () => rows.map((r) => ({
    name: r.name, status: r.status, error: r.error,
    ...(r.result ? { probabilities: r.result.probabilities, score: r.result.score, peak: r.result.peak, laterality: r.result.image.meta.laterality, view: r.result.image.meta.view, ms: r.result.inferenceMs } : {}),
  })),
};
