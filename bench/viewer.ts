/**
 * The viewer in headless chromium: onnxruntime-web (WASM) inference of one image through a
 * full-width ResNet-18 with float16 weights, at 32 px and at 512 px input (targets < 50 ms and
 * < 2 s), each from file:// (one thread: no cross-origin isolation there) and served by
 * `mammoclr serve`'s server (cross-origin isolated: min(cores, 4) threads); and the size of the
 * viewer folder. The time is session.run's: the median of ten copies of one phantom PNG after a
 * first one, which is printed beside it with the page's warm-up run (the cold start).
 */
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import puppeteer, { type Browser } from 'puppeteer-core';
import type { AddressInfo } from 'node:net';
import { Generator, noGrad, rand, saveSafetensors, tidy } from '../src/tensor/index.js';
import { ResNet } from '../src/nn/resnet.js';
import { LinearClassifier } from '../src/nn/heads.js';
import { saveEncoderFile } from '../src/train/encoder-io.js';
import { renderPhantom } from '../src/data/phantom/index.js';
import { buildViewer } from '../src/cli/viewer/build.js';
import { serveFolder } from '../src/cli/viewer/serve-static.js';
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
    const copies = Array.from({ length: 11 }, (_, i) => join(dir, `copy${i}.png`));
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
      const server = await serveFolder(join(r, 'viewer'), 0);
      try {
        const served = `http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`;
        for (const [where, url] of [['file://', pathToFileURL(join(r, 'viewer', 'index.html')).href], ['served', served]] as const) {
          const t = await timePage(browser, url, copies);
          if (t.ms.some((m) => !Number.isFinite(m))) throw new Error(`viewer bench: a copy failed to score at ${size} px (${where})`);
          const m = median(t.ms.slice(1));
          const threads = `${t.threads} thread${t.threads > 1 ? 's' : ''}`;
          rows.push({ name: `viewer: browser inference, 1 image of ${size} px, ${stem} stem, ${where}, ${threads} (target < ${target} ms)`, unit: 'ms', value: m, lowerIsBetter: true });
          console.log(`viewer: ${size} px, ${stem} stem, ${where.padEnd(7)} ${threads}: median ${m.toFixed(1)} ms over ${t.ms.length - 1} images (target ${target} ms: ${m < target ? 'ok' : 'ABOVE TARGET'}); first image ${t.ms[0]!.toFixed(1)} ms, warm-up run (cold start) ${t.warmupMs.toFixed(1)} ms`);
        }
      } finally {
        server.close();
        server.closeAllConnections();
      }
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/** One page: its threads, its warm-up run's time and session.run's time for each copy, in order. */
async function timePage(browser: Browser, url: string, copies: string[]): Promise<{ threads: number; warmupMs: number; ms: number[] }> {
  const page = await browser.newPage();
  try {
    await page.goto(url);
    await page.evaluate(() => window.mammoclrViewer!.ready);
    const { threads, warmupMs } = await page.evaluate(() => window.mammoclrViewer!.runtime());
    const input = await page.$('input#files');
    await (input as unknown as { uploadFile(...p: string[]): Promise<void> }).uploadFile(...copies);
    await page.evaluate(() => window.mammoclrViewer!.idle());
    const ms = await page.evaluate(() => window.mammoclrViewer!.rows().map((x) => x.ms ?? NaN));
    return { threads, warmupMs, ms };
  } finally {
    await page.close();
  }
}
