// The viewer on a run with only detect's patch model: `mammoclr viewer` embeds the patch scorer
// with its window geometry, and in headless chromium a dropped PNG gets `mammoclr predict`'s
// whole-image probability (top-k mean of the window probabilities) within 1e-3, and the page's
// hottest window is the one predict's window scan ranks first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, ElementHandle } from 'puppeteer-core';
import { readImage } from '../../src/data/readers/index.js';
import { preprocessMammogram } from '../../src/data/preprocess/index.js';
import { toOriginal } from '../../src/data/preprocess/transform.js';
import { PREPARE_PREPROCESS } from '../../src/data/cache/process-image.js';
import { toHalfArray } from '../../src/data/cache/float16.js';
import { breastWindows, PreparedPlanes, windowCentre } from '../../src/data/windows.js';
import { readPatchModel } from '../../src/train/patch-model.js';
import { loadEncoderFile } from '../../src/train/encoder-io.js';
import { patchFeatures } from '../../src/train/patch-features.js';
import { windowProbabilities } from '../../src/train/detection.js';
import { cpuHasFastBf16 } from '../../src/tensor/autocast.js';
import { chromiumPath, launch, watchedPage } from './browser.js';
import { phantomFiles, tinyPatchRun } from './run-fixture.js';
import { cli } from '../cli/run-cli.js';

const chromium = chromiumPath();
const dir = mkdtempSync(join(tmpdir(), 'mammoclr-viewer-patch-'));
const run = join(dir, 'run');
const out = join(dir, 'viewer');
let browser: Browser | undefined;
test.after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** predict's window scan (predictWithPatchModel's steps, with its bf16 choice): the most probable window's centre in original pixels, and the runner-up gap. */
async function predictHottest(file: string): Promise<{ x: number; y: number; gap: number }> {
  const model = readPatchModel(join(run, 'detect', 'patch-model.json'));
  const encoder = await loadEncoderFile(join(run, 'encoder.safetensors'), { channelsLast: true });
  try {
    const pre = preprocessMammogram(await readImage(file), { ...PREPARE_PREPROCESS, size: model.resolution });
    const planes = new PreparedPlanes(toHalfArray(pre.data), 1, model.resolution);
    const windows = breastWindows(planes, 0, { size: model.view.size, stride: model.stride, minBreast: model.minBreast });
    const p = windowProbabilities(model.probe, patchFeatures(encoder, planes, windows, model.view, { bf16: cpuHasFastBf16(), channelsLast: true }), windows.map((_, i) => i));
    const order = [...p.keys()].sort((a, b) => p[b]! - p[a]!);
    const c = toOriginal(pre.transform, windowCentre(windows[order[0]!]!, model.view.size));
    return { x: c.x, y: c.y, gap: p[order[0]!]! - p[order[1]!]! };
  } finally {
    encoder.dispose();
  }
}

test('a patch-model run in the viewer: the window scan in chromium gives predict\'s probability and hottest window', { timeout: 90_000 }, async (t) => {
  await tinyPatchRun(run);
  const r = cli('viewer', run, '--out', out);
  assert.equal(r.status, 0, r.err);
  const info = JSON.parse(/\.info = (\{.*?\});\n/.exec(readFileSync(join(out, 'model.js'), 'utf8'))![1]!);
  assert.equal(info.kind, 'patch');
  assert.deepEqual(info.windows, { resolution: 128, window: 32, encoderInput: 16, stride: 16, minBreast: 0.5, topK: 3 });
  if (!chromium) return t.skip('no chromium (Debian package chromium; scripts/ensure.sh installs it)');
  const { png } = await phantomFiles(dir);

  browser = await launch(chromium);
  const folder = pathToFileURL(out).href + '/';
  const w = await watchedPage(browser, [folder]);
  await w.page.goto(folder + 'index.html');
  await w.page.evaluate(() => window.mammoclrViewer!.ready);
  assert.match(await w.page.$eval('#model', (e) => e.textContent ?? ''), /32 px windows \(stride 16, at least 0\.5 breast\) of the image prepared at 128 px, seen at 16 px; image probability = mean of the top 3 windows/);
  const input = (await w.page.$('input#files')) as ElementHandle<HTMLInputElement> | null;
  await input!.uploadFile(png);
  await w.page.evaluate(() => window.mammoclrViewer!.idle());
  const [row] = await w.page.evaluate(() => window.mammoclrViewer!.rows());
  assert.deepEqual(w.consoleErrors, []);
  assert.deepEqual(w.outside, []);
  assert.equal(row!.status, 'ok', row!.error);
  await w.page.close();

  const p = cli('predict', run, png, '--json', '--out', join(dir, 'predictions'));
  assert.equal(p.status, 0, p.err);
  const e = JSON.parse(p.out.trim()) as { probabilities: Record<string, number> };
  const d = Math.max(Math.abs(row!.probabilities![0]! - e.probabilities.background!), Math.abs(row!.probabilities![1]! - e.probabilities.lesion!));
  assert.ok(d < 1e-3, `browser ${row!.probabilities} vs predict ${JSON.stringify(e.probabilities)}`);
  const hot = await predictHottest(png);
  assert.ok(Math.abs(hot.x - row!.peak!.x) < 1e-6 && Math.abs(hot.y - row!.peak!.y) < 1e-6, `hottest window at ${JSON.stringify(row!.peak)} in the page, predict's at ${JSON.stringify(hot)}`);
  t.diagnostic(`P(lesion) ${row!.probabilities![1]!.toFixed(5)} vs predict ${e.probabilities.lesion!.toFixed(5)} (|d| ${d.toExponential(1)}); hottest window centre (${hot.x.toFixed(1)}, ${hot.y.toFixed(1)}), lead over the next ${hot.gap.toFixed(4)}`);
});
