#!/usr/bin/env node
// The CLI entry point: the compiled TypeScript lives in dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const entry = join(root, 'dist', 'src', 'cli', 'main.js');
if (!existsSync(entry)) {
  console.error(`mammoclr: not built yet (${entry} is missing). Run \`npm run setup\` in ${root}.`);
  process.exit(1);
}
await import(pathToFileURL(entry).href);
