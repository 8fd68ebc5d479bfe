/** Shared benchmark helpers: medians, the PyTorch side-run, and result lines. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface BenchRow {
  name: string;
  unit: string;
  value: number;
  /** PyTorch's figure measured in the same run, when python3-torch is installed. */
  reference?: number;
  /** The minimum acceptable ratio value/reference (or, for times, reference/value). */
  target?: number;
  lowerIsBetter?: boolean;
  /** An absolute ceiling for figures with no PyTorch counterpart (value must not exceed it). */
  limit?: number;
}

/** True when a row misses its target ratio or exceeds its limit. */
export function missesTarget(r: BenchRow): boolean {
  const q = ratioOf(r);
  return (q !== undefined && r.target !== undefined && q < r.target) || (r.limit !== undefined && !(r.value <= r.limit));
}

export function ratioOf(r: BenchRow): number | undefined {
  if (r.reference === undefined || !(r.reference > 0) || !(r.value > 0)) return undefined;
  return r.lowerIsBetter ? r.reference / r.value : r.value / r.reference;
}

export function formatRow(r: BenchRow): string {
  const ratio = ratioOf(r);
  const ref = r.reference === undefined ? 'pytorch: n/a' : `pytorch ${r.reference.toFixed(2)} ${r.unit}`;
  if (r.limit !== undefined) return `${r.name.padEnd(48)} ${r.value.toFixed(2).padStart(9)} ${r.unit}   limit ${r.limit} ${r.unit}${r.value <= r.limit ? '  ok' : '  ABOVE LIMIT'}`;
  const verdict = ratio === undefined || r.target === undefined ? '' : ratio >= r.target ? '  ok' : `  BELOW TARGET ${r.target}`;
  return `${r.name.padEnd(48)} ${r.value.toFixed(2).padStart(9)} ${r.unit}   ${ref}${ratio === undefined ? '' : `   ratio ${ratio.toFixed(3)}`}${verdict}`;
}

/** Debian's python3 with python3-torch; the pyenv python on PATH may lack torch. */
export function pythonWithTorch(): string | undefined {
  for (const p of [process.env.MAMMOCLR_PYTHON, '/usr/bin/python3', 'python3']) {
    if (p && (p === 'python3' || existsSync(p))) return p;
  }
  return undefined;
}

const HERE = dirname(fileURLToPath(import.meta.url));

/** Runs a bench/*.py script with a JSON argument; undefined (with a note) when torch is missing. */
export async function runPython(script: string, arg: unknown): Promise<Record<string, unknown> | undefined> {
  const py = pythonWithTorch();
  if (!py) return undefined;
  // The .py files live in bench/ beside the sources; compiled JS runs from dist/bench.
  const path = [join(HERE, script), join(HERE, '..', '..', 'bench', script)].find((p) => existsSync(p));
  if (!path) throw new Error(`bench script ${script} not found`);
  return new Promise((resolve) => {
    const child = spawn(py, [path, JSON.stringify(arg)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      if (code !== 0) {
        console.log(`(PyTorch comparison skipped: ${py} ${script} failed: ${err.trim().split('\n').pop()})`);
        resolve(undefined);
        return;
      }
      resolve(JSON.parse(out.trim().split('\n').pop()!));
    });
  });
}

/** Runs a compiled bench worker in a fresh Node process (its memory its own) and gives its stdout. */
export function nodeWorkerOutput(script: string, args: string[], what: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${what} failed: ${err.trim().split('\n').at(-1)}`))));
  });
}

/** The JSON of a worker's last stdout line. */
export const lastJsonLine = <T>(out: string): T => JSON.parse(out.trim().split('\n').at(-1)!) as T;

export async function nodeWorker<T>(script: string, args: string[], what: string): Promise<T> {
  return lastJsonLine<T>(await nodeWorkerOutput(script, args, what));
}
