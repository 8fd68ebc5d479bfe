// The viewer in headless chromium: `mammoclr viewer` writes a folder that, opened from file://,
// loads without a console error or a request outside itself; a PNG and DICOMs (a written one, and
// a JPEG 2000 and a JPEG lossless file from ../shared/data/dicom when present) get predict's
// probabilities within 1e-3 and the heatmap peak predict's Grad-CAM has; a corrupt file shows its
// error while the others score, on one WASM thread; `mammoclr serve` hosts the same page on
// 127.0.0.1 with the cross-origin isolation headers, where it runs on several WASM threads (through
// the folder's onnxruntime-web loader) and scores a PNG as predict does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, ElementHandle } from 'puppeteer-core';
import { loadRunModel } from '../../src/cli/run-model.js';
import { readImage } from '../../src/data/readers/index.js';
import { preprocessMammogram } from '../../src/data/preprocess/index.js';
import { toOriginal } from '../../src/data/preprocess/transform.js';
import { gradCam } from '../../src/explain/gradcam.js';
import { tensor, tidy } from '../../src/tensor/index.js';
import { sharedDir } from '../data/readers/shared-data.js';
import { chromiumPath, launch, watchedPage } from './browser.js';
import { phantomFiles, tinyRun } from './run-fixture.js';
import { ORT_LOADER } from '../../src/viewer/info.js';
import { cli } from '../cli/run-cli.js';

const chromium = chromiumPath();
const dir = mkdtempSync(join(tmpdir(), 'mammoclr-viewer-'));
const run = join(dir, 'run');
const out = join(dir, 'viewer');
let browser: Browser | undefined;
test.after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface PageRow { name: string; status: string; probabilities?: number[]; peak?: { x: number; y: number }; error?: string; laterality?: string; view?: string }

/** predict's Grad-CAM peak (layer4, positive class), as the centre of its hottest cell in original pixels. */
async function predictPeak(file: string): Promise<{ x: number; y: number }> {
  const model = await loadRunModel(run);
  try {
    const image = await readImage(file);
    const pre = preprocessMammogram(image, { size: model.size });
    const low = tidy(() => gradCam(model.encoder, model.classifier, tensor(pre.data, [1, 1, model.size, model.size]), { layer: 'layer4', targetClass: model.classes.length - 1 }).lowRes.toFloat32Array());
    const n = Math.round(Math.sqrt(low.length));
    const best = low.indexOf(Math.max(...low));
    const cell = model.size / n;
    return toOriginal(pre.transform, { x: ((best % n) + 0.5) * cell - 0.5, y: (Math.floor(best / n) + 0.5) * cell - 0.5 });
  } finally {
    model.encoder.dispose();
    model.classifier.dispose();
  }
}

test('mammoclr viewer writes the folder: page, script, float16 model, WASM, onnxruntime-web\'s threaded loader', async () => {
  await tinyRun(run);
  const r = cli('viewer', run, '--out', out);
  assert.equal(r.status, 0, r.err);
  const names = ['index.html', 'app.js', 'model.js', 'ort-wasm.js', 'codecs-wasm.js', ORT_LOADER];
  for (const f of names) assert.ok(existsSync(join(out, f)), `${f} missing`);
  assert.match(r.out, /MB; open .*index\.html/);
  const total = names.reduce((a, f) => a + statSync(join(out, f)).size, 0);
  assert.ok(total < 40e6, `viewer folder ${total} bytes`);
});

