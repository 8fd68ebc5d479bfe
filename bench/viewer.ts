/**
 * The viewer in headless chromium: onnxruntime-web (WASM, one thread) inference of one image
 * through a full-width ResNet-18 with float16 weights, at 32 px and at 512 px input (targets
 * < 50 ms and < 2 s), and the size of the viewer folder. The time is session.run's, the median
 * of five copies of one phantom PNG after a first, warm-up one.
 */
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import puppeteer from 'puppeteer-core';
import { Generator, noGrad, rand, saveSafetensors, tidy } from '../src/tensor/index.js';
import { ResNet } from '../src/nn/resnet.js';
import { LinearClassifier } from '../src/nn/heads.js';
import { saveEncoderFile } from '../src/train/encoder-io.js';
import { renderPhantom } from '../src/data/phantom/index.js';
import { buildViewer } from '../src/cli/viewer/build.js';
import { median, type BenchRow } from './util.js';

async function run(dir: string, size: number, stem: 'cifar' | 'imagenet'): Promise<void> {
  const arch = { depth: 18, stem, width: 64, inChannels: 1 } as const;
  const encoder = new ResNet({ ...arch, generator: Generator.seeded(1) }).eval();
  await saveEncoderFile(join(dir, 'encoder.safetensors'), encoder, arch);
  const head = new LinearClassifier(encoder.featureDim, 2, { generator: Generator.seeded(2) });
  tidy(() => noGrad(() => head.fitScaler(encoder.forward(rand([4, 1, 32, 32], { generator: Generator.seeded(3) })))));
  mkdirSync(join(dir, 'eval'), { recursive: true });
  await saveSafetensors(join(dir, 'eval', 'classifier.safetensors'), head.stateDict(), {
    format: 'pt', task: 'normal-vs-abnormal', classes: JSON.stringify(['normal', 'abnormal']), encoder: resolve(dir, 'encoder.safetensors'), size: String(size),
  });
  encoder.dispose();
  head.dispose();
}

export async function benchViewer(): Promise<BenchRow[]> {
  const chromium = [process.env.MAMMOCLR_CHROMIUM, '/usr/bin/chromium'].find((p) => p && existsSync(p));
  if (!chromium) {
    console.log('viewer: no chromium (apt-get install chromium), skipped');
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'mammoclr-bench-viewer-'));
  const browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  const rows: BenchRow[] = [];
  try {
    const p = renderPhantom({ seed: 1, index: 0, label: 'malignant', laterality: 'L', size: 1024 });
    const png = join(dir, 'phantom.png');
    await sharp(p.image.data as Uint16Array, { raw: { width: p.image.width, height: p.image.height, channels: 1 } }).toColourspace('grey16').png().toFile(png);
    const copies = Array.from({ length: 6 }, (_, i) => join(dir, `copy${i}.png`));
    for (const c of copies) writeFileSync(c, await sharp(png).toBuffer());
    // The paper's stem at 32 px; at 512 px the ImageNet stem (stride 4 before layer1), which a run at
    // that size uses: the paper stem there costs 16 times the arithmetic (about 10 s a image here).
    for (const [size, target, stem] of [[32, 50, 'cifar'], [512, 2000, 'imagenet']] as const) {
      const r = join(dir, `run${size}`);
      await run(r, size, stem);
      const built = await buildViewer(r, join(r, 'viewer'));
      if (size === 32) {
        rows.push({ name: 'viewer folder, ResNet-18 full width (float16)', unit: 'MB', value: built.totalBytes / 1e6, lowerIsBetter: true });
        console.log(`viewer: folder for a full-width ResNet-18 ${(built.totalBytes / 1e6).toFixed(1)} MB (target < 40 MB): ${built.files.map((f) => `${f.name} ${(f.bytes / 1e6).toFixed(1)}`).join(', ')}`);
      }
      const page = await browser.newPage();
      await page.goto(pathToFileURL(join(r, 'viewer', 'index.html')).href);
      await page.evaluate(() => window.mammoclrViewer!.ready);
      const input = await page.$('input#files');
      await (input as unknown as { uploadFile(...p: string[]): Promise<void> }).uploadFile(...copies);
      await page.evaluate(() => window.mammoclrViewer!.idle());
      const ms = (await page.evaluate(() => window.mammoclrViewer!.rows().map((x) => x.ms ?? NaN))).slice(1);
      if (ms.some((m) => !Number.isFinite(m))) throw new Error(`viewer bench: a copy failed to score at ${size} px`);
      const m = median(ms);
      rows.push({ name: `viewer: browser inference, 1 image of ${size} px, ${stem} stem (target < ${target} ms)`, unit: 'ms', value: m, lowerIsBetter: true });
      console.log(`viewer: ${size} px, ${stem} stem: median ${m.toFixed(1)} ms over ${ms.length} images (${m < target ? 'ok' : `ABOVE TARGET ${target} ms`})`);
      await page.close();
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
