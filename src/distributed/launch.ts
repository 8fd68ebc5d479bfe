/**
 * `--nproc N`: starts N local worker processes of the same command with the torchrun variables
 * set (MASTER_ADDR=127.0.0.1, a free MASTER_PORT, WORLD_SIZE, RANK, LOCAL_RANK,
 * LOCAL_WORLD_SIZE) and the cores split between them (MAMMOCLR_NUM_THREADS = cores / N unless
 * set), then waits for them. Rank 0 keeps the terminal's stdout and stderr; the other ranks
 * print only their errors. The workers run in their own process group; SIGINT/SIGTERM sent to
 * the launcher are passed on to them once each (they agree on a step to stop at and rank 0
 * writes the checkpoint), and workers still running when the launcher exits are terminated. When a worker fails, the others stop on their
 * own at their next collective (c10d reports the closed connection); any still running after
 * the grace period are terminated.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';

export interface LaunchOptions {
  nproc: number;
  /** The script and its arguments (without --nproc). */
  argv: string[];
  env?: NodeJS.ProcessEnv;
  /** Milliseconds the other workers get to stop by themselves after one failed (default 60 s). */
  graceMs?: number;
}

/** A TCP port that was free a moment ago on loopback (for a local master). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Removes `--nproc N` / `--nproc=N` from an argument list. */
export function withoutNproc(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--nproc') i++;
    else if (!args[i]!.startsWith('--nproc=')) out.push(args[i]!);
  }
  return out;
}

/** Starts the workers and resolves with the exit code to use (0, or the first failure's). */
export async function launchLocalWorkers(o: LaunchOptions): Promise<number> {
  const env = o.env ?? process.env;
  const port = await freePort();
  const fromEnv = Number.parseInt(env.MAMMOCLR_NUM_THREADS ?? '', 10);
  const threads = Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : Math.max(1, Math.floor(availableParallelism() / o.nproc));
  const children: ChildProcess[] = [];
  let firstFailure: { rank: number; code: number } | null = null;
  let killTimer: NodeJS.Timeout | undefined;
  let signalled = false;
  const forward = (sig: NodeJS.Signals) => () => {
    signalled = true;
    for (const c of children) if (c.exitCode === null) c.kill(sig);
  };
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  const onExit = () => { for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM'); };
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  process.on('exit', onExit);
  try {
    const exits = Array.from({ length: o.nproc }, (_, rank) => new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [...process.execArgv, ...o.argv], {
        env: {
          ...env, MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(port), WORLD_SIZE: String(o.nproc), RANK: String(rank),
          LOCAL_RANK: String(rank), LOCAL_WORLD_SIZE: String(o.nproc), MAMMOCLR_NUM_THREADS: String(threads),
        },
        stdio: rank === 0 ? 'inherit' : ['ignore', 'ignore', 'inherit'],
        // Their own process group: a Ctrl-C reaches the launcher alone, which passes it on once
        // (a worker that got it twice would quit without its checkpoint).
        detached: true,
      });
      children.push(child);
      child.on('error', (e) => {
        process.stderr.write(`mammoclr: worker ${rank} could not start: ${e.message}\n`);
        resolve(1);
      });
      child.on('exit', (code, signal) => {
        const c = code ?? (signal ? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGTERM' ? 15 : signal === 'SIGINT' ? 2 : 1) : 1);
        if (c !== 0 && !firstFailure) {
          firstFailure = { rank, code: c };
          if (!signalled) process.stderr.write(`mammoclr: worker ${rank} of ${o.nproc} ${signal ? `was killed by ${signal}` : `exited with code ${c}`}; the other workers stop at their next collective\n`);
          killTimer = setTimeout(() => { for (const ch of children) if (ch.exitCode === null && ch.signalCode === null) ch.kill('SIGTERM'); }, o.graceMs ?? 60_000);
          killTimer.unref();
        }
        resolve(c);
      });
    }));
    const codes = await Promise.all(exits);
    const failure = firstFailure as { rank: number; code: number } | null;
    return failure ? failure.code : codes.find((c) => c !== 0) ?? 0;
  } finally {
    if (killTimer) clearTimeout(killTimer);
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    process.off('exit', onExit);
  }
}
