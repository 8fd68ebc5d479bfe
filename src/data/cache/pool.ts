/**
 * A small worker_threads pool for preparation tasks. Decoding (sharp, the DICOM codecs) and
 * preprocessing are CPU-bound JS/WASM, so one worker per core is what uses all cores. Each
 * worker handles its tasks in order with at most IN_FLIGHT queued, so a slow image never holds
 * back others for long and the oldest pending task is always the one running.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { runTask, type Task, type TaskResult } from './task.js';

const WORKER_URL = new URL('./worker.js', import.meta.url);
const IN_FLIGHT = 2;

export interface PoolOptions {
  /** Worker threads; 0 runs every task in this thread (debugging). Default: all cores. */
  workers?: number;
  /** Called once per task, in completion order. */
  onResult: (r: TaskResult) => void;
}

export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * Runs every task exactly once. A worker that dies (a WASM trap, out of memory) fails only the
 * task it was running, with the reason; its queued tasks go to a fresh worker.
 */
export async function runPool(tasks: readonly Task[], options: PoolOptions): Promise<void> {
  const want = options.workers ?? defaultWorkers();
  if (want === 0) {
    for (const t of tasks) options.onResult(await runTask(t));
    return;
  }
  const total = tasks.length;
  if (total === 0) return;
  const count = Math.max(1, Math.min(want, total));

  await new Promise<void>((resolve, reject) => {
    const retry: Task[] = [];
    let next = 0;
    let done = 0;
    let failed = false;
    let respawns = 0;
    const live = new Set<Worker>();
    const take = (): Task | undefined => retry.shift() ?? (next < total ? tasks[next++] : undefined);
    const stopAll = (): void => {
      for (const w of live) void w.terminate();
    };
    const deliver = (r: TaskResult): void => {
      if (failed) return;
      try {
        options.onResult(r);
      } catch (e) {
        failed = true;
        stopAll();
        reject(e);
        return;
      }
      if (++done === total) {
        stopAll();
        resolve();
      }
    };

    const spawn = (): void => {
      const w = new Worker(WORKER_URL);
      live.add(w);
      const pending = new Map<number, Task>();
      let retiring = false;
      let served = false;
      let crash = 'exited unexpectedly';
      const feed = (): void => {
        while (pending.size < IN_FLIGHT) {
          const t = take();
          if (!t) break;
          pending.set(t.key, t);
          w.postMessage(t);
        }
        if (pending.size === 0) {
          retiring = true;
          void w.terminate();
        }
      };
      w.on('message', (r: TaskResult) => {
        served = true;
        pending.delete(r.key);
        deliver(r);
        if (!failed) feed();
      });
      w.on('error', (e) => {
        crash = `worker crashed: ${e instanceof Error ? e.message : String(e)}`;
      });
      w.on('exit', (code) => {
        live.delete(w);
        if (failed || retiring || done === total) return;
        // Tasks run in order, so the oldest pending one was running when the worker died.
        const [running, ...queued] = [...pending.values()];
        if (!running || (!served && ++respawns > total + count)) {
          // Died before taking any work (cannot load its modules): retrying would loop.
          failed = true;
          stopAll();
          reject(new Error(`preparation worker failed to start: ${crash}`));
          return;
        }
        retry.unshift(...queued);
        deliver({ key: running.key, ok: false, reason: `${crash} (exit code ${code})` });
        if (!failed && done < total) spawn();
      });
      feed();
    };
    for (let i = 0; i < count; i++) spawn();
  });
}
