#!/usr/bin/env node
// Builds the N-API addon against the libtorch that scripts/torch-config.mjs finds.
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { findLibtorch } from './torch-config.mjs';

let torch;
try {
  torch = findLibtorch();
} catch (e) {
  console.error(`mammoclr: ${e.message}`);
  process.exit(1);
}
console.log(`mammoclr: building the addon against libtorch from ${torch.source} (${torch.libDir})${torch.cuda ? ' with CUDA' : ''}`);
const require = createRequire(import.meta.url);
const gyp = require.resolve('node-gyp/bin/node-gyp.js');
const res = spawnSync(process.execPath, [gyp, 'rebuild', '-j', String(availableParallelism())], { stdio: 'inherit' });
if (res.status !== 0) process.exit(res.status ?? 1);
mkdirSync('build/Release', { recursive: true });
writeFileSync('build/Release/libtorch.json', JSON.stringify(torch, null, 2));
