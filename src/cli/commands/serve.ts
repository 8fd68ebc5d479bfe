import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { int, parseOptions } from '../options.js';
import { buildViewer } from '../viewer/build.js';
import { serveFolder } from '../viewer/serve-static.js';

const schema = z.object({ port: int(0, 65535), host: z.string().min(1), out: z.string().optional() });

export function register(program: Command): void {
  program
    .command('serve <run>')
    .description('host the run\'s viewer page on this machine (127.0.0.1 by default), cross-origin isolated so onnxruntime-web runs on several threads (file:// gives one), and for browsers that refuse WASM from file://; <run> may also be a folder `mammoclr viewer` wrote')
    .option('--port <n>', 'TCP port (0: any free one)', '8765')
    .option('--host <addr>', 'address to bind; anything but 127.0.0.1/localhost exposes the page to the network', '127.0.0.1')
    .option('--out <dir>', 'where to build the viewer when <run> is a run (default <run>/viewer)')
    .action(async (run: string, raw: Record<string, unknown>) => {
      const o = parseOptions(schema, raw);
      let dir = run;
      if (!existsSync(join(run, 'index.html'))) {
        dir = o.out ?? join(run, 'viewer');
        if (!existsSync(join(dir, 'index.html'))) await buildViewer(run, dir);
      }
      const server = await serveFolder(dir, o.port, o.host);
      const a = server.address();
      const port = typeof a === 'object' && a ? a.port : o.port;
      console.log(`serving ${dir} at http://${o.host}:${port}/ (Ctrl-C stops)`);
    });
}
