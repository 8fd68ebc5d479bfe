#!/usr/bin/env node
// Runs every compiled test file under dist/test with node's built-in runner.
// Node 20 has no glob support in --test, so the files are listed here.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
let files = collect('dist/test');
if (filters.length) files = files.filter((f) => filters.some((s) => f.includes(s)));
if (!files.length) {
  console.error('no test files found under dist/test (run `npm run build:ts` first)');
  process.exit(1);
}
// Tests make their folders with mkdtemp(os.tmpdir()); one root per run, removed afterwards, so a
// run leaves nothing behind in /tmp even where a test fails before its own clean-up.
const scratch = mkdtempSync(join(tmpdir(), 'mammoclr-tests-'));
let status = 1;
try {
  const res = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { stdio: 'inherit', env: { ...process.env, TMPDIR: scratch } });
  status = res.status ?? 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(status);