test('in chromium: no console error, nothing fetched from outside the folder; PNG and DICOMs score as predict does; a corrupt file shows its error', { timeout: 120_000 }, async (t) => {
  if (!chromium) return t.skip('no chromium (Debian package chromium; scripts/ensure.sh installs it)');
  assert.ok(existsSync(join(out, 'index.html')), 'the previous test did not build the viewer');
  const { png, dicom } = await phantomFiles(dir);
  const files = [png, dicom];
  const dicoms = sharedDir('dicom');
  if (dicoms) {
    files.push(join(dicoms, 'mr_small/MR_small_jp2klossless.dcm'), join(dicoms, 'ct_transfer_syntaxes/CTImage.dcm_JPEGProcess14SV1TransferSyntax_1.2.840.10008.1.2.4.70.dcm'));
  } else {
    t.diagnostic('../shared/data/dicom absent: JPEG 2000 and JPEG lossless DICOMs not tried');
  }
  const corrupt = join(dir, 'corrupt.png');
  writeFileSync(corrupt, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really a png')]));

  browser = await launch(chromium);
  const folder = pathToFileURL(out).href + '/';
  const w = await watchedPage(browser, [folder]);
  await w.page.goto(folder + 'index.html');
  await w.page.evaluate(() => window.mammoclrViewer!.ready);
  assert.match(await w.page.$eval('.privacy', (e) => e.textContent ?? ''), /no image or score leaves this machine/);
  assert.match(await w.page.$eval('#model', (e) => e.textContent ?? ''), /operating point P\(abnormal\) >= 0\.420/);
  // file:// is not cross-origin isolated: one thread, said so on the page.
  assert.deepEqual(await w.page.evaluate(() => { const r = window.mammoclrViewer!.runtime(); return [r.threads, r.crossOriginIsolated]; }), [1, false]);
  assert.match(await w.page.$eval('#model', (e) => e.textContent ?? ''), /1 WASM thread \(not cross-origin isolated/);
  const input = (await w.page.$('input#files')) as ElementHandle<HTMLInputElement> | null;
  await input!.uploadFile(...files, corrupt);
  await w.page.evaluate(() => window.mammoclrViewer!.idle());
  const rows = (await w.page.evaluate(() => window.mammoclrViewer!.rows())) as PageRow[];
  assert.deepEqual(w.consoleErrors, []);
  assert.deepEqual(w.outside, []);

  const bad = rows.find((r) => r.name === 'corrupt.png')!;
  assert.equal(bad.status, 'error');
  assert.match(bad.error!, /corrupt\.png: cannot read PNG/);
  assert.match(await w.page.$eval('tr.error', (e) => e.textContent ?? ''), /corrupt\.png: cannot read PNG/);

  const p = cli('predict', run, ...files, '--json', '--out', join(dir, 'predictions'));
  assert.equal(p.status, 0, p.err);
  const expected = p.out.trim().split('\n').map((l) => JSON.parse(l) as { file: string; probabilities: Record<string, number>; heatmap: string });
  for (const e of expected) {
    const row = rows.find((r) => r.name === basename(e.file));
    assert.ok(row, `${e.file} not in the page`);
    assert.equal(row.status, 'ok', `${row.name}: ${row.error}`);
    const d = Math.max(Math.abs(row.probabilities![0]! - e.probabilities.normal!), Math.abs(row.probabilities![1]! - e.probabilities.abnormal!));
    assert.ok(d < 1e-3, `${row.name}: browser ${row.probabilities} vs predict ${JSON.stringify(e.probabilities)}`);
    assert.ok(existsSync(e.heatmap), `predict wrote no overlay ${e.heatmap}`);
    const peak = await predictPeak(e.file);
    assert.ok(Math.abs(peak.x - row.peak!.x) < 1e-6 && Math.abs(peak.y - row.peak!.y) < 1e-6, `${row.name}: heatmap peak ${JSON.stringify(row.peak)} in the page, predict's at ${JSON.stringify(peak)}`);
    t.diagnostic(`${row.name}: P(abnormal) ${row.probabilities![1]!.toFixed(5)} vs predict ${e.probabilities.abnormal!.toFixed(5)} (|d| ${d.toExponential(1)}); peak (${peak.x.toFixed(1)}, ${peak.y.toFixed(1)})`);
  }
  // The probabilities must differ between files, or agreement would prove little.
  const scores = expected.map((e) => e.probabilities.abnormal!);
  assert.ok(Math.max(...scores) - Math.min(...scores) > 1e-3, `all files scored alike: ${scores}`);
  const dcm = rows.find((r) => r.name === 'phantom.dcm')!;
  assert.deepEqual([dcm.laterality, dcm.view], ['L', 'MLO']);
  await w.page.close();
});

test('mammoclr serve: cross-origin isolated, several WASM threads, nothing from outside, a PNG scores as predict does', { timeout: 120_000 }, async (t) => {
  if (!chromium) return t.skip('no chromium (Debian package chromium; scripts/ensure.sh installs it)');
  assert.ok(existsSync(join(out, 'index.html')), 'the first test did not build the viewer');
  const child = spawn(process.execPath, ['bin/mammoclr.js', 'serve', out, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((ok, fail) => {
      let text = '';
      child.stdout.on('data', (b: Buffer) => { text += b.toString(); const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text); if (m) ok(m[1]!); });
      child.once('exit', (c) => fail(new Error(`serve exited with ${c}`)));
    });
    for (const f of ['', 'app.js', ORT_LOADER]) {
      const h = (await fetch(url + f)).headers;
      assert.deepEqual([h.get('cross-origin-opener-policy'), h.get('cross-origin-embedder-policy'), h.get('cross-origin-resource-policy')], ['same-origin', 'require-corp', 'same-origin'], `/${f}`);
    }
    const outside = await fetch(new URL('../run/eval/metrics.json', url).href.replace('/run/', '/%2e%2e/run/'));
    assert.notEqual(outside.status, 200, 'a file outside the folder was served');

    browser ??= await launch(chromium);
    const w = await watchedPage(browser, [url]);
    const requested: string[] = [];
    w.page.on('request', (r) => requested.push(r.url()));
    await w.page.goto(url);
    await w.page.evaluate(() => window.mammoclrViewer!.ready);
    const rt = await w.page.evaluate(() => ({ ...window.mammoclrViewer!.runtime(), cores: navigator.hardwareConcurrency }));
    assert.equal(rt.crossOriginIsolated, true, 'the served page is not cross-origin isolated');
    assert.equal(rt.threads, Math.min(rt.cores, 4));
    if (rt.cores > 1) assert.ok(rt.threads > 1, `${rt.threads} thread(s) on ${rt.cores} cores`);
    else t.diagnostic('chromium reports one core: one thread is all the page may take');
    assert.match(await w.page.$eval('#model', (e) => e.textContent ?? ''), new RegExp(`${rt.threads} WASM threads? `));
    if (rt.threads > 1) assert.ok(requested.includes(url + ORT_LOADER), `the threaded page did not load ${ORT_LOADER}: ${requested.join(', ')}`);

    const { png } = await phantomFiles(dir);
    const input = (await w.page.$('input#files')) as ElementHandle<HTMLInputElement> | null;
    await input!.uploadFile(png);
    await w.page.evaluate(() => window.mammoclrViewer!.idle());
    const [row] = (await w.page.evaluate(() => window.mammoclrViewer!.rows())) as PageRow[];
    assert.equal(row?.status, 'ok', `${row?.name}: ${row?.error}`);
    const p = cli('predict', run, png, '--json', '--out', join(dir, 'predictions-served'));
    assert.equal(p.status, 0, p.err);
    const e = JSON.parse(p.out.trim()) as { probabilities: Record<string, number> };
    const d = Math.max(Math.abs(row.probabilities![0]! - e.probabilities.normal!), Math.abs(row.probabilities![1]! - e.probabilities.abnormal!));
    assert.ok(d < 1e-3, `served page ${row.probabilities} vs predict ${JSON.stringify(e.probabilities)}`);
    t.diagnostic(`served, ${rt.threads} threads: P(abnormal) ${row.probabilities![1]!.toFixed(5)} vs predict ${e.probabilities.abnormal!.toFixed(5)} (|d| ${d.toExponential(1)}); warm-up ${rt.warmupMs.toFixed(0)} ms`);

    assert.deepEqual(w.consoleErrors, []);
    assert.deepEqual(w.outside, []);
    await w.page.close();
  } finally {
    child.kill();
  }
});
