import { spawnSync } from 'node:child_process';

/** Runs `mammoclr <args>` in a child process on one libtorch thread (tests run side by side on 2 cores). */
export function cli(...args: string[]): { out: string; err: string; status: number | null } {
  const r = spawnSync(process.execPath, ['bin/mammoclr.js', ...args], { encoding: 'utf8', env: { ...process.env, MAMMOCLR_NUM_THREADS: '1' } });
  return { out: r.stdout, err: r.stderr, status: r.status };
}
