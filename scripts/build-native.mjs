#!/usr/bin/env node
// Builds the N-API addon against the libtorch that scripts/torch-config.mjs finds. It is also the
// package's install script: `--if-stale` skips the build while build/Release/mammoclr.node is newer
// than everything it is built from.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findLibtorch } from './torch-config.mjs';

// Installed as a dependency, npm runs this from the package folder; by hand it may run from anywhere.
process.chdir(dirname(dirname(fileURLToPath(import.meta.url))));
const ADDON = 'build/Release/mammoclr.node';
const INPUTS = ['native/src', 'binding.gyp', 'scripts/torch-config.mjs'];

function newestInput(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestInput(join(path, name))));
}

if (process.argv.includes('--if-stale') && existsSync(ADDON) && statSync(ADDON).mtimeMs >= Math.max(...INPUTS.map(newestInput))) process.exit(0);

let torch;
try {
  torch = findLibtorch();
} catch (e) {
  console.error(`mammoclr: ${e.message}`);
  process.exit(1);
}
console.log(`mammoclr: building the addon against libtorch from ${torch.source} (${torch.libDir})${torch.cuda ? ' with CUDA' : ''}`);
const gyp = nodeGyp();
const res = spawnSync(process.execPath, [gyp, 'rebuild', '-j', String(availableParallelism())], { stdio: 'inherit' });
if (res.status !== 0) process.exit(res.status ?? 1);
mkdirSync('build/Release', { recursive: true });
writeFileSync('build/Release/libtorch.json', JSON.stringify(torch, null, 2));

/** The project's node-gyp (a devDependency); in a user's install, the one npm ships and names in npm_config_node_gyp. */
function nodeGyp() {
  try {
    return createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    if (process.env.npm_config_node_gyp) return process.env.npm_config_node_gyp;
    console.error('mammoclr: node-gyp not found: run this through npm (`npm run build:native`), which brings its own');
    process.exit(1);
  }
}
