/**
 * The page script: esbuild bundles the compiled browser sources (dist/src/viewer/main.js) with
 * onnxruntime-web, the DICOM codecs, fast-png and the shared readers into one classic script
 * (IIFE: a page opened from file:// may not load ES modules). The shared readers' node: imports
 * go to small browser shims (src/viewer/shims) that the viewer's code paths need.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

const SHIMS: Record<string, string> = {
  'node:fs/promises': here('../../viewer/shims/fs.js'),
  'node:zlib': here('../../viewer/shims/zlib.js'),
  'node:path': here('../../viewer/shims/path.js'),
};

export async function bundleViewer(): Promise<string> {
  const r = await build({
    entryPoints: [here('../../viewer/main.js')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome110',
    minify: true,
    write: false,
    logLevel: 'silent',
    // onnxruntime-web only reads import.meta.url to find files it is not asked for here (the WASM is handed over as bytes).
    define: { 'import.meta.url': '"./"' },
    plugins: [{
      name: 'node-shims',
      setup(b) {
        b.onResolve({ filter: /^node:/ }, (a) => {
          const path = SHIMS[a.path];
          if (!path) return { errors: [{ text: `${a.path} has no browser shim (imported by ${a.importer})` }] };
          return { path };
        });
      },
    }],
  });
  return r.outputFiles[0]!.text;
}
