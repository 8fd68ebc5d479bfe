// serveFolder, as `mammoclr serve` runs it: every response (files, 404, 403, 405, HEAD) carries the
// cross-origin isolation headers the threaded viewer needs; .mjs goes out as JavaScript (a module
// worker refuses anything else) and .wasm as application/wasm; nothing outside the folder is served.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { serveFolder, ISOLATION_HEADERS } from '../../../src/cli/viewer/serve-static.js';

const dir = mkdtempSync(join(tmpdir(), 'mammoclr-serve-'));
const folder = join(dir, 'viewer');
mkdirSync(folder);
writeFileSync(join(folder, 'index.html'), '<!doctype html><title>x</title>');
writeFileSync(join(folder, 'app.js'), 'void 0;');
writeFileSync(join(folder, 'ort-wasm-simd-threaded.mjs'), 'export default 1;');
writeFileSync(join(folder, 'm.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
writeFileSync(join(dir, 'secret.txt'), 'outside the folder');

const server = await serveFolder(folder, 0);
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
test.after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw request: the path goes out as written (URL parsing turns /../x and /%2e%2e/x into /x; /..%2fx is decoded into a path outside the folder after it). */
function get(path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((ok, fail) => {
    const r = request(base + '/', { method, path }, (res) => {
      let body = '';
      res.on('data', (b: Buffer) => { body += b.toString(); });
      res.on('end', () => ok({ status: res.statusCode!, headers: res.headers, body }));
    });
    r.on('error', fail);
    r.end();
  });
}

test('every response carries COOP same-origin, COEP require-corp and CORP same-origin', async () => {
  const cases: [string, string, number][] = [
    ['/', 'GET', 200], ['/index.html', 'HEAD', 200], ['/app.js', 'GET', 200], ['/ort-wasm-simd-threaded.mjs', 'GET', 200],
    ['/m.wasm', 'GET', 200], ['/missing.js', 'GET', 404], ['/../secret.txt', 'GET', 404], ['/..%2fsecret.txt', 'GET', 403], ['/app.js', 'POST', 405],
  ];
  for (const [path, method, status] of cases) {
    const r = await get(path, method);
    assert.equal(r.status, status, `${method} ${path}`);
    for (const [k, v] of Object.entries(ISOLATION_HEADERS)) assert.equal(r.headers[k], v, `${method} ${path}: ${k}`);
    assert.doesNotMatch(r.body, /outside the folder/);
  }
  assert.deepEqual(ISOLATION_HEADERS, {
    'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp', 'cross-origin-resource-policy': 'same-origin',
  });
});

test('content types: .mjs and .js as JavaScript, .wasm as application/wasm, the folder root as the page', async () => {
  assert.match(String((await get('/ort-wasm-simd-threaded.mjs')).headers['content-type']), /^text\/javascript\b/);
  assert.match(String((await get('/app.js')).headers['content-type']), /^text\/javascript\b/);
  assert.equal((await get('/m.wasm')).headers['content-type'], 'application/wasm');
  const root = await get('/');
  assert.match(String(root.headers['content-type']), /^text\/html\b/);
  assert.match(root.body, /<title>x<\/title>/);
});
