/** Starting small worker scripts (test/distributed/fixtures, compiled to dist) as ranks of a group. */
import { spawn } from 'node:child_process';
import { freePort } from '../../src/distributed/launch.js';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export { freePort };

export interface RankResult {
  rank: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** The last stdout line parsed as JSON, if it is JSON. */
  json?: any;
}

export interface RunOptions {
  env?: Record<string, string>;
  perRankEnv?: (rank: number) => Record<string, string>;
  args?: string[];
  timeoutMs?: number;
  /** Called with each child right after it starts (to kill one, for instance). */
  onStart?: (rank: number, child: ReturnType<typeof spawn>) => void;
}

export function runScript(script: string, env: Record<string, string>, o: RunOptions = {}, rank = 0): Promise<RankResult> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [join(FIXTURES, script), ...(o.args ?? [])], {
    env: { ...process.env, MAMMOCLR_NUM_THREADS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  o.onStart?.(rank, child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 90_000);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      let json: unknown;
      try {
        json = JSON.parse(last);
      } catch {
        json = undefined;
      }
      resolve({ rank, code, signal, stdout, stderr, ms: Date.now() - t0, json });
    });
  });
}

/** Runs `script` as `n` ranks on loopback with the torchrun variables set. */
export async function runRanks(script: string, n: number, o: RunOptions = {}): Promise<RankResult[]> {
  const port = await freePort();
  return Promise.all(Array.from({ length: n }, (_, rank) => runScript(script, {
    MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(port), WORLD_SIZE: String(n), RANK: String(rank),
    LOCAL_RANK: String(rank), LOCAL_WORLD_SIZE: String(n), ...o.env, ...(o.perRankEnv?.(rank) ?? {}),
  }, o, rank)));
}
