/**
 * A static file server for the viewer folder, for browsers that refuse WASM or scripts from
 * file://, and for onnxruntime-web's threads: every response carries the cross-origin isolation
 * headers (COOP same-origin, COEP require-corp, CORP same-origin), under which the page gets
 * SharedArrayBuffer and so WASM threads, which a page opened from file:// cannot have. Bound to
 * 127.0.0.1 unless told otherwise; GET and HEAD of the folder's own files only (no listing, no
 * path outside the folder).
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, normalize, sep, extname } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream', '.json': 'application/json', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml',
};

/** Sent on every response, errors included: together they make the page cross-origin isolated. */
export const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
} as const;

export function serveFolder(root: string, port: number, host = '127.0.0.1'): Promise<Server> {
  const base = normalize(root + sep);
  const server = createServer(async (req, res) => {
    for (const [k, v] of Object.entries(ISOLATION_HEADERS)) res.setHeader(k, v);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let path: string;
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      path = normalize(join(base, decodeURIComponent(url.pathname)));
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    if (path === base) path = join(base, 'index.html');
    if (!path.startsWith(base)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    try {
      const body = await readFile(path);
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'content-length': body.length, 'cache-control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok(server));
  });
}
