// report.html of a run (the report tests' synthetic run: training log, metrics, baseline,
// Grad-CAM gallery) opened in headless chromium: every image loads, no console error, and the
// page fetches nothing outside its run folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fullRun } from '../report/fixture.js';
import { chromiumPath, launch, watchedPage } from './browser.js';

test('report.html opens in chromium with every image loaded and no console error', { timeout: 60_000 }, async (t) => {
  const chromium = chromiumPath();
  if (!chromium) return t.skip('no chromium (Debian package chromium; scripts/ensure.sh installs it)');
  const run = await fullRun();
  const browser = await launch(chromium);
  try {
    const r = spawnSync(process.execPath, ['bin/mammoclr.js', 'report', run.dir, '--no-plot-files'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const path = r.stdout.trim().split('\n').pop()!;
    const w = await watchedPage(browser, [pathToFileURL(dirname(path)).href + '/']);
    await w.page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    const images = await w.page.$$eval('img', (els) => els.map((e) => ({ src: e.src.slice(0, 40), ok: e.complete && e.naturalWidth > 0 })));
    assert.ok(images.length >= 2, `report.html has ${images.length} images`);
    assert.deepEqual(images.filter((i) => !i.ok), [], 'images that did not load');
    assert.ok((await w.page.$$('svg')).length >= 2, 'the charts are missing');
    assert.deepEqual(w.consoleErrors, []);
    assert.deepEqual(w.outside, []);
    t.diagnostic(`${images.length} images loaded`);
  } finally {
    await browser.close();
    rmSync(run.dir, { recursive: true, force: true });
  }
});
